/**
 * The browser's window history: per sensor, windows ordered by start, at most `cap` of them.
 * Updates are copy-on-write so React sees a new Map (and new arrays for changed sensors).
 */
import type { WindowResultRecord } from '@/lib/contract';
import { trimToNewest, upsertWindow } from '@/lib/feed/upsert';

export type WindowsBySensor = ReadonlyMap<string, readonly WindowResultRecord[]>;

interface MergeResult {
  windows: WindowsBySensor;
  /** Windows that were new here (a repeated sensor + start replaces, and does not count). */
  inserted: number;
  latestWindowEnd: number;
}

export function mergeWindows(
  current: WindowsBySensor,
  records: readonly WindowResultRecord[],
  cap: number,
): MergeResult {
  const next = new Map(current);
  const copied = new Set<string>();
  let inserted = 0;
  let latestWindowEnd = 0;
  for (const w of records) {
    let list = next.get(w.sensorId) as WindowResultRecord[] | undefined;
    if (!copied.has(w.sensorId)) {
      list = list ? list.slice() : [];
      next.set(w.sensorId, list);
      copied.add(w.sensorId);
    }
    if (upsertWindow(list!, w) === 'inserted') inserted++;
    latestWindowEnd = Math.max(latestWindowEnd, w.windowEnd);
  }
  for (const id of copied) {
    trimToNewest(next.get(id) as WindowResultRecord[], cap);
  }
  return { windows: next, inserted, latestWindowEnd };
}

/** The newest window (by start) of a sensor, if any. */
export function latestOf(list: readonly WindowResultRecord[] | undefined): WindowResultRecord | undefined {
  return list && list.length > 0 ? list[list.length - 1] : undefined;
}
