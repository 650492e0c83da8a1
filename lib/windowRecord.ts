/**
 * The output record of a closed window, as text, and every conversion of it: written by the
 * stages, read back exactly by the verifier, as the contract's doubles by the web tier.
 * `sum`, `min`, `max` and `mean` are JSON numbers whose text is the exact decimal (`0.3`, never
 * `0.30000000000000004`): a reader that parses decimals exactly (Python's Decimal, Java's
 * BigDecimal) gets the exact value, JavaScript the nearest double. `mean` is sum ÷ count rounded
 * half-to-even to 15 significant digits. The extra aggregates a definition chooses follow them
 * (lib/aggregates/extraText.ts).
 */
import { EXTRA_AGGREGATES, type ExtraAggregate } from './aggregates/choice';
import { extraTexts, type ExtraTexts } from './aggregates/extraText';
import { windowResultSchema, type WindowResultRecord } from './contract';
import { decimalToString, divideDecimal } from './decimal';
import type { WindowResult } from './engine/windowEngine';
import { compileFieldPaths, newTokens, scanFields, tokenString, tokenText } from './input/jsonFields';
import { parseRecord } from './parseRecord';

export function encodeWindowRecord(w: WindowResult, extras: readonly ExtraAggregate[] = []): string {
  let tail = '';
  for (const [name, text] of Object.entries(extraTexts(w, extras))) tail += `,"${name}":${text}`;
  return (
    `{"sensorId":${JSON.stringify(w.sensorId)},"windowStart":${w.windowStart},"windowEnd":${w.windowEnd},"count":${w.count},` +
    `"sum":${decimalToString(w.sum)},"min":${decimalToString(w.min)},"max":${decimalToString(w.max)},` +
    `"mean":${decimalToString(divideDecimal(w.sum, w.count))}${tail}}`
  );
}

/** A window with its aggregates as their exact decimal text, for comparing without rounding. */
export interface WindowText extends ExtraTexts {
  sensorId: string;
  windowStart: number;
  windowEnd: number;
  count: number;
  sum: string;
  min: string;
  max: string;
  mean: string;
}

export function windowText(w: WindowResult, extras: readonly ExtraAggregate[] = []): WindowText {
  return {
    ...extraTexts(w, extras),
    sensorId: w.sensorId,
    windowStart: w.windowStart,
    windowEnd: w.windowEnd,
    count: w.count,
    sum: decimalToString(w.sum),
    min: decimalToString(w.min),
    max: decimalToString(w.max),
    mean: decimalToString(divideDecimal(w.sum, w.count)),
  };
}

const FIELDS = ['sensorId', 'windowStart', 'windowEnd', 'count', 'sum', 'min', 'max', 'mean'] as const;
const paths = compileFieldPaths([...FIELDS, ...EXTRA_AGGREGATES]);
const tokens = newTokens(FIELDS.length + EXTRA_AGGREGATES.length);

/**
 * Reads an output record keeping each aggregate's text as written (JSON.parse would round it to
 * a double). Null when it is not a window record. Text is canonical on both sides, so equal text
 * means an equal value.
 */
export function readWindowText(value: Buffer | null): WindowText | null {
  if (value === null || scanFields(value, paths, tokens) !== 'ok') return null;
  const [id, start, end, count, ...aggregates] = tokens.slice(0, FIELDS.length);
  if (id.kind !== 'string' || [start, end, count, ...aggregates].some((t) => t.kind !== 'number')) return null;
  const [sum, min, max, mean] = aggregates.map((t) => tokenText(value, t));
  const extras: ExtraTexts = {};
  for (let i = 0; i < EXTRA_AGGREGATES.length; i++) {
    const t = tokens[FIELDS.length + i];
    if (t.kind === 'missing') continue;
    if (t.kind !== 'number') return null;
    extras[EXTRA_AGGREGATES[i]] = tokenText(value, t);
  }
  return {
    ...extras,
    sensorId: tokenString(value, id),
    windowStart: Number(tokenText(value, start)),
    windowEnd: Number(tokenText(value, end)),
    count: Number(tokenText(value, count)),
    sum,
    min,
    max,
    mean,
  };
}

/** An output record as the contract defines it (its aggregates the nearest doubles), or why it is not one. */
export function parseWindowRecord(value: Buffer | null): WindowResultRecord | { error: string } {
  const result = parseRecord(value, windowResultSchema);
  return result.ok ? result.value : { error: result.error };
}

/** A window as GET /api/windows answers it: the exact decimals as the nearest doubles. */
export function windowRecordOf(w: WindowResult, extras: readonly ExtraAggregate[] = []): WindowResultRecord {
  const t = windowText(w, extras);
  const record: WindowResultRecord = {
    sensorId: t.sensorId,
    windowStart: t.windowStart,
    windowEnd: t.windowEnd,
    count: t.count,
    sum: Number(t.sum),
    min: Number(t.min),
    max: Number(t.max),
    mean: Number(t.mean),
  };
  for (const a of EXTRA_AGGREGATES) if (t[a] !== undefined) record[a] = Number(t[a]);
  return record;
}

/** The output record's own fields of a window that carries more (a feed's `seq` and `closedAt`). */
export function windowRecordFields(w: WindowResultRecord): WindowResultRecord {
  const { sensorId, windowStart, windowEnd, count, sum, min, max, mean } = w;
  const record: WindowResultRecord = { sensorId, windowStart, windowEnd, count, sum, min, max, mean };
  for (const a of EXTRA_AGGREGATES) if (w[a] !== undefined) record[a] = w[a];
  return record;
}
