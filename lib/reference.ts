/**
 * Reference recomputation of the window results from the input log, used by the tests
 * (and later the verifier) to check what the worker wrote to the output topic.
 *
 * Deliberately a plain fold over each partition's records in log order, sharing nothing
 * with the engine but the window assignment rule (`windowFor`). It does not model idle
 * advance, so inputs checked with it must not pause long enough to trigger it between
 * readings that are meant to be on time.
 */
import { windowFor, type WindowSchedule } from './engine/schedule';
import type { EngineReading, WindowResult } from './engine/windowEngine';

export interface ReferenceResult {
  windows: WindowResult[];
  late: EngineReading[];
  /** Readings rejected because they would have made their window's sum inexact. */
  overflow: EngineReading[];
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
  const sums = new Map<string, WindowResult>();
  const late: EngineReading[] = [];
  const overflow: EngineReading[] = [];
  for (const log of partitions) {
    let maxEventTime = Number.NEGATIVE_INFINITY;
    for (const r of log) {
      const { start, end } = windowFor(schedule, r.timeMs);
      if (knownLate ? knownLate.has(r) : end <= maxEventTime - allowedLatenessMs) {
        late.push(r);
        continue;
      }
      const key = `${r.sensorId}\u0000${start}`;
      const w = sums.get(key);
      if (w && !Number.isSafeInteger(w.sum + r.value)) {
        overflow.push(r);
        continue;
      }
      if (w) {
        w.sum += r.value;
        w.count += 1;
      } else sums.set(key, { sensorId: r.sensorId, windowStart: start, windowEnd: end, sum: r.value, count: 1 });
      maxEventTime = Math.max(maxEventTime, r.timeMs);
    }
  }
  return { windows: sortWindows([...sums.values()]), late, overflow };
}

export function sortWindows<T extends { sensorId: string; windowStart: number }>(windows: T[]): T[] {
  return windows.sort((a, b) =>
    a.sensorId < b.sensorId ? -1 : a.sensorId > b.sensorId ? 1 : a.windowStart - b.windowStart,
  );
}
