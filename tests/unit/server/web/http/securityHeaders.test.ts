import { describe, expect, it } from 'vitest';
import { contentSecurityPolicy, securityHeaders } from '../../../../../server/web/http/securityHeaders';

describe('securityHeaders', () => {
  it('forbids framing, sniffing and cross-site referrers, and allows this origin only', () => {
    const headers = securityHeaders(false);
    expect(headers).toMatchObject({
      'x-content-type-options': 'nosniff',
      'x-frame-options': 'DENY',
      'referrer-policy': 'strict-origin-when-cross-origin',
    });
    expect(headers['content-security-policy']).toContain("frame-ancestors 'none'");
    expect(headers['content-security-policy']).toContain("default-src 'self'");
    expect(headers['content-security-policy']).not.toContain('unsafe-eval');
  });

  it("allows eval only in dev mode (React's and webpack's dev tooling)", () => {
    expect(contentSecurityPolicy(true)).toContain("script-src 'self' 'unsafe-inline' 'unsafe-eval'");
  });
});
