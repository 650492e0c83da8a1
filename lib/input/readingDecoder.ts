/**
 * Decoding and validation of one input record into a reading, in the shape the user's producers
 * send: their own field paths (`device.id`), time format and decimal values.
 *
 * Runs once per record on the hot path: the bytes are scanned once (lib/input/jsonFields.ts, a
 * complete JSON validator that keeps each field's raw text, which exact decimals need) and the
 * value's digits are read straight from the buffer. Every rejection carries a code (a metric
 * label) and a reason naming the user's field and the rule.
 */
import { parseDecimalBytes, type Decimal } from '../decimal';
import { eventTimeMs, type TimeFormat } from './eventTime';
import { compileFieldPaths, newTokens, scanFields, tokenString, tokenText, type FieldToken } from './jsonFields';

export interface InputFormat {
  /** Dotted paths into the JSON value, e.g. `device.id`. */
  idField: string;
  timeField: string;
  valueField: string;
  timeFormat: TimeFormat;
}

export const DEFAULT_INPUT_FORMAT: InputFormat = {
  idField: 'id',
  timeField: 'time',
  valueField: 'value',
  timeFormat: 'epoch-seconds',
};

interface Reading {
  sensorId: string;
  /** Event time, epoch milliseconds. */
  timeMs: number;
  value: Decimal;
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
  | 'key_mismatch';

export const REJECT_CODES: readonly RejectCode[] = [
  'no_value',
  'too_large',
  'not_json',
  'not_object',
  'bad_id',
  'bad_time',
  'future_time',
  'bad_value',
  'key_mismatch',
];

export type DecodeResult = { ok: true; reading: Reading } | { ok: false; code: RejectCode; reason: string };

export interface InputRecord {
  value: Buffer | string | null;
  /** Checked only when given (undefined skips the check; null means the record had no key). */
  key?: Buffer | string | null;
  /** The Kafka record's timestamp (epoch ms): the event time with `record-timestamp`. */
  timestampMs: number;
}

/** A reading is a few dozen bytes; anything this big is an error, not worth parsing on the hot path. */
export const MAX_READING_BYTES = 4_096;
/** Sensor ids are shown as given; this bounds what one id costs in every window and chart. */
const MAX_SENSOR_ID_CHARACTERS = 256;
const INTEGER_TEXT = /^-?(0|[1-9][0-9]*)$/;

export type ReadingDecoder = (record: InputRecord, nowMs: number) => DecodeResult;

const reject = (code: RejectCode, reason: string): DecodeResult => ({ ok: false, code, reason });

/** `ignoreKey`: never check the key (input not keyed by sensor); otherwise it is checked when given. */
export function readingDecoder(
  format: InputFormat,
  rules: { maxFutureMs: number; ignoreKey?: boolean },
): ReadingDecoder {
  const checkKey = !rules.ignoreKey;
  const fromRecord = format.timeFormat === 'record-timestamp';
  const paths = compileFieldPaths(
    fromRecord ? [format.idField, format.valueField] : [format.idField, format.valueField, format.timeField],
  );
  // Reused for every record: scanning allocates nothing.
  const tokens = newTokens(paths.paths.length);
  const objectShape = `{${[format.idField, format.timeField, format.valueField].map((f) => `"${f}"`).join(', ')}}`;

  return (record, nowMs) => {
    const raw = record.value;
    if (raw === null) return reject('no_value', 'value: record has no value (null)');
    if (raw.length > MAX_READING_BYTES)
      return reject('too_large', `value: record is ${raw.length} bytes; a reading is at most ${MAX_READING_BYTES}`);
    const buf = typeof raw === 'string' ? Buffer.from(raw, 'utf8') : raw;
    const scanned = scanFields(buf, paths, tokens);
    if (scanned === 'not_json') return reject('not_json', 'value: not valid JSON');
    if (scanned === 'not_object') return reject('not_object', `value: must be a JSON object with ${objectShape}`);

    const id = sensorIdOf(buf, tokens[0], format.idField);
    if (typeof id !== 'string') return id;
    const time = fromRecord
      ? eventTimeMs('record-timestamp', record.timestampMs)
      : eventTimeMs(format.timeFormat, jsonValue(buf, tokens[2]));
    if (typeof time !== 'number') {
      const field = fromRecord ? 'timestamp' : format.timeField;
      return reject(
        'bad_time',
        tokens[2]?.kind === 'missing' && !fromRecord ? `${field}: missing` : `${field}: ${time.error}`,
      );
    }
    if (time - nowMs > rules.maxFutureMs)
      return reject(
        'future_time',
        `${fromRecord ? 'timestamp' : format.timeField}: more than ${rules.maxFutureMs / 1000} s ahead of wall-clock time`,
      );
    const value = valueOf(buf, tokens[1], format.valueField);
    if (!('units' in value)) return value;

    if (checkKey && record.key !== undefined) {
      const key =
        record.key === null ? null : typeof record.key === 'string' ? record.key : record.key.toString('utf8');
      // Windows are kept per partition: a sensor spread over partitions would be windowed twice.
      if (key !== id)
        return reject('key_mismatch', 'key: must equal the sensor id, so that each sensor stays in one partition');
    }
    return { ok: true, reading: { sensorId: id, timeMs: time, value } };
  };
}

function sensorIdOf(buf: Buffer, token: FieldToken, field: string): string | DecodeResult {
  if (token.kind === 'string') {
    const id = tokenString(buf, token);
    if (id.length === 0) return reject('bad_id', `${field}: must not be empty`);
    // Characters, not UTF-16 units: an id of 256 emoji is as long as one of 256 letters.
    if (
      id.length > MAX_SENSOR_ID_CHARACTERS &&
      (id.length > 2 * MAX_SENSOR_ID_CHARACTERS || [...id].length > MAX_SENSOR_ID_CHARACTERS)
    ) {
      return reject('bad_id', `${field}: must be at most ${MAX_SENSOR_ID_CHARACTERS} characters`);
    }
    return id;
  }
  if (token.kind === 'number') {
    const text = tokenText(buf, token);
    if (!INTEGER_TEXT.test(text)) return reject('bad_id', `${field}: a numeric id must be an integer (got ${text})`);
    if (text.length > MAX_SENSOR_ID_CHARACTERS)
      return reject('bad_id', `${field}: must be at most ${MAX_SENSOR_ID_CHARACTERS} characters`);
    return text === '-0' ? '0' : text;
  }
  return reject('bad_id', token.kind === 'missing' ? `${field}: missing` : `${field}: must be a string or an integer`);
}

function valueOf(buf: Buffer, token: FieldToken, field: string): Decimal | DecodeResult {
  if (token.kind === 'number') {
    const value = parseDecimalBytes(buf, token.start, token.end);
    return typeof value === 'string' ? reject('bad_value', `${field}: ${value}`) : value;
  }
  if (token.kind === 'missing') return reject('bad_value', `${field}: missing`);
  return reject('bad_value', `${field}: must be a JSON number${token.kind === 'string' ? ' (not a string)' : ''}`);
}

/** A time field's value: a number or a string; anything else is handed on as is, to be refused. */
function jsonValue(buf: Buffer, token: FieldToken | undefined): unknown {
  if (!token || token.kind === 'missing') return undefined;
  if (token.kind === 'number') return Number(tokenText(buf, token));
  if (token.kind === 'string') return tokenString(buf, token);
  return token.kind;
}
