/**
 * Reads the windows of a time range from `GET /api/windows`, page after page, up to a cap: the
 * same records an export of that range holds. With a few sensors chosen, each is asked for on
 * its own, so a long range of a few sensors is not cut short by the others.
 */
import type { WindowResultRecord } from '@/lib/contract';

/** Most windows the page holds for one range; beyond it the range is shown cut short, and says so. */
export const MAX_RANGE_WINDOWS = 200_000;
const PAGE = 10_000;
/** Up to this many chosen sensors are read one by one. */
const PER_SENSOR_UP_TO = 20;

export interface RangeResult {
  windows: WindowResultRecord[];
  /** True when the cap was reached before the end of the range. */
  truncated: boolean;
}

export class RangeFetchError extends Error {}

async function pages(from: number, to: number, sensorId: string | undefined, budget: number, signal: AbortSignal): Promise<RangeResult> {
  const windows: WindowResultRecord[] = [];
  let after: string | null = null;
  do {
    const params = new URLSearchParams({ from: String(from), to: String(to), limit: String(Math.min(PAGE, budget - windows.length)) });
    if (sensorId !== undefined) params.set('sensorId', sensorId);
    if (after) params.set('after', after);
    const res = await fetch(`/api/windows?${params}`, { cache: 'no-store', signal });
    const body = (await res.json().catch(() => null)) as { windows?: WindowResultRecord[]; next?: string | null; error?: string } | null;
    if (!res.ok || !body?.windows) throw new RangeFetchError(body?.error ?? `The server answered ${res.status} for that range.`);
    windows.push(...body.windows);
    after = body.next ?? null;
  } while (after && windows.length < budget);
  return { windows, truncated: after !== null };
}

export async function fetchRange(from: number, to: number, sensors: readonly string[], signal: AbortSignal): Promise<RangeResult> {
  if (sensors.length === 0 || sensors.length > PER_SENSOR_UP_TO) {
    const all = await pages(from, to, undefined, MAX_RANGE_WINDOWS, signal);
    if (sensors.length === 0) return all;
    const chosen = new Set(sensors);
    return { windows: all.windows.filter((w) => chosen.has(w.sensorId)), truncated: all.truncated };
  }
  const budget = Math.floor(MAX_RANGE_WINDOWS / sensors.length);
  const parts = await Promise.all(sensors.map((s) => pages(from, to, s, budget, signal)));
  return { windows: parts.flatMap((p) => p.windows), truncated: parts.some((p) => p.truncated) };
}
