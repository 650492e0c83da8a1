/**
 * The one rule for keeping a sensor's windows, used by the web server's feed and by the browser:
 * ordered by start; a window with the same start replaces the one kept (the last one written
 * wins), unless it is the same window delivered again.
 */
import type { WindowResultRecord } from '../contract';

export type UpsertOutcome = 'inserted' | 'replaced' | 'unchanged';

function sameWindow(a: WindowResultRecord, b: WindowResultRecord): boolean {
  return a.windowEnd === b.windowEnd && a.count === b.count && a.sum === b.sum && a.min === b.min && a.max === b.max;
}

/** Puts `w` into `list` (sorted by windowStart, changed in place). Windows arrive mostly in order: search from the end. */
export function upsertWindow<T extends WindowResultRecord>(list: T[], w: T): UpsertOutcome {
  let i = list.length;
  while (i > 0 && list[i - 1].windowStart > w.windowStart) i--;
  const same = i > 0 ? list[i - 1] : undefined;
  if (same !== undefined && same.windowStart === w.windowStart) {
    if (sameWindow(same, w)) return 'unchanged';
    list[i - 1] = w;
    return 'replaced';
  }
  list.splice(i, 0, w);
  return 'inserted';
}

/** Keeps the newest `cap` windows of `list`. */
export function trimToNewest<T>(list: T[], cap: number): void {
  if (list.length > cap) list.splice(0, list.length - cap);
}
