import { describe, expect, it } from 'vitest';
import { decodeReading, MAX_READING_BYTES } from '../../lib/reading';

const NOW = 1_763_900_000_000;
const rules = { maxFutureMs: 10_000 };
const decode = (text: string | null, key?: string | null) =>
  decodeReading(text === null ? null : Buffer.from(text), NOW, rules, key);

describe('decodeReading', () => {
  it('accepts the seed format and converts seconds to milliseconds', () => {
    expect(decode('{"id": 3, "time": 1763900000.25, "value": 7}', '3')).toEqual({
      ok: true,
      reading: { sensorId: '3', timeMs: 1_763_900_000_250, value: 7 },
    });
  });

  it('accepts string ids', () => {
    expect(decode('{"id": "kitchen", "time": 1763899999, "value": 0}')).toMatchObject({ ok: true });
  });

  it.each([
    [null, 'value: record has no value'],
    ['not json', 'value: not valid JSON'],
    ['[1,2]', 'value: must be a JSON object'],
    ['{"time": 1, "value": 1}', 'id: missing'],
    ['{"id": true, "time": 1, "value": 1}', 'id: must be a number or a string'],
    ['{"id": "", "time": 1, "value": 1}', 'id: must be a non-empty string'],
    ['{"id": 1.5, "time": 1, "value": 1}', 'id: a numeric id must be a safe integer'],
    ['{"id": 1, "value": 1}', 'time: missing'],
    ['{"id": 1, "time": "1", "value": 1}', 'time: must be a finite number'],
    ['{"id": 1, "time": -5, "value": 1}', 'time: must not be before the epoch'],
    ['{"id": 1, "time": 1763900011, "value": 1}', 'time: more than 10 s ahead'],
    ['{"id": 1, "time": 1}', 'value: missing'],
    ['{"id": 1, "time": 1, "value": "7"}', 'value: must be a finite number'],
    ['{"id": 1, "time": 1, "value": 1e400}', 'value: must be a finite number'],
    ['{"id": 1, "time": 1, "value": 1.5}', 'value: must be an integer'],
    ['{"id": 1, "time": 1, "value": 9007199254740993}', 'value: must be an integer'],
  ])('rejects %s with a reason naming the field', (input, reason) => {
    const result = decode(input);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.reason).toContain(reason);
  });

  it('rejects an oversized record before parsing it, even when it is valid JSON', () => {
    const padded = JSON.stringify({ id: 1, time: 1, value: 1, pad: 'x'.repeat(MAX_READING_BYTES) });
    const result = decode(padded);
    expect(result).toEqual({ ok: false, code: 'too_large', reason: `value: record is ${padded.length} bytes; a reading is at most ${MAX_READING_BYTES}` });
    expect(decode(JSON.stringify({ id: 1, time: 1, value: 1, pad: 'x'.repeat(MAX_READING_BYTES - 60) }))).toMatchObject({ ok: true });
  });

  it('rejects a record whose key is not the sensor id', () => {
    const result = decode('{"id": 3, "time": 1, "value": 1}', '4');
    expect(result).toEqual({ ok: false, code: 'key_mismatch', reason: expect.stringContaining('key: must equal the sensor id') });
    expect(decode('{"id": 3, "time": 1, "value": 1}', null).ok).toBe(false);
  });
});
