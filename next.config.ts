import type { NextConfig } from 'next';

const nextConfig: NextConfig = {
  reactStrictMode: true,
  poweredByHeader: false,
  // No page uses next/image: with the optimizer off, /_next/image answers 404 instead of fetching
  // and resizing images for anyone who asks, and sharp (an optional dependency of next) is never loaded.
  images: { unoptimized: true },
};

export default nextConfig;
