import { describe, expect, it } from 'vitest';
import { ConcurrencyLimit } from '../../../lib/concurrencyLimit';

describe('ConcurrencyLimit', () => {
  it('runs at most max tasks at once, refuses the next at once, and frees a slot when one ends or fails', async () => {
    const limit = new ConcurrencyLimit(2);
    let release = () => {};
    const held = new Promise<void>((resolve) => (release = resolve));
    const first = limit.tryRun(() => held.then(() => 1));
    const second = limit.tryRun(() => Promise.reject(new Error('read failed')));
    expect(limit.tryRun(() => Promise.resolve(3))).toBeNull();
    await expect(second).rejects.toThrow('read failed');
    const third = limit.tryRun(() => Promise.resolve(3));
    expect(third).not.toBeNull();
    release();
    expect([await first, await third]).toEqual([1, 3]);
    expect(limit.active).toBe(0);
  });
});
