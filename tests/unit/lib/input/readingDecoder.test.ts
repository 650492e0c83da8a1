import { describe, expect, it } from 'vitest';
import { decimalToString } from '../../../../lib/decimal';
import {
  DEFAULT_INPUT_FORMAT,
  MAX_READING_BYTES,
  readingDecoder,
  type InputFormat,
} from '../../../../lib/input/readingDecoder';

const NOW = 1_763_900_000_000;
const rules = { maxFutureMs: 10_000 };

function decoder(format: Partial<InputFormat> = {}) {
  const decode = readingDecoder({ ...DEFAULT_INPUT_FORMAT, ...format }, rules);
  return (text: string | null, key?: string | null, timestampMs = NOW) => {
    const result = decode({ value: text === null ? null : Buffer.from(text), key, timestampMs }, NOW);
    return result.ok ? { ok: true, ...result.reading, value: decimalToString(result.reading.value) } : result;
  };
}

describe('readingDecoder, default format', () => {
  const decode = decoder();

  it('accepts the seed format and converts seconds to milliseconds', () => {
    expect(decode('{"id": 3, "time": 1763900000.25, "value": 7}', '3')).toEqual({
      ok: true,
      sensorId: '3',
      timeMs: 1_763_900_000_250,
      value: '7',
    });
  });

  it('keeps decimal values exactly as written: decimals, negatives, exponents, beyond 2^53', () => {
    const value = (v: string) => (decode(`{"id": "k", "time": 1763899999, "value": ${v}}`) as { value: string }).value;
    expect(value('21.37')).toBe('21.37');
    expect(value('-0.5')).toBe('-0.5');
    expect(value('1e-3')).toBe('0.001');
    expect(value('1.50')).toBe('1.5');
    expect(value('9007199254740993')).toBe('9007199254740993');
  });

  it('accepts string ids of any Unicode, shown as given, and integer ids as their text', () => {
    expect(decode('{"id": "温度計-3 🌡", "time": 1763899999, "value": 0}')).toMatchObject({
      ok: true,
      sensorId: '温度計-3 🌡',
    });
    expect(decode(`{"id": "${'🌡'.repeat(256)}", "time": 1763899999, "value": 0}`)).toMatchObject({ ok: true });
    expect(decode('{"id": 12345678901234567890, "time": 1763899999, "value": 0}')).toMatchObject({
      ok: true,
      sensorId: '12345678901234567890',
    });
  });

  it.each([
    [null, 'no_value', 'value: record has no value'],
    ['not json', 'not_json', 'value: not valid JSON'],
    ['{"id": 1, "time": 1, "value": 1}}', 'not_json', 'value: not valid JSON'],
    ['[1,2]', 'not_object', 'value: must be a JSON object with {"id", "time", "value"}'],
    ['{"time": 1, "value": 1}', 'bad_id', 'id: missing'],
    ['{"id": true, "time": 1, "value": 1}', 'bad_id', 'id: must be a string or an integer'],
    ['{"id": "", "time": 1, "value": 1}', 'bad_id', 'id: must not be empty'],
    [`{"id": "${'x'.repeat(257)}", "time": 1, "value": 1}`, 'bad_id', 'id: must be at most 256 characters'],
    ['{"id": 1.5, "time": 1, "value": 1}', 'bad_id', 'id: a numeric id must be an integer'],
    ['{"id": 1e3, "time": 1, "value": 1}', 'bad_id', 'id: a numeric id must be an integer'],
    ['{"id": 1, "value": 1}', 'bad_time', 'time: missing'],
    ['{"id": 1, "time": "1", "value": 1}', 'bad_time', 'time: must be a finite number (epoch seconds)'],
    ['{"id": 1, "time": -5, "value": 1}', 'bad_time', 'time: must not be before the epoch'],
    ['{"id": 1, "time": 1763900011, "value": 1}', 'future_time', 'time: more than 10 s ahead'],
    ['{"id": 1, "time": 1}', 'bad_value', 'value: missing'],
    ['{"id": 1, "time": 1, "value": "7"}', 'bad_value', 'value: must be a JSON number (not a string)'],
    ['{"id": 1, "time": 1, "value": null}', 'bad_value', 'value: must be a JSON number'],
    ['{"id": 1, "time": 1, "value": 1e400}', 'bad_value', 'value: must be below 1e40'],
    ['{"id": 1, "time": 1, "value": 1e-21}', 'bad_value', 'value: has more than 20 digits after the decimal point'],
    ['{"id": 1, "time": 1, "value": NaN}', 'not_json', 'value: not valid JSON'],
  ])('rejects %s: %s, naming the field', (input, code, reason) => {
    expect(decode(input)).toEqual({ ok: false, code, reason: expect.stringContaining(reason) });
  });

  it('rejects an oversized record before parsing it, even when it is valid JSON', () => {
    const padded = JSON.stringify({ id: 1, time: 1, value: 1, pad: 'x'.repeat(MAX_READING_BYTES) });
    expect(decode(padded)).toEqual({
      ok: false,
      code: 'too_large',
      reason: `value: record is ${padded.length} bytes; a reading is at most ${MAX_READING_BYTES}`,
    });
    expect(decode(JSON.stringify({ id: 1, time: 1, value: 1, pad: 'x'.repeat(MAX_READING_BYTES - 60) }))).toMatchObject(
      { ok: true },
    );
  });

  it('rejects a record whose key is not the sensor id', () => {
    expect(decode('{"id": 3, "time": 1, "value": 1}', '4')).toEqual({
      ok: false,
      code: 'key_mismatch',
      reason: expect.stringContaining('key: must equal the sensor id'),
    });
    expect(decode('{"id": 3, "time": 1, "value": 1}', null)).toMatchObject({ ok: false, code: 'key_mismatch' });
  });
});

describe('readingDecoder, configured fields and time formats', () => {
  it('reads nested fields, an ISO-8601 time and a decimal value', () => {
    const decode = decoder({
      idField: 'device.id',
      timeField: 'ts',
      valueField: 'reading.celsius',
      timeFormat: 'iso8601',
    });
    expect(
      decode('{"device": {"id": "boiler-3"}, "ts": "2025-11-23T10:00:00.125Z", "reading": {"celsius": 21.37}}'),
    ).toEqual({
      ok: true,
      sensorId: 'boiler-3',
      timeMs: Date.UTC(2025, 10, 23, 10, 0, 0, 125),
      value: '21.37',
    });
    expect(decode('{"device": {"id": "b"}, "ts": "2025-11-23T10:00:00", "reading": {"celsius": 1}}')).toEqual({
      ok: false,
      code: 'bad_time',
      reason: 'ts: needs a time zone: end it with Z or an offset such as +01:00',
    });
    expect(decode('{"device": "b", "ts": "2025-11-23T10:00:00Z", "reading": {"celsius": 1}}')).toMatchObject({
      ok: false,
      reason: 'device.id: missing',
    });
    expect(decode('{"device": {"id": "b"}, "ts": "2025-11-23T10:00:00Z", "reading": 1}')).toMatchObject({
      ok: false,
      reason: 'reading.celsius: missing',
    });
  });

  it('reads epoch milliseconds', () => {
    expect(decoder({ timeFormat: 'epoch-millis' })('{"id": 1, "time": 1763899999500, "value": 1}')).toMatchObject({
      ok: true,
      timeMs: 1_763_899_999_500,
    });
  });

  it("takes the Kafka record's timestamp with record-timestamp, ignoring any time field", () => {
    const decode = decoder({ timeFormat: 'record-timestamp' });
    expect(decode('{"id": 1, "value": 2.5}', undefined, NOW - 1_234)).toEqual({
      ok: true,
      sensorId: '1',
      timeMs: NOW - 1_234,
      value: '2.5',
    });
    expect(decode('{"id": 1, "time": "garbage", "value": 2.5}', undefined, NOW - 1)).toMatchObject({ ok: true });
    expect(decode('{"id": 1, "value": 2.5}', undefined, NOW + 60_000)).toMatchObject({
      ok: false,
      code: 'future_time',
      reason: expect.stringContaining('timestamp:'),
    });
  });
});
