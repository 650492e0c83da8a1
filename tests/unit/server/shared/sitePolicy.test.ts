import { describe, expect, it } from 'vitest';
import { checkSite, hostAllowed, hostName } from '../../../../server/shared/sitePolicy';

const policy = { host: '127.0.0.1', allowedHosts: [], allowedOrigins: [] };

describe('hostName', () => {
  it.each([
    ['localhost:3000', 'localhost'],
    ['[::1]:3000', '::1'],
    ['[::1]', '::1'],
    ['Example.COM:80', 'example.com'],
    ['example.com.', 'example.com'],
    ['10.1.2.3', '10.1.2.3'],
  ])('%s → %s', (header, name) => expect(hostName(header)).toBe(name));
});

describe('hostAllowed', () => {
  it('allows loopback names and IP literals, which a rebinding page cannot send', () => {
    for (const host of [
      'localhost',
      'localhost:3000',
      'app.localhost:3000',
      '127.0.0.1:3000',
      '[::1]:3000',
      '192.0.2.1:3000',
      '[2001:db8::1]',
    ]) {
      expect(hostAllowed(host, policy), host).toBe(true);
    }
  });

  it('refuses other names, a missing Host and an empty one', () => {
    for (const host of ['rebind.example:3000', 'localhost.evil.example', '127.0.0.1.nip.io', undefined, '', ':3000']) {
      expect(hostAllowed(host, policy), String(host)).toBe(false);
    }
  });

  it('allows the configured HOST name, but a wildcard bind address allows no name by itself', () => {
    expect(hostAllowed('dash.internal:3000', { ...policy, host: 'dash.internal' })).toBe(true);
    expect(hostAllowed('0.0.0.0:3000', { ...policy, host: '0.0.0.0' })).toBe(true); // an IP literal
    expect(hostAllowed('dash.internal:3000', { ...policy, host: '0.0.0.0' })).toBe(false);
  });

  it('allows ALLOWED_HOSTS: exact names, .domain for a domain and its subdomains, * for any', () => {
    const listed = { ...policy, allowedHosts: ['windowpane.example', '.corp.example'] };
    expect(hostAllowed('windowpane.example:443', listed)).toBe(true);
    expect(hostAllowed('corp.example', listed)).toBe(true);
    expect(hostAllowed('a.b.corp.example', listed)).toBe(true);
    expect(hostAllowed('evilcorp.example', listed)).toBe(false);
    expect(hostAllowed('sub.windowpane.example', listed)).toBe(false);
    expect(hostAllowed('anything.example', { ...policy, allowedHosts: ['*'] })).toBe(true);
  });
});

describe('checkSite', () => {
  it('names the rule when it refuses a Host', () => {
    const decision = checkSite({ host: 'rebind.example:3000', origin: 'http://rebind.example:3000' }, policy, {
      origin: true,
    });
    expect(decision).toEqual({ ok: false, status: 403, message: expect.stringContaining('ALLOWED_HOSTS') });
  });

  it('checks Origin only where asked, and then against Host or ALLOWED_ORIGINS', () => {
    const foreign = { host: 'localhost:3000', origin: 'http://evil.example' };
    expect(checkSite(foreign, policy, { origin: false })).toEqual({ ok: true });
    expect(checkSite(foreign, policy, { origin: true })).toMatchObject({
      ok: false,
      status: 403,
      message: expect.stringContaining('ALLOWED_ORIGINS'),
    });
    expect(checkSite(foreign, { ...policy, allowedOrigins: ['http://evil.example'] }, { origin: true })).toEqual({
      ok: true,
    });
    expect(checkSite({ host: 'localhost:3000', origin: 'http://localhost:3000' }, policy, { origin: true })).toEqual({
      ok: true,
    });
    expect(checkSite({ host: 'localhost:3000', origin: 'null' }, policy, { origin: true })).toMatchObject({
      ok: false,
    });
  });
});
