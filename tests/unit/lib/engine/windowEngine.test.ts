import { describe, expect, it } from 'vitest';
import { scheduleChange, singleSizeSchedule } from '../../../../lib/engine/schedule';
import { parseDecimal, type Decimal } from '../../../../lib/decimal';
import { quietUntil, WindowEngine, type EngineReading, type WindowResult } from '../../../../lib/engine/windowEngine';
import { recomputeWindows, sortWindows } from '../../../../lib/reference';
import { windowText } from '../../../../lib/windowRecord';

const SEC = 1_000;
const T0 = 1_763_900_000_000; // a multiple of 10 s

function engine(windowMs = 5 * SEC, allowedLatenessMs = 2 * SEC, idleTimeoutMs = 1 * SEC) {
  return new WindowEngine({ schedule: singleSizeSchedule(windowMs), allowedLatenessMs, idleTimeoutMs });
}

function dec(value: number | string): Decimal {
  const d = parseDecimal(String(value));
  if (typeof d === 'string') throw new Error(d);
  return d;
}

function r(sensorId: string, offsetMs: number, value: number | string = 1): EngineReading {
  return { sensorId, timeMs: T0 + offsetMs, value: dec(value) };
}

/** Results with decimals as their exact text, and sums as numbers where the test reads them so. */
const text = (windows: WindowResult[]) => windows.map((w) => windowText(w));
const brief = (w: WindowResult) => ({
  sensorId: w.sensorId,
  windowStart: w.windowStart,
  windowEnd: w.windowEnd,
  sum: Number(windowText(w).sum),
  count: w.count,
});

/** Ingests readings back to back at wall time `now` (no idle gap) and collects what closes. */
function run(e: WindowEngine, readings: EngineReading[], now = T0) {
  const out: WindowResult[] = [];
  const late: EngineReading[] = [];
  for (const reading of readings) {
    if (e.ingest(reading, now) === 'late') late.push(reading);
    out.push(...e.advance(quietUntil(now)));
  }
  return Object.assign(out.map(brief), { late, raw: out });
}

describe('WindowEngine', () => {
  it('sums per sensor and emits a window once the watermark passes its end', () => {
    const e = engine();
    const closed = run(e, [r('a', 0, 2), r('b', 100, 3), r('a', 4_999, 4), r('a', 6_999, 1)]);
    expect([...closed]).toEqual([]);
    const later = run(e, [r('a', 7_000, 1)]);
    expect([...later]).toEqual([
      { sensorId: 'a', windowStart: T0, windowEnd: T0 + 5_000, sum: 6, count: 2 },
      { sensorId: 'b', windowStart: T0, windowEnd: T0 + 5_000, sum: 3, count: 1 },
    ]);
    expect([...run(e, [r('a', 8_000)])]).toEqual([]);
  });

  it('counts an out-of-order reading within the allowed lateness', () => {
    const e = engine();
    run(e, [r('a', 0), r('a', 6_500), r('a', 4_000, 5)]);
    const closed = run(e, [r('a', 7_000)]);
    expect([...closed]).toEqual([{ sensorId: 'a', windowStart: T0, windowEnd: T0 + 5_000, sum: 6, count: 2 }]);
  });

  it('calls a reading for an emitted window late and never adds it', () => {
    const e = engine();
    const closed = run(e, [r('a', 0, 1), r('a', 7_000, 1), r('a', 1_000, 100), r('b', 4_999, 100)]);
    expect([...closed]).toEqual([{ sensorId: 'a', windowStart: T0, windowEnd: T0 + 5_000, sum: 1, count: 1 }]);
    expect(closed.late.map((x) => x.sensorId)).toEqual(['a', 'b']);
  });

  it('keeps exact decimal sums, min, max and mean, whatever the order', () => {
    const values = ['0.1', '0.2', '-0.05', '1e-3', '21.37', '9007199254740993', '-9007199254740993'];
    const expected = {
      count: 7,
      sum: '21.621',
      min: '-9007199254740993',
      max: '9007199254740993',
      mean: '3.08871428571429',
    };
    for (const order of [
      values,
      [...values].reverse(),
      [values[3], values[0], values[6], values[2], values[5], values[1], values[4]],
    ]) {
      const e = engine(5 * SEC, 0);
      order.forEach((v, i) => e.ingest(r('a', i, v), T0));
      expect(text(e.advance(quietUntil(T0 + 60 * SEC)))).toEqual([
        { sensorId: 'a', windowStart: T0, windowEnd: T0 + 5_000, ...expected },
      ]);
    }
  });

  it('sums 0.1 ten times to exactly 1', () => {
    const e = engine(5 * SEC, 0);
    for (let i = 0; i < 10; i++) e.ingest(r('a', i, '0.1'), T0);
    expect(text(e.advance(quietUntil(T0 + 60 * SEC)))[0]).toMatchObject({
      sum: '1',
      mean: '0.1',
      min: '0.1',
      max: '0.1',
    });
  });

  it('handles fractional event times at millisecond resolution', () => {
    const e = engine(1_000, 0);
    const closed = run(e, [r('a', 999, 1), r('a', 1_000, 2), r('a', 2_500, 3)]);
    expect(closed.map((w) => [w.windowStart - T0, w.sum])).toEqual([
      [0, 1],
      [1_000, 2],
    ]);
  });

  it('advances the watermark with wall-clock time once the input is idle', () => {
    const e = engine(5 * SEC, 2 * SEC, 1 * SEC);
    e.ingest(r('a', 1_000), T0 + 1_000);
    expect(e.advance(quietUntil(T0 + 1_900))).toEqual([]); // not idle long enough yet
    // idle: watermark = max event time − lateness + time since the last arrival = now − 2 s,
    // so the window [T0, T0+5 s) closes at wall-clock T0+7 s
    expect(e.advance(quietUntil(T0 + 6_999))).toEqual([]);
    expect(e.advance(quietUntil(T0 + 7_000))).toHaveLength(1);
  });

  it('closes the last window within size + lateness + 1 s of wall-clock time after the input stops', () => {
    const e = engine(5 * SEC, 2 * SEC, 1 * SEC);
    const lastArrival = T0 + 250; // event time equals arrival time, as for the simulator
    e.ingest(r('a', 250), lastArrival);
    let closedAt = -1;
    for (let now = lastArrival; now < lastArrival + 20 * SEC; now += 100) {
      if (e.advance(quietUntil(now)).length > 0) {
        closedAt = now;
        break;
      }
    }
    expect(closedAt).toBeGreaterThan(0);
    expect(closedAt - lastArrival).toBeLessThanOrEqual(5 * SEC + 2 * SEC + 1 * SEC);
  });

  it('applies a window size change at its event time without losing or double counting', () => {
    const schedule = scheduleChange(singleSizeSchedule(5 * SEC), { windowMs: 2 * SEC }, T0 + 3_000); // from T0+5 s
    const e = new WindowEngine({ schedule, allowedLatenessMs: 0, idleTimeoutMs: 60 * SEC });
    const readings = [
      r('a', 1_000, 1),
      r('a', 4_999, 2),
      r('a', 5_000, 4),
      r('a', 6_999, 8),
      r('a', 7_000, 16),
      r('a', 9_000, 32),
    ];
    const closed = run(e, readings);
    expect(closed.map((w) => [w.windowStart - T0, w.windowEnd - T0, w.sum])).toEqual([
      [0, 5_000, 3],
      [5_000, 6_000, 4], // transition window up to the next 2 s boundary
      [6_000, 8_000, 24],
    ]);
  });

  it('raising the allowed lateness never moves the watermark back', () => {
    const e = engine(5 * SEC, 0);
    run(e, [r('a', 0), r('a', 5_000)]);
    expect(e.watermarkMs).toBe(T0 + 5_000);
    e.setAllowedLateness(10 * SEC);
    expect(e.watermarkMs).toBe(T0 + 5_000);
    expect(e.ingest(r('a', 4_000), T0)).toBe('late');
  });

  it('keeps many sensors apart and matches the reference recomputation', () => {
    const e = engine(1 * SEC, 500);
    const readings: EngineReading[] = [];
    let seed = 7;
    const rand = () => (seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31;
    for (let i = 0; i < 20_000; i++) {
      const t = i * 2 + Math.floor(rand() * 1_500) - 750; // out of order by up to ±0.75 s
      readings.push(r(`s${i % 1_000}`, Math.max(0, t), Math.floor(rand() * 10)));
    }
    const closed = run(e, readings);
    // idle long enough to close everything
    const reference = recomputeWindows([readings], singleSizeSchedule(1 * SEC), 500);
    closed.raw.push(...e.advance(quietUntil(T0 + 10 * 60 * SEC)));
    expect(sortWindows(closed.raw).map((w) => windowText(w))).toEqual(reference.windows.map((w) => windowText(w)));
    const lateTotal = closed.late.length;
    expect(lateTotal).toBe(reference.late.length);
    expect(lateTotal).toBeGreaterThan(0);
    expect(new Set(closed.raw.map((w) => w.sensorId)).size).toBe(1_000);
  });
});

describe('WindowEngine recovery by replay', () => {
  it('rebuilds the open windows from the oldest open position and continues exactly as without a crash', () => {
    const options = { schedule: singleSizeSchedule(1 * SEC), allowedLatenessMs: 500, idleTimeoutMs: 60 * SEC };
    let seed = 3;
    const rand = () => (seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31;
    const log: EngineReading[] = [];
    for (let i = 0; i < 3_000; i++)
      log.push(r(`s${i % 13}`, Math.max(0, i * 3 + Math.floor(rand() * 1_200) - 600), Math.floor(rand() * 9)));

    for (const crashAt of [1, 500, 1_234, 2_999]) {
      const original = new WindowEngine(options);
      const beforeCrash: ReturnType<WindowEngine['advance']> = [];
      for (let i = 0; i < crashAt; i++) {
        original.ingest(log[i], T0, i);
        beforeCrash.push(...original.advance(quietUntil(T0)));
      }
      const checkpoint = original.checkpoint();
      const replayFrom = original.oldestOpenPosition() ?? crashAt;
      const recovered = WindowEngine.fromCheckpoint(JSON.parse(JSON.stringify(checkpoint)), options, T0);
      for (let i = replayFrom; i < crashAt; i++) recovered.replay(log[i], i);

      const rest = (e: WindowEngine) => {
        const out: WindowResult[] = [];
        for (let i = crashAt; i < log.length; i++) {
          e.ingest(log[i], T0, i);
          out.push(...e.advance(quietUntil(T0)));
        }
        return out;
      };
      const afterOriginal = rest(original);
      expect(text(rest(recovered))).toEqual(text(afterOriginal));
      // And the windows still open at the end hold the same state.
      expect(text(recovered.advance(quietUntil(T0 + 3_600 * SEC)))).toEqual(
        text(original.advance(quietUntil(T0 + 3_600 * SEC))),
      );
      // Nothing emitted before the crash comes out again after it.
      const emitted = new Set(beforeCrash.map((w) => `${w.sensorId}/${w.windowStart}`));
      expect(afterOriginal.some((w) => emitted.has(`${w.sensorId}/${w.windowStart}`))).toBe(false);
    }
  });

  it('does not count replayed readings as late', () => {
    const e = WindowEngine.fromCheckpoint(
      { watermarkMs: T0 + 5_000, maxEventTimeMs: T0 + 7_000 },
      { schedule: singleSizeSchedule(5 * SEC), allowedLatenessMs: 2 * SEC, idleTimeoutMs: SEC },
      T0,
    );
    expect(e.replay(r('a', 1_000), 0)).toBe(false);
    expect(e.replay(r('a', 6_000, 4), 1)).toBe(true);
    expect(e.oldestOpenPosition()).toBe(1);
  });
});

describe('WindowEngine on an input with no reading at all', () => {
  it('follows the wall clock once idle since it started, so it holds no window open elsewhere', () => {
    const e = new WindowEngine({
      schedule: singleSizeSchedule(5 * SEC),
      allowedLatenessMs: 2 * SEC,
      idleTimeoutMs: SEC,
      startedAtMs: T0,
    });
    e.advance(quietUntil(T0 + 999));
    expect(e.watermarkMs).toBe(Number.NEGATIVE_INFINITY);
    e.advance(quietUntil(T0 + 1_000));
    expect(e.watermarkMs).toBe(T0 + 1_000 - 2 * SEC);
    e.advance(quietUntil(T0 + 10_000));
    expect(e.watermarkMs).toBe(T0 + 8_000);
  });
});
