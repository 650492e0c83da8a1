/**
 * Headers on every response of the web port (pages, static files, the API), set before Next.js or
 * the router answers. The page may not be framed (clickjacking: frame-ancestors, and X-Frame-Options
 * for older browsers); scripts, styles, images and connections come from this origin only.
 * Scripts need 'unsafe-inline': Next.js streams each page's data in inline scripts and the theme is
 * set by one before hydration (nonces would make every page dynamic); styles need it for the
 * charts' style attributes. Dev mode adds 'unsafe-eval' for React's and webpack's dev tooling.
 */
export function contentSecurityPolicy(dev: boolean): string {
  return [
    "default-src 'self'",
    `script-src 'self' 'unsafe-inline'${dev ? " 'unsafe-eval'" : ''}`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self' data:",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join('; ');
}

export function securityHeaders(dev: boolean): Record<string, string> {
  return {
    'content-security-policy': contentSecurityPolicy(dev),
    'x-content-type-options': 'nosniff',
    'x-frame-options': 'DENY',
    // Not no-referrer: with it, browsers send `Origin: null` on this page's own POSTs, which the
    // Origin check (access.ts) must refuse.
    'referrer-policy': 'strict-origin-when-cross-origin',
  };
}
