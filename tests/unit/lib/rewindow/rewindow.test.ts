/** The pure parts of "what if" re-windowing: range planning, aggregation, progress, the request schema. */
import { describe, expect, it } from 'vitest';
import { describeIssues, rewindowRequestSchema } from '../../../../lib/contract';
import { singleSizeSchedule } from '../../../../lib/engine/schedule';
import type { EngineReading } from '../../../../lib/engine/windowEngine';
import { DEFAULT_INPUT_FORMAT, readingDecoder, type DecodeResult } from '../../../../lib/input/readingDecoder';
import { rangesSince } from '../../../../lib/kafka/readPlan';
import { recomputeWindows } from '../../../../lib/reference';
import { RewindowAggregator } from '../../../../lib/rewindow/aggregate';
import { estimateRecords, readFromTimestamp, wholeWindowRange } from '../../../../lib/rewindow/plan';
import { progressOf } from '../../../../lib/rewindow/progress';
import { windowRecordOf, windowText } from '../../../../lib/windowRecord';

const T0 = 1_763_900_000_000; // a multiple of 10 s
const decode = readingDecoder(DEFAULT_INPUT_FORMAT, { maxFutureMs: 5_000 });
/** A record as a producer writes it, stamped when it was sent (`stampMs`, default: its event time). */
const record = (id: string, timeMs: number, value: string, stampMs = timeMs): DecodeResult =>
  decode(
    { value: `{"id":${JSON.stringify(id)},"time":${timeMs / 1000},"value":${value}}`, timestampMs: stampMs },
    stampMs,
  );

describe('wholeWindowRange', () => {
  it('shrinks the range to the whole epoch-aligned windows inside it', () => {
    expect(wholeWindowRange(T0 + 1, T0 + 25_000, 10_000)).toEqual({ fromMs: T0 + 10_000, toMs: T0 + 20_000 });
    expect(wholeWindowRange(T0, T0 + 30_000, 10_000)).toEqual({ fromMs: T0, toMs: T0 + 30_000 });
    expect(wholeWindowRange(T0 + 2_500, T0 + 7_400, 2_500)).toEqual({ fromMs: T0 + 2_500, toMs: T0 + 5_000 });
  });

  it('is null when no whole window fits', () => {
    expect(wholeWindowRange(T0 + 1, T0 + 19_999, 10_000)).toBeNull();
    expect(wholeWindowRange(T0, T0 + 5_000, 10_000)).toBeNull();
  });
});

describe('read planning', () => {
  it('starts reading MAX_FUTURE_SECONDS before the range, never before the epoch', () => {
    expect(readFromTimestamp(T0, 5_000)).toBe(T0 - 5_000);
    expect(readFromTimestamp(1_000, 5_000)).toBe(0);
  });

  it('reads each partition from the offset found by timestamp to the end, skipping empty ones', () => {
    const ranges = rangesSince(
      [
        { partition: 2, offset: '40' },
        { partition: 0, offset: '7' },
        { partition: 1, offset: '-1' }, // nothing stamped at or after the time
        { partition: 3, offset: '12' }, // already at its end
      ],
      [
        { partition: 0, high: '10' },
        { partition: 1, high: '5' },
        { partition: 2, high: '100' },
        { partition: 3, high: '12' },
      ],
    );
    expect(ranges).toEqual([
      { partition: 0, start: 7, end: 10 },
      { partition: 2, start: 40, end: 100 },
    ]);
    expect(estimateRecords(ranges)).toBe(63);
    expect(estimateRecords([])).toBe(0);
  });
});

describe('RewindowAggregator', () => {
  // 10 s windows over [T0, T0 + 30 s); out of order, decimals, a reading on each edge.
  const inputs = [
    record('a', T0 + 1_000, '0.1'),
    record('b', T0 + 12_000, '7'),
    record('a', T0 + 9_999, '0.2'),
    record('a', T0 - 1, '100'), // before the range
    record('a', T0 + 30_000, '100'), // at the range's end: outside (end exclusive)
    record('a', T0 + 10_000, '-2.5'), // at a window's end: the next window
    record('b', T0 + 3_000, '9007199254740993'),
    decode({ value: 'not json', timestampMs: T0 }, T0),
    record('a', T0 + 4_000, '1', T0 - 1_000), // event time 5 s ahead of its record: still valid
    record('b', T0 + 29_999, '1e-3'),
    record('a', T0 + 2_000, '0.3', T0 + 600_000), // arrived 10 minutes late: counts all the same
  ];

  it('aggregates every valid reading of the range into its window, exactly', () => {
    const aggregator = new RewindowAggregator({ fromMs: T0, toMs: T0 + 30_000, windowMs: 10_000 });
    for (const input of inputs) aggregator.add(input);
    const windows = aggregator.finish().map((w) => windowText(w));
    expect(
      windows.map(
        (w) =>
          `${w.windowStart - T0}/${w.sensorId} count ${w.count} sum ${w.sum} min ${w.min} max ${w.max} mean ${w.mean}`,
      ),
    ).toEqual([
      '0/a count 4 sum 1.6 min 0.1 max 1 mean 0.4',
      '0/b count 1 sum 9007199254740993 min 9007199254740993 max 9007199254740993 mean 9007199254740990', // mean: 15 significant digits
      '10000/a count 1 sum -2.5 min -2.5 max -2.5 mean -2.5',
      '10000/b count 1 sum 7 min 7 max 7 mean 7',
      '20000/b count 1 sum 0.001 min 0.001 max 0.001 mean 0.001',
    ]);
    expect(aggregator.skipped).toEqual({ invalid: 1, outsideRange: 2, otherSensors: 0 });
  });

  it('equals the reference recomputation (lib/reference.ts) with nothing late, in any order', () => {
    const valid = inputs.flatMap((d) =>
      d.ok && d.reading.timeMs >= T0 && d.reading.timeMs < T0 + 30_000 ? [d.reading] : [],
    );
    const expected = recomputeWindows(
      [valid as EngineReading[]],
      singleSizeSchedule(10_000),
      Number.POSITIVE_INFINITY,
    ).windows.map((w) => windowText(w));
    for (const order of [inputs, [...inputs].reverse()]) {
      const aggregator = new RewindowAggregator({ fromMs: T0, toMs: T0 + 30_000, windowMs: 10_000 });
      for (const input of order) aggregator.add(input);
      const key = (w: { sensorId: string; windowStart: number }) => `${w.sensorId}/${w.windowStart}`;
      expect(
        aggregator
          .finish()
          .map((w) => windowText(w))
          .sort((x, y) => key(x).localeCompare(key(y))),
      ).toEqual(expected);
    }
  });

  it('keeps one sensor when asked, counting the others apart', () => {
    const aggregator = new RewindowAggregator({ fromMs: T0, toMs: T0 + 30_000, windowMs: 10_000, sensorId: 'b' });
    for (const input of inputs) aggregator.add(input);
    expect(aggregator.finish().map((w) => `${w.windowStart - T0}/${w.sensorId}`)).toEqual([
      '0/b',
      '10000/b',
      '20000/b',
    ]);
    expect(aggregator.skipped).toEqual({ invalid: 1, outsideRange: 2, otherSensors: 5 });
  });

  it('orders windows by start, then sensor, in the shape of GET /api/windows', () => {
    const aggregator = new RewindowAggregator({ fromMs: T0, toMs: T0 + 20_000, windowMs: 5_000 });
    for (const [id, t] of [
      ['z', 15_000],
      ['b', 0],
      ['a', 15_000],
      ['a', 0],
    ] as const)
      aggregator.add(record(id, T0 + t, '0.1'));
    aggregator.add(record('a', T0 + 1, '0.2'));
    const records = aggregator.finish().map((w) => windowRecordOf(w));
    expect(records.map((w) => `${w.windowStart - T0}/${w.sensorId}`)).toEqual(['0/a', '0/b', '15000/a', '15000/z']);
    expect(records[0]).toEqual({
      sensorId: 'a',
      windowStart: T0,
      windowEnd: T0 + 5_000,
      count: 2,
      sum: 0.3,
      min: 0.1,
      max: 0.2,
      mean: 0.15,
    });
  });
});

describe('progressOf', () => {
  it('is the share read while running, never 1 before done', () => {
    expect(progressOf(0, 200, 'running')).toEqual({ readRecords: 0, totalRecords: 200, fraction: 0 });
    expect(progressOf(50, 200, 'running').fraction).toBe(0.25);
    expect(progressOf(200, 200, 'running').fraction).toBe(0.99);
    expect(progressOf(0, 0, 'running').fraction).toBe(0);
  });

  it('is 1 once done, even when fewer records than estimated were read (markers take offsets)', () => {
    expect(progressOf(180, 200, 'done')).toEqual({ readRecords: 180, totalRecords: 200, fraction: 1 });
    expect(progressOf(0, 0, 'done').fraction).toBe(1);
  });

  it('shows how far a cancelled or failed job got', () => {
    expect(progressOf(30, 120, 'cancelled').fraction).toBe(0.25);
    expect(progressOf(60, 120, 'failed').fraction).toBe(0.5);
  });
});

describe('rewindowRequestSchema', () => {
  const check = (body: unknown) => {
    const r = rewindowRequestSchema.safeParse(body);
    return r.success ? 'ok' : describeIssues(r.error);
  };

  it('accepts a range, a size and an optional sensor', () => {
    expect(check({ from: T0, to: T0 + 900_000, windowSeconds: 2.5 })).toBe('ok');
    expect(check({ from: T0, to: T0 + 24 * 3_600_000, windowSeconds: 1, sensorId: 'boiler-3' })).toBe('ok');
  });

  it.each([
    [{ to: T0 + 60_000, windowSeconds: 5 }, 'from: must be a time in epoch milliseconds'],
    [{ from: T0, to: T0 + 60_000 }, 'windowSeconds: must be a number'],
    [{ from: String(T0), to: T0 + 60_000, windowSeconds: 5 }, 'from: must be a time in epoch milliseconds'],
    [{ from: T0 + 0.5, to: T0 + 60_000, windowSeconds: 5 }, 'from: must be a time in epoch milliseconds'],
    [{ from: T0, to: T0, windowSeconds: 5 }, 'to: must be after from'],
    [{ from: T0, to: T0 + 24 * 3_600_000 + 1, windowSeconds: 5 }, 'to: must be at most 24 hours after from'],
    [{ from: T0, to: T0 + 60_000, windowSeconds: 0.05 }, 'windowSeconds: must be at least 0.1'],
    [{ from: T0, to: T0 + 60_000, windowSeconds: 86_401 }, 'windowSeconds: must be at most 86400'],
    [{ from: T0, to: T0 + 60_000, windowSeconds: 1.0001 }, 'windowSeconds: must be a whole number of milliseconds'],
    [
      { from: T0 + 1, to: T0 + 19_999, windowSeconds: 10 },
      'windowSeconds: must leave at least one whole window between from and to (windows are aligned to the epoch)',
    ],
    [
      { from: T0, to: T0 + 24 * 3_600_000, windowSeconds: 0.5 },
      'windowSeconds: gives more than 100000 windows per sensor in that range; choose a larger size or a shorter range',
    ],
    [{ from: T0, to: T0 + 60_000, windowSeconds: 5, sensorId: '' }, 'sensorId: must not be empty'],
    [{ from: T0, to: T0 + 60_000, windowSeconds: 5, size: 5 }, 'size: unknown field'],
  ])('refuses %j: %s', (body, message) => {
    expect(check(body)).toBe(message);
  });
});
