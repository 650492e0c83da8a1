import { describe, expect, it } from 'vitest';
import { FailedAttempts } from '../../../../../lib/access/failedAttempts';
import { checkAccess, clientAddress, type AccessPolicy } from '../../../../../server/web/http/access';

/** A request as the server sees it: from loopback unless `remoteAddress` says otherwise. */
const req = (headers: Record<string, string>, remoteAddress = '127.0.0.1') => ({
  headers: { host: 'localhost:3000', ...headers },
  socket: { remoteAddress },
});
const local: AccessPolicy = { token: undefined, host: '127.0.0.1', allowedOrigins: [], allowedHosts: [] };
const CONTROL = 'control-token-0123456789';
const READ = 'read-token-0123456789';

describe('checkAccess: controls', () => {
  it('lets a loopback server without token be controlled from its own origin or a non-browser client', () => {
    expect(checkAccess(req({}), local, 'control')).toEqual({ ok: true });
    expect(checkAccess(req({ origin: 'http://localhost:3000' }), local, 'control')).toEqual({ ok: true });
    expect(checkAccess(req({}, '::ffff:127.0.0.1'), local, 'control')).toEqual({ ok: true });
  });

  it('refuses another origin (CSRF) unless allowed', () => {
    expect(checkAccess(req({ origin: 'http://evil.example' }), local, 'control')).toMatchObject({
      ok: false,
      status: 403,
    });
    const allowed = { ...local, allowedOrigins: ['http://ops.example'] };
    expect(checkAccess(req({ origin: 'http://ops.example' }), allowed, 'control')).toEqual({ ok: true });
  });

  it('refuses controls beyond loopback without a token, saying how to enable them', () => {
    const decision = checkAccess(req({}), { ...local, host: '0.0.0.0' }, 'control');
    expect(decision).toMatchObject({ ok: false, status: 403 });
    expect(!decision.ok && decision.message).toContain('CONTROL_TOKEN');
  });

  it.each([
    ['x-forwarded-for', '203.0.113.9'],
    ['forwarded', 'for=203.0.113.9'],
    ['x-real-ip', '203.0.113.9'],
  ])('does not count a request carrying %s as local, even from loopback', (name, value) => {
    const decision = checkAccess(req({ [name]: value, origin: 'http://localhost:3000' }), local, 'control');
    expect(decision).toMatchObject({ ok: false, status: 403 });
    expect(!decision.ok && decision.message).toContain(`proxy (${name} header)`);
  });

  it('does not count a connection from another address as local, nor any with ALLOWED_HOSTS set', () => {
    expect(checkAccess(req({}, '192.0.2.7'), local, 'control')).toMatchObject({ ok: false, status: 403 });
    const named = { ...local, allowedHosts: ['dash.example.com'] };
    expect(checkAccess(req({}), named, 'control')).toMatchObject({ ok: false, status: 403 });
    expect(checkAccess(req({ authorization: `Bearer ${CONTROL}` }), { ...named, token: CONTROL }, 'control')).toEqual({
      ok: true,
    });
  });

  it('requires the bearer token when one is set, even from loopback; the read token does not control', () => {
    const policy = { ...local, token: CONTROL, readToken: READ };
    expect(checkAccess(req({}), policy, 'control')).toMatchObject({ ok: false, status: 401 });
    expect(checkAccess(req({ authorization: 'Bearer wrong' }), policy, 'control')).toMatchObject({ status: 401 });
    expect(checkAccess(req({ authorization: `Bearer ${READ}` }), policy, 'control')).toMatchObject({ status: 401 });
    expect(checkAccess(req({ authorization: `Bearer ${CONTROL}` }), policy, 'control')).toEqual({ ok: true });
  });
});

describe('checkAccess: reads', () => {
  const proxied = req({ 'x-forwarded-for': '203.0.113.9' });

  it('lets local callers read without a token, and anyone with PUBLIC_READ', () => {
    expect(checkAccess(req({}), local, 'read')).toEqual({ ok: true });
    expect(checkAccess(proxied, { ...local, publicRead: true }, 'read')).toEqual({ ok: true });
  });

  it('refuses others when no token is set, saying how to open reads', () => {
    const decision = checkAccess(proxied, local, 'read');
    expect(decision).toMatchObject({ ok: false, status: 403 });
    expect(!decision.ok && decision.message).toMatch(/READ_TOKEN.*PUBLIC_READ=true/);
  });

  it('lets others read with the read token or the control token', () => {
    const policy = { ...local, host: '0.0.0.0', token: CONTROL, readToken: READ };
    const from = (authorization?: string) =>
      checkAccess(req(authorization ? { authorization } : {}, '192.0.2.7'), policy, 'read');
    expect(from()).toMatchObject({ ok: false, status: 401 });
    expect(from('Bearer nope')).toMatchObject({ ok: false, status: 401 });
    expect(from(`Bearer ${READ}`)).toEqual({ ok: true });
    expect(from(`Bearer ${CONTROL}`)).toEqual({ ok: true });
    expect(checkAccess(req({}, '192.0.2.7'), policy, 'read', { token: READ })).toEqual({ ok: true });
  });

  it('refuses a cross-site request without Origin (a no-cors GET, an image) by its Sec-Fetch-Site', () => {
    expect(checkAccess(req({ 'sec-fetch-site': 'cross-site' }), local, 'read')).toMatchObject({ status: 403 });
    expect(checkAccess(req({ 'sec-fetch-site': 'same-site' }), local, 'read')).toMatchObject({ status: 403 });
    expect(checkAccess(req({ 'sec-fetch-site': 'same-origin' }), local, 'read')).toEqual({ ok: true });
    expect(checkAccess(req({ 'sec-fetch-site': 'none' }), local, 'read')).toEqual({ ok: true });
  });
});

describe('wrong tokens', () => {
  const policy = () => ({
    ...local,
    token: CONTROL,
    failedAttempts: new FailedAttempts({ maxFailures: 10, windowMs: 60_000, maxClients: 100 }),
  });

  it('are refused with 429 and Retry-After past 10 a minute from one address, even with the right one', () => {
    const p = policy();
    const wrong = req({ authorization: 'Bearer wrong' }, '192.0.2.7');
    for (let i = 0; i < 10; i++)
      expect(checkAccess(wrong, p, 'control', { nowMs: 1_000 })).toMatchObject({ status: 401 });
    const right = req({ authorization: `Bearer ${CONTROL}` }, '192.0.2.7');
    expect(checkAccess(right, p, 'control', { nowMs: 31_000 })).toMatchObject({ status: 429, retryAfterSeconds: 30 });
    expect(checkAccess(req({ authorization: `Bearer ${CONTROL}` }, '192.0.2.8'), p, 'control')).toEqual({ ok: true });
    expect(checkAccess(right, p, 'control', { nowMs: 61_000 })).toEqual({ ok: true });
  });

  it('are not counted when no token was sent', () => {
    const p = policy();
    for (let i = 0; i < 20; i++) checkAccess(req({}, '192.0.2.7'), p, 'control', { nowMs: 0 });
    expect(checkAccess(req({ authorization: `Bearer ${CONTROL}` }, '192.0.2.7'), p, 'control', { nowMs: 0 })).toEqual({
      ok: true,
    });
  });

  it('count under the proxy-given address only with TRUST_PROXY', () => {
    const proxied = req({ 'x-forwarded-for': '198.51.100.1, 203.0.113.9' }, '127.0.0.1');
    expect(clientAddress(proxied, false)).toBe('127.0.0.1');
    expect(clientAddress(proxied, true)).toBe('203.0.113.9');
    expect(clientAddress(req({}, '192.0.2.7'), true)).toBe('192.0.2.7');
  });
});
