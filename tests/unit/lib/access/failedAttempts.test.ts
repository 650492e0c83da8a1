import { describe, expect, it } from 'vitest';
import { FailedAttempts } from '../../../../lib/access/failedAttempts';

const options = { maxFailures: 3, windowMs: 60_000, maxClients: 100 };

describe('FailedAttempts', () => {
  it('refuses an address after maxFailures within the window, until the window has passed', () => {
    const attempts = new FailedAttempts(options);
    for (let i = 0; i < 3; i++) {
      expect(attempts.retryAfterMs('a', 1_000 + i)).toBe(0);
      attempts.fail('a', 1_000 + i);
    }
    expect(attempts.retryAfterMs('a', 1_003)).toBe(59_997);
    expect(attempts.retryAfterMs('a', 60_999)).toBe(1);
    expect(attempts.retryAfterMs('a', 61_000)).toBe(0);
  });

  it('counts each address on its own', () => {
    const attempts = new FailedAttempts(options);
    for (let i = 0; i < 3; i++) attempts.fail('a', 0);
    expect(attempts.retryAfterMs('a', 10)).toBeGreaterThan(0);
    expect(attempts.retryAfterMs('b', 10)).toBe(0);
  });

  it('starts a new window once the old one has passed', () => {
    const attempts = new FailedAttempts(options);
    attempts.fail('a', 0);
    attempts.fail('a', 1);
    attempts.fail('a', 60_000); // the first window is over: this one starts a new count
    attempts.fail('a', 60_001);
    expect(attempts.retryAfterMs('a', 60_002)).toBe(0);
    attempts.fail('a', 60_002);
    expect(attempts.retryAfterMs('a', 60_003)).toBe(59_997);
  });

  it('remembers at most maxClients addresses, forgetting the oldest first', () => {
    const attempts = new FailedAttempts({ ...options, maxClients: 2 });
    for (let i = 0; i < 3; i++) attempts.fail('old', 0);
    attempts.fail('b', 1);
    attempts.fail('c', 2);
    expect(attempts.size).toBe(2);
    expect(attempts.retryAfterMs('old', 3)).toBe(0);
  });
});
