/** Which sensors the charts draw, and the colour each one gets. */
import { sensorCollator } from '@/components/shared/format';
import { latestOf, type WindowsBySensor } from '@/components/dashboard/windowsBySensor';

/** Sensors charted when the user has selected none. */
const TOP_SENSORS = 10;
/** A sensor with no window for more than this many window lengths (against the newest of all) is stale. */
const STALE_AFTER_WINDOWS = 2;
/** Most sensors charted even when more are selected. */
const MAX_CHARTED = 100;

export interface ChartedSensors {
  ids: string[];
  reason: 'selected' | 'top';
  /** Selected sensors left out to keep the chart readable. */
  omitted: number;
}

export function chartedSensors(windows: WindowsBySensor, selected: ReadonlySet<string>): ChartedSensors {
  if (selected.size > 0) {
    const ids = [...selected].sort(sensorCollator.compare);
    return { ids: ids.slice(0, MAX_CHARTED), reason: 'selected', omitted: Math.max(0, ids.length - MAX_CHARTED) };
  }
  // Sensors still reporting come first, so a stopped run's leftovers do not crowd out live ones.
  const ranked: { id: string; sum: number; end: number; length: number }[] = [];
  let newest: (typeof ranked)[number] | undefined;
  for (const [id, list] of windows) {
    const latest = latestOf(list);
    if (!latest) continue;
    const entry = { id, sum: latest.sum, end: latest.windowEnd, length: latest.windowEnd - latest.windowStart };
    ranked.push(entry);
    if (!newest || entry.end > newest.end) newest = entry;
  }
  const freshFrom = newest ? newest.end - STALE_AFTER_WINDOWS * newest.length : 0;
  const fresh = (e: { end: number }) => (e.end >= freshFrom ? 1 : 0);
  ranked.sort((a, b) => fresh(b) - fresh(a) || b.sum - a.sum || sensorCollator.compare(a.id, b.id));
  const ids = ranked
    .slice(0, TOP_SENSORS)
    .map((r) => r.id)
    .sort(sensorCollator.compare);
  return { ids, reason: 'top', omitted: 0 };
}

const PALETTE = [
  '#4e9bff',
  '#ff8a4c',
  '#4cd6a0',
  '#e86bd0',
  '#f5d142',
  '#9b8cff',
  '#4fd3e8',
  '#ff5f6d',
  '#a3e05a',
  '#c9a27e',
  '#2f6fd6',
  '#d9652b',
  '#2aa87a',
  '#b34aa0',
  '#c4a21e',
  '#6f5fd9',
  '#2ba6ba',
  '#cc3b4a',
  '#78b032',
  '#9c7a58',
];

/** The colour of the i-th charted sensor (the charted list is sorted by id, so both charts agree). */
export function colorAt(index: number): string {
  return PALETTE[index % PALETTE.length];
}
