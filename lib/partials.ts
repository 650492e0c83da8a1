/**
 * Records of the internal partials topic, between the two windowing stages. Only windowpane writes
 * these; a record that does not parse is a bug, reported as such.
 *
 * A step of an input partition writes, to each partials partition, one batch record (more when it
 * is large): the partial windows of the sensors that partition merges, then, when it moved, the
 * input partition's watermark. One record per step and partition rather than one per partial:
 * Kafka's per-record cost (encoding, batching, the consumer's decoding) was most of the second
 * stage's, with about one partial for every three readings at 10 readings per sensor-window.
 * Decimals travel as exact parts: units (a JSON number while a safe integer, else its text) and
 * scale. A partial of a window that keeps extra aggregates has an 11th element with their state
 * (lib/aggregates/extras.ts): {"q": sum of squares, "f"/"l": first/last as [units, scale, time,
 * partition, offset], "k": the sketch's bins}.
 */
import type { Observation } from './aggregates/extras';
import { Sketch, sketchBinsError, type SketchBins } from './aggregates/sketch';
import { decimalFromParts, decimalFromSafeParts, type Decimal } from './decimal';
import type { WindowResult } from './engine/windowEngine';

/** A batch record's text stays under this, well below Kafka's default 1 MB message limit. */
const MAX_BATCH_CHARS = 256 * 1024;

/** One record's content: partials in order, then (when set) the source's watermark. */
export interface PartialsRecord {
  source: number;
  partials: WindowResult[];
  watermarkMs: number | null;
}

function unitsJson(d: Decimal): string {
  return typeof d.units === 'number' ? String(d.units) : `"${d.units}"`;
}

const observationJson = (o: Observation) =>
  `[${unitsJson(o.value)},${o.value.scale},${o.timeMs},${o.partition},${o.offset}]`;

/** The extra aggregates' state, as an 11th element when there is any: {"q":…,"f":…,"l":…,"k":…}. */
function extrasJson(w: WindowResult): string {
  const parts: string[] = [];
  if (w.sumSquares) parts.push(`"q":[${unitsJson(w.sumSquares)},${w.sumSquares.scale}]`);
  if (w.first) parts.push(`"f":${observationJson(w.first)}`);
  if (w.last) parts.push(`"l":${observationJson(w.last)}`);
  if (w.sketch) parts.push(`"k":${JSON.stringify(w.sketch.bins())}`);
  return parts.length === 0 ? '' : `,{${parts.join(',')}}`;
}

function entryJson(w: WindowResult): string {
  return (
    `[${JSON.stringify(w.sensorId)},${w.windowStart},${w.windowEnd},${w.count},` +
    `${unitsJson(w.sum)},${w.sum.scale},${unitsJson(w.min)},${w.min.scale},${unitsJson(w.max)},${w.max.scale}` +
    `${extrasJson(w)}]`
  );
}

/**
 * The batch records one step of input partition `source` writes to one partials partition: its
 * partials, split so no record's text passes `maxChars`, the watermark (if any) in the last.
 * Nothing to say (no partials, no watermark) is no record.
 */
export function encodePartialsBatches(
  source: number,
  partials: readonly WindowResult[],
  watermarkMs: number | null,
  maxChars = MAX_BATCH_CHARS,
): string[] {
  const tail = watermarkMs === null ? '}' : `,"wm":${watermarkMs}}`;
  const head = `{"t":"b","src":${source},"p":[`;
  const records: string[] = [];
  let entries: string[] = [];
  let size = head.length + tail.length + 1;
  for (const w of partials) {
    const entry = entryJson(w);
    if (entries.length > 0 && size + entry.length + 1 > maxChars) {
      records.push(`${head}${entries.join(',')}]}`);
      entries = [];
      size = head.length + tail.length + 1;
    }
    entries.push(entry);
    size += entry.length + 1;
  }
  if (entries.length > 0 || watermarkMs !== null) records.push(`${head}${entries.join(',')}]${tail}`);
  return records;
}

function decimalOf(u: number | string, s: number): Decimal {
  return typeof u === 'number' ? decimalFromSafeParts(u, s) : decimalFromParts(u, s);
}

export function decodePartialsRecord(value: Buffer | null): PartialsRecord | { error: string } {
  let parsed: unknown;
  try {
    parsed = JSON.parse(value?.toString('utf8') ?? 'null');
  } catch {
    return { error: 'not JSON' };
  }
  if (!isObject(parsed) || parsed.t !== 'b') return { error: 't: must be "b" (a batch record)' };
  return readBatch(parsed);
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

const UNITS_TEXT = /^-?(0|[1-9][0-9]*)$/;
const isScale = (v: unknown): v is number => Number.isInteger(v) && (v as number) >= 0;
const isUnits = (v: unknown): v is number | string =>
  Number.isSafeInteger(v) || (typeof v === 'string' && UNITS_TEXT.test(v));

/** Why entry `i`'s decimal at positions `k`, `k + 1` is not exact parts; null when it is. */
function partsError(i: number, k: number, units: unknown, scale: unknown): string | null {
  if (!isUnits(units)) return `p.${i}.${k}: units must be a safe integer or integer text`;
  if (!isScale(scale)) return `p.${i}.${k + 1}: scale must be a non-negative integer`;
  return null;
}

/**
 * A batch record, checked field by field by hand rather than with a zod schema: it holds a
 * partial for about every three readings, and zod was a tenth of the merge's time in a profile.
 */
function readBatch(r: Record<string, unknown>): PartialsRecord | { error: string } {
  const { src, p, wm } = r;
  if (!isScale(src)) return { error: 'src: must be a non-negative integer' };
  if (wm !== undefined && !Number.isFinite(wm)) return { error: 'wm: must be a finite number' };
  if (!Array.isArray(p)) return { error: 'p: must be an array' };
  const partials: WindowResult[] = new Array(p.length);
  for (let i = 0; i < p.length; i++) {
    const e: unknown = p[i];
    if (!Array.isArray(e) || (e.length !== 10 && e.length !== 11))
      return { error: `p.${i}: must be an array of 10 (or 11 with extras)` };
    const [sensorId, windowStart, windowEnd, count, su, ss, mu, ms, xu, xs, extras] = e as unknown[];
    if (typeof sensorId !== 'string') return { error: `p.${i}.0: must be a string` };
    if (!Number.isFinite(windowStart) || !Number.isFinite(windowEnd))
      return { error: `p.${i}.1: window bounds must be finite numbers` };
    if (!Number.isInteger(count) || (count as number) <= 0) return { error: `p.${i}.3: must be a positive integer` };
    const bad = partsError(i, 4, su, ss) ?? partsError(i, 6, mu, ms) ?? partsError(i, 8, xu, xs);
    if (bad) return { error: bad };
    const partial: WindowResult = {
      sensorId,
      windowStart: windowStart as number,
      windowEnd: windowEnd as number,
      count: count as number,
      sum: decimalOf(su as number | string, ss as number),
      min: decimalOf(mu as number | string, ms as number),
      max: decimalOf(xu as number | string, xs as number),
    };
    // Assigned, not spread in: a spread object literal takes V8's slow generic path, per partial.
    const wrong = extras === undefined ? null : readExtras(i, extras, partial);
    if (wrong) return { error: wrong };
    partials[i] = partial;
  }
  return { source: src, partials, watermarkMs: wm === undefined ? null : (wm as number) };
}

/** Why an observation's parts are wrong, or null. */
function observationError(i: number, key: string, v: unknown): string | null {
  if (!Array.isArray(v) || v.length !== 5) return `p.${i}.10.${key}: must be [units, scale, time, partition, offset]`;
  const [u, sc, t, p, o] = v as unknown[];
  if (!isUnits(u) || !isScale(sc)) return `p.${i}.10.${key}: value must be exact parts`;
  if (!Number.isFinite(t) || !isScale(p) || !isScale(o))
    return `p.${i}.10.${key}: time, partition, offset must be numbers`;
  return null;
}

const observationOf = (v: unknown[]): Observation => ({
  value: decimalOf(v[0] as number | string, v[1] as number),
  timeMs: v[2] as number,
  partition: v[3] as number,
  offset: v[4] as number,
});

/** Reads an entry's 11th element, the extra aggregates' state, into `out`; why it is wrong, or null. */
function readExtras(i: number, v: unknown, out: WindowResult): string | null {
  if (!isObject(v)) return `p.${i}.10: must be an object`;
  if (v.q !== undefined) {
    const q = v.q;
    if (!Array.isArray(q) || q.length !== 2) return `p.${i}.10.q: must be [units, scale]`;
    const bad = partsError(i, 10, q[0], q[1]);
    if (bad) return bad;
    out.sumSquares = decimalOf(q[0] as number | string, q[1] as number);
  }
  for (const key of ['f', 'l'] as const) {
    if (v[key] === undefined) continue;
    const bad = observationError(i, key, v[key]);
    if (bad) return bad;
    out[key === 'f' ? 'first' : 'last'] = observationOf(v[key] as unknown[]);
  }
  if (v.k !== undefined) {
    const bad = sketchBinsError(v.k);
    if (bad) return `p.${i}.10.k: ${bad}`;
    out.sketch = Sketch.fromBins(v.k as SketchBins);
  }
  return null;
}
