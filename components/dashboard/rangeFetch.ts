/**
 * The windows of the dashboard's range, as `GET /api/windows` holds them, up to a cap: the same
 * records an export of that range holds. With a few sensors chosen, each is asked for on its own,
 * so a long range of a few sensors is not cut short by the others.
 */
import type { RequestResult } from '@/components/shared/request';
import { readWindowPages, type WindowPages } from '@/components/shared/windowPages';

/** Most windows the page holds for one range; beyond it the range is shown cut short, and says so. */
const MAX_RANGE_WINDOWS = 200_000;
/** Up to this many chosen sensors are read one by one. */
const PER_SENSOR_UP_TO = 20;

export async function fetchRange(
  from: number,
  to: number,
  sensors: readonly string[],
  signal: AbortSignal,
): Promise<RequestResult<WindowPages>> {
  if (sensors.length === 0 || sensors.length > PER_SENSOR_UP_TO) {
    const all = await readWindowPages({ from, to }, MAX_RANGE_WINDOWS, signal);
    if (!all.ok || sensors.length === 0) return all;
    const chosen = new Set(sensors);
    return {
      ok: true,
      data: { windows: all.data.windows.filter((w) => chosen.has(w.sensorId)), truncated: all.data.truncated },
    };
  }
  const budget = Math.floor(MAX_RANGE_WINDOWS / sensors.length);
  const parts = await Promise.all(sensors.map((sensorId) => readWindowPages({ from, to, sensorId }, budget, signal)));
  const read: WindowPages[] = [];
  for (const part of parts) {
    if (!part.ok) return part;
    read.push(part.data);
  }
  return { ok: true, data: { windows: read.flatMap((p) => p.windows), truncated: read.some((p) => p.truncated) } };
}
