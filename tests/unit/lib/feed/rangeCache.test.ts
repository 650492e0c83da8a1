import { describe, expect, it } from 'vitest';
import { RangeCache } from '../../../../lib/feed/rangeCache';

describe('RangeCache', () => {
  it('keeps a range until it has not been used for idleMs', () => {
    const cache = new RangeCache<number>({ idleMs: 1_000, maxEntries: 4, maxWindows: 100 });
    cache.set('a', [1, 2], 0);
    expect(cache.get('a', 900)).toEqual([1, 2]);
    expect(cache.get('a', 1_800)).toEqual([1, 2]); // used at 900: still fresh
    expect(cache.get('a', 2_800)).toBeUndefined();
    expect(cache.windowsHeld).toBe(0);
  });

  it('holds at most maxEntries ranges and maxWindows windows, dropping the least recently used', () => {
    const cache = new RangeCache<number>({ idleMs: 60_000, maxEntries: 2, maxWindows: 5 });
    cache.set('a', [1, 2], 0);
    cache.set('b', [3], 1);
    cache.get('a', 2);
    cache.set('c', [4], 3); // two entries at most: b (least recently used) goes
    expect([cache.get('a', 4), cache.get('b', 4), cache.get('c', 4)]).toEqual([[1, 2], undefined, [4]]);
    cache.set('d', [5, 6, 7, 8], 5); // 5 windows at most: a (least recently used) goes
    expect(cache.size).toBe(2);
    expect(cache.windowsHeld).toBe(5);
    expect(cache.get('a', 5)).toBeUndefined();
    cache.set('e', [1, 2, 3, 4, 5, 6], 6); // larger than the whole cache: not kept
    expect(cache.get('e', 7)).toBeUndefined();
    cache.set('d', [9], 8); // replaced, not added twice
    expect(cache.windowsHeld).toBe(2);
  });
});
