/**
 * Decoding and validation of one input record (the Kafka value of `INPUT_TOPIC`).
 *
 * Hand-written rather than a general schema library because it runs once per reading on
 * the hot path (which reads the bytes directly when they are in the simple form, and falls back
 * to JSON.parse otherwise); every rejection carries a reason naming the field and the rule, which is
 * what the worker logs and counts.
 */
import type { EngineReading } from './engine/windowEngine';
import { scanReading, type ScannedFields } from './readingScanner';

export interface ReadingRules {
  /** Readings whose event time is further than this ahead of wall-clock time are invalid. */
  maxFutureMs: number;
}

/** Why a record was set aside, as a short stable code (a metric label); `reason` says it in words. */
export type RejectCode =
  | 'no_value'
  | 'too_large'
  | 'not_json'
  | 'not_object'
  | 'bad_id'
  | 'bad_time'
  | 'future_time'
  | 'bad_value'
  | 'key_mismatch'
  | 'sum_overflow';

export type DecodeResult = { ok: true; reading: EngineReading } | { ok: false; code: RejectCode; reason: string };

const MAX_SENSOR_ID_LENGTH = 200;
/** A reading is a few dozen bytes; anything this big is an error, not worth parsing on the hot path. */
export const MAX_READING_BYTES = 4_096;

/** Reused for every record: the hot path allocates nothing to read the three fields. */
const scanned: ScannedFields = { id: undefined, time: undefined, value: undefined };

/** `key` is checked only when given (undefined skips the check; null means the record had no key). */
export function decodeReading(
  value: Buffer | string | null,
  nowMs: number,
  rules: ReadingRules,
  key?: Buffer | string | null,
): DecodeResult {
  if (value === null) return { ok: false, code: 'no_value', reason: 'value: record has no value (null)' };
  if (value.length > MAX_READING_BYTES) {
    return { ok: false, code: 'too_large', reason: `value: record is ${value.length} bytes; a reading is at most ${MAX_READING_BYTES}` };
  }
  let result: DecodeResult;
  if (typeof value !== 'string' && scanReading(value, scanned)) {
    result = validateFields(scanned.id, scanned.time, scanned.value, nowMs, rules);
  } else {
    let parsed: unknown;
    try {
      parsed = JSON.parse(typeof value === 'string' ? value : value.toString('utf8'));
    } catch {
      return { ok: false, code: 'not_json', reason: 'value: not valid JSON' };
    }
    result = validateReading(parsed, nowMs, rules);
  }
  if (result.ok && key !== undefined) {
    const keyText = key === null ? null : typeof key === 'string' ? key : key.toString('utf8');
    // Windows are kept per partition: a sensor spread over partitions would be windowed twice.
    if (keyText !== result.reading.sensorId) {
      return { ok: false, code: 'key_mismatch', reason: 'key: must equal the sensor id, so that each sensor stays in one partition' };
    }
  }
  return result;
}

export function validateReading(parsed: unknown, nowMs: number, rules: ReadingRules): DecodeResult {
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    return { ok: false, code: 'not_object', reason: 'value: must be a JSON object {"id", "time", "value"}' };
  }
  const { id, time, value } = parsed as Record<string, unknown>;
  return validateFields(id, time, value, nowMs, rules);
}

function validateFields(id: unknown, time: unknown, value: unknown, nowMs: number, rules: ReadingRules): DecodeResult {

  let sensorId: string;
  if (typeof id === 'string') {
    if (id.length === 0 || id.length > MAX_SENSOR_ID_LENGTH) {
      return { ok: false, code: 'bad_id', reason: `id: must be a non-empty string of at most ${MAX_SENSOR_ID_LENGTH} characters` };
    }
    sensorId = id;
  } else if (typeof id === 'number') {
    if (!Number.isSafeInteger(id)) return { ok: false, code: 'bad_id', reason: 'id: a numeric id must be a safe integer' };
    sensorId = String(id);
  } else {
    return { ok: false, code: 'bad_id', reason: id === undefined ? 'id: missing' : 'id: must be a number or a string' };
  }

  if (time === undefined) return { ok: false, code: 'bad_time', reason: 'time: missing' };
  if (typeof time !== 'number' || !Number.isFinite(time)) {
    return { ok: false, code: 'bad_time', reason: 'time: must be a finite number (epoch seconds)' };
  }
  if (time < 0) return { ok: false, code: 'bad_time', reason: 'time: must not be before the epoch' };
  // Event times are windowed at millisecond resolution: rounding here is the one place it happens.
  const timeMs = Math.round(time * 1000);
  if (timeMs - nowMs > rules.maxFutureMs) {
    return { ok: false, code: 'future_time', reason: `time: more than ${rules.maxFutureMs / 1000} s ahead of wall-clock time` };
  }

  if (value === undefined) return { ok: false, code: 'bad_value', reason: 'value: missing' };
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    return { ok: false, code: 'bad_value', reason: 'value: must be a finite number' };
  }
  if (!Number.isSafeInteger(value)) {
    return { ok: false, code: 'bad_value', reason: 'value: must be an integer between -(2^53-1) and 2^53-1 (sums are kept exact)' };
  }
  return { ok: true, reading: { sensorId, timeMs, value } };
}
