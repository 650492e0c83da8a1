import { describe, expect, it } from 'vitest';
import { checkControlAccess } from '../../../../../server/web/http/controlAccess';

const req = (headers: Record<string, string>) => ({ headers: { host: 'localhost:3000', ...headers } });
const local = { token: undefined, host: '127.0.0.1', allowedOrigins: [], allowedHosts: [] };

describe('checkControlAccess', () => {
  it('lets a loopback server without token be controlled from its own origin or a non-browser client', () => {
    expect(checkControlAccess(req({}), local)).toEqual({ ok: true });
    expect(checkControlAccess(req({ origin: 'http://localhost:3000' }), local)).toEqual({ ok: true });
  });

  it('refuses another origin (CSRF) unless allowed', () => {
    expect(checkControlAccess(req({ origin: 'http://evil.example' }), local)).toMatchObject({ ok: false, status: 403 });
    expect(
      checkControlAccess(req({ origin: 'http://ops.example' }), { ...local, allowedOrigins: ['http://ops.example'] }),
    ).toEqual({ ok: true });
  });

  it('refuses controls beyond loopback without a token, saying how to enable them', () => {
    const decision = checkControlAccess(req({}), { ...local, host: '0.0.0.0' });
    expect(decision).toMatchObject({ ok: false, status: 403 });
    expect(!decision.ok && decision.message).toContain('CONTROL_TOKEN');
  });

  it('requires the bearer token when one is set', () => {
    const policy = { ...local, host: '0.0.0.0', token: 's3cret' };
    expect(checkControlAccess(req({}), policy)).toMatchObject({ ok: false, status: 401 });
    expect(checkControlAccess(req({ authorization: 'Bearer wrong' }), policy)).toMatchObject({
      ok: false,
      status: 401,
    });
    expect(checkControlAccess(req({ authorization: 'Bearer s3cret' }), policy)).toEqual({ ok: true });
  });
});
