/**
 * Reads a JSON record (a Kafka value, an offset's metadata) against its schema. The one place that
 * decides what a refused record is told as: the caller only decides what to do with it (log it,
 * count it, skip it).
 */
import type { z } from 'zod';
import { describeIssues } from './contract';

// ignoreBOM keeps a leading U+FEFF, so such a value is refused as JSON.parse of its text refuses it.
const utf8 = new TextDecoder('utf-8', { ignoreBOM: true });

export type ParsedRecord<T> = { ok: true; value: T } | { ok: false; error: string };

/** Why a record is refused, when it is not valid JSON at all or holds nothing. */
const NOT_JSON = 'not JSON';
const NO_VALUE = 'no value';

/**
 * The record as `schema` reads it, or why it is not one: 'no value' (null, a tombstone),
 * 'not JSON', or each field and the rule it broke (describeIssues).
 */
export function parseRecord<S extends z.ZodType>(
  value: Uint8Array | string | null | undefined,
  schema: S,
): ParsedRecord<z.output<S>> {
  if (value === null || value === undefined) return { ok: false, error: NO_VALUE };
  let json: unknown;
  try {
    json = JSON.parse(typeof value === 'string' ? value : utf8.decode(value));
  } catch {
    return { ok: false, error: NOT_JSON };
  }
  const result = schema.safeParse(json);
  return result.success ? { ok: true, value: result.data } : { ok: false, error: describeIssues(result.error) };
}
