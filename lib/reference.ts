/**
 * Reference recomputation of the window results from the input log, used by the tests
 * (and later the verifier) to check what the worker wrote to the output topic.
 *
 * Deliberately a plain fold over each partition's records in log order, sharing nothing
 * with the engine but the window assignment rule (`windowFor`). It does not model idle
 * advance, so inputs checked with it must not pause long enough to trigger it between
 * readings that are meant to be on time.
 */
import { addDecimal, compareDecimal } from './decimal';
import { windowFor, type WindowSchedule } from './engine/schedule';
import type { EngineReading, WindowResult } from './engine/windowEngine';

export interface ReferenceResult {
  windows: WindowResult[];
  late: EngineReading[];
}

/**
 * With `knownLate` (the readings the worker wrote to its late topic), those readings are the
 * late ones instead of the ones the watermark rule finds; that accounts for idle advance,
 * which depends on wall-clock time and cannot be recomputed from the log.
 */
export function recomputeWindows(
  partitions: Iterable<readonly EngineReading[]>,
  schedule: WindowSchedule,
  allowedLatenessMs: number,
  knownLate?: ReadonlySet<EngineReading>,
): ReferenceResult {
  const windows = new Map<string, WindowResult>();
  const late: EngineReading[] = [];
  for (const log of partitions) {
    let maxEventTime = Number.NEGATIVE_INFINITY;
    for (const r of log) {
      const { start, end } = windowFor(schedule, r.timeMs);
      if (knownLate ? knownLate.has(r) : end <= maxEventTime - allowedLatenessMs) {
        late.push(r);
        continue;
      }
      const key = `${r.sensorId}\u0000${start}`;
      const w = windows.get(key);
      if (w) {
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
        });
      maxEventTime = Math.max(maxEventTime, r.timeMs);
    }
  }
  return { windows: sortWindows([...windows.values()]), late };
}

export function sortWindows<T extends { sensorId: string; windowStart: number }>(windows: T[]): T[] {
  return windows.sort((a, b) =>
    a.sensorId < b.sensorId ? -1 : a.sensorId > b.sensorId ? 1 : a.windowStart - b.windowStart,
  );
}
