/**
 * Reference recomputation of the window results from the input log, used by the tests
 * (and later the verifier) to check what the worker wrote to the output topic.
 *
 * Deliberately a plain fold over each partition's records in log order, sharing nothing
 * with the engine but the window assignment rule (`windowFor`). It does not model idle
 * advance, so inputs checked with it must not pause long enough to trigger it between
 * readings that are meant to be on time.
 */
import { isQuantile, QUANTILE_OF, type ExtraAggregate } from './aggregates/choice';
import type { Observation } from './aggregates/extras';
import {
  addDecimal,
  compareDecimal,
  decimalToString,
  roundedQuotient,
  roundedSqrtQuotient,
  type Decimal,
} from './decimal';
import { windowFor, type WindowSchedule } from './engine/schedule';
import type { EngineReading, WindowResult } from './engine/windowEngine';
import { windowText, type WindowText } from './windowRecord';

/** A reading with where it sits; without them, its partition's place in the list and its own in its log. */
export interface ReferenceReading extends EngineReading {
  partition?: number;
  offset?: number;
}

/** A recomputed window, with its readings (kept only when asked for, to recompute the extras). */
export interface ReferenceWindow extends WindowResult {
  readings?: Observation[];
}

export interface ReferenceResult {
  windows: ReferenceWindow[];
  late: EngineReading[];
}

/**
 * With `knownLate` (the readings the worker wrote to its late topic), those readings are the
 * late ones instead of the ones the watermark rule finds; that accounts for idle advance,
 * which depends on wall-clock time and cannot be recomputed from the log.
 */
export function recomputeWindows(
  partitions: Iterable<readonly ReferenceReading[]>,
  schedule: WindowSchedule,
  allowedLatenessMs: number,
  knownLate?: ReadonlySet<EngineReading>,
  keepReadings = false,
): ReferenceResult {
  const windows = new Map<string, ReferenceWindow>();
  const late: EngineReading[] = [];
  let partitionIndex = 0;
  for (const log of partitions) {
    let maxEventTime = Number.NEGATIVE_INFINITY;
    for (const [index, r] of log.entries()) {
      const { start, end } = windowFor(schedule, r.timeMs);
      if (knownLate ? knownLate.has(r) : end <= maxEventTime - allowedLatenessMs) {
        late.push(r);
        continue;
      }
      const key = `${r.sensorId}\u0000${start}`;
      const w = windows.get(key);
      const reading = keepReadings
        ? [{ value: r.value, timeMs: r.timeMs, partition: r.partition ?? partitionIndex, offset: r.offset ?? index }]
        : undefined;
      if (w) {
        if (reading) w.readings!.push(...reading);
        w.sum = addDecimal(w.sum, r.value);
        w.count += 1;
        if (compareDecimal(r.value, w.min) < 0) w.min = r.value;
        if (compareDecimal(r.value, w.max) > 0) w.max = r.value;
      } else
        windows.set(key, {
          sensorId: r.sensorId,
          windowStart: start,
          windowEnd: end,
          count: 1,
          sum: r.value,
          min: r.value,
          max: r.value,
          ...(reading && { readings: reading }),
        });
      maxEventTime = Math.max(maxEventTime, r.timeMs);
    }
    partitionIndex++;
  }
  return { windows: sortWindows([...windows.values()]), late };
}

export function sortWindows<T extends { sensorId: string; windowStart: number }>(windows: T[]): T[] {
  return windows.sort((a, b) =>
    a.sensorId < b.sensorId ? -1 : a.sensorId > b.sensorId ? 1 : a.windowStart - b.windowStart,
  );
}

/**
 * A recomputed window as text, its extras recomputed from its readings (recomputeWindows with
 * `keepReadings`) by their definitions rather than the engine's running state: the variance as
 * Σ(n·x − Σx)² ÷ n³; first and last by sorting; a quantile as the exact one, sorted[⌊q·(n−1)⌋]
 * (the rank DDSketch estimates), which the comparison allows the sketch's relative accuracy around.
 */
export function referenceText(w: ReferenceWindow, extras: readonly ExtraAggregate[]): WindowText {
  const text = windowText(w);
  if (extras.length === 0) return text;
  const readings = w.readings;
  if (!readings) throw new Error('referenceText: recompute with keepReadings to check extra aggregates');
  const n = BigInt(readings.length);
  const scale = Math.max(...readings.map((r) => r.value.scale));
  const units = readings.map((r) => BigInt(r.value.units) * 10n ** BigInt(scale - r.value.scale));
  const total = units.reduce((a, b) => a + b, 0n);
  const squares = units.reduce((a, u) => a + (n * u - total) ** 2n, 0n);
  const byTime = [...readings].sort((a, b) => a.timeMs - b.timeMs || a.partition - b.partition || a.offset - b.offset);
  const byValue = readings.map((r) => r.value).sort(compareDecimal);
  const exactQuantile = (q: number): Decimal => byValue[Math.floor(q * (byValue.length - 1))];
  for (const a of extras) {
    if (a === 'variance') text.variance = decimalToString(roundedQuotient(squares, n * n * n, 2 * scale));
    else if (a === 'stddev') text.stddev = decimalToString(roundedSqrtQuotient(squares, n * n * n, 2 * scale));
    else if (a === 'first') text.first = decimalToString(byTime[0].value);
    else if (a === 'last') text.last = decimalToString(byTime[byTime.length - 1].value);
    else if (isQuantile(a)) text[a] = decimalToString(exactQuantile(QUANTILE_OF[a]));
  }
  return text;
}
