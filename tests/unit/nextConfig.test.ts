/** next.config.ts: what it turns off is attack surface a page does not need. */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import nextConfig from '../../next.config';

const root = path.resolve(__dirname, '../..');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) return sourceFiles(full);
    return /\.tsx?$/.test(name) ? [full] : [];
  });
}

describe('next.config.ts', () => {
  it('turns the image optimizer off (/_next/image answers 404; sharp is never loaded)', () => {
    expect(nextConfig.images?.unoptimized).toBe(true);
  });

  it('is right that no page needs it: nothing imports next/image', () => {
    const users = ['app', 'components']
      .flatMap((dir) => sourceFiles(path.join(root, dir)))
      .filter((file) => /from ['"]next\/image['"]/.test(readFileSync(file, 'utf8')));
    expect(users).toEqual([]);
  });

  it('does not announce itself (no X-Powered-By)', () => {
    expect(nextConfig.poweredByHeader).toBe(false);
  });
});
