import { describe, expect, it } from 'vitest';
import type { WindowResultRecord } from '../../../../lib/contract';
import { upsertWindow } from '../../../../lib/feed/upsert';
import { WindowFeed } from '../../../../lib/feed/windowFeed';
import { oneReadingWindow } from '../../../support/windows';

const w = oneReadingWindow;

describe('upsertWindow (the server and the browser keep windows by this one rule)', () => {
  it('orders by start, replaces a new revision, ignores the same window delivered again', () => {
    const list: WindowResultRecord[] = [];
    expect([
      upsertWindow(list, w('a', 2_000)),
      upsertWindow(list, w('a', 0)),
      upsertWindow(list, w('a', 1_000)),
    ]).toEqual(['inserted', 'inserted', 'inserted']);
    expect(list.map((x) => x.windowStart)).toEqual([0, 1_000, 2_000]);
    expect(upsertWindow(list, w('a', 1_000))).toBe('unchanged');
    expect(upsertWindow(list, w('a', 1_000, 5))).toBe('replaced');
    expect(list.map((x) => x.sum)).toEqual([1, 5, 1]);
  });
});

describe('WindowFeed', () => {
  it('numbers changed windows, pushes them in batches and lets a client catch up from a position', () => {
    const feed = new WindowFeed({ perSensor: 10, ringCapacity: 3 });
    expect(feed.accept(w('a', 0), 1_500)).toBe(true);
    expect(feed.accept(w('a', 0), 1_600)).toBe(false); // delivered again
    feed.accept(w('b', 0), 1_500);
    expect(feed.flush().map((x) => x.seq)).toEqual([1, 2]);
    expect(feed.flush()).toEqual([]);
    feed.accept(w('a', 1_000), 2_500);
    feed.accept(w('b', 1_000), 2_500);
    feed.flush();
    expect(feed.since(2)?.map((x) => x.seq)).toEqual([3, 4]);
    expect(feed.since(0)).toBeNull(); // the ring kept only 3
    expect(feed.snapshot(1)).toEqual({
      records: [expect.objectContaining({ seq: 3 }), expect.objectContaining({ seq: 4 })],
      seq: 4,
    });
  });

  it('answers a range from memory and says from when memory holds everything', () => {
    const feed = new WindowFeed({ perSensor: 2, ringCapacity: 100 });
    for (const start of [0, 1_000, 2_000]) feed.accept(w('a', start), start + 1_000);
    feed.accept(w('b', 1_000), 2_000);
    const { windows, heldFrom } = feed.range(0, 3_000);
    expect(windows.map((x) => `${x.windowStart}/${x.sensorId}`)).toEqual(['1000/a', '1000/b', '2000/a']);
    expect(heldFrom).toBe(1_000); // a's window at 0 was dropped (two kept per sensor)
    expect(feed.range(0, 3_000, 'b').heldFrom).toBe(Number.NEGATIVE_INFINITY);
  });
});

describe('WindowFeed with MAX_SENSORS', () => {
  it('keeps windows of the first maxSensors sensors only, never refuses one it keeps, and counts the rest', () => {
    const feed = new WindowFeed({ perSensor: 10, ringCapacity: 100, maxSensors: 2 });
    expect(feed.accept(w('a', 0), 1)).toBe(true);
    expect(feed.accept(w('b', 0), 1)).toBe(true);
    expect(feed.accept(w('c', 0), 1)).toBe(false);
    expect(feed.accept(w('a', 1_000), 2)).toBe(true);
    expect(feed.accept(w('d', 1_000), 2)).toBe(false);
    expect(feed.sensorCount).toBe(2);
    expect(feed.untrackedWindows).toBe(2);
    expect(feed.flush().map((x) => x.sensorId)).toEqual(['a', 'b', 'a']);
    // Memory misses the other sensors' windows: a range of all sensors, or of one left out, is read elsewhere.
    expect(feed.range(0, 5_000).heldFrom).toBe(Number.POSITIVE_INFINITY);
    expect(feed.range(0, 5_000, 'c').heldFrom).toBe(Number.POSITIVE_INFINITY);
    expect(feed.range(0, 5_000, 'a').heldFrom).toBe(Number.NEGATIVE_INFINITY);
  });
});
