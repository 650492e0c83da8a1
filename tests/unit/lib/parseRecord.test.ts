import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { parseRecord } from '../../../lib/parseRecord';

const schema = z.object({ v: z.literal(1), name: z.string(), count: z.number().int().nonnegative() });

describe('parseRecord', () => {
  it('reads a record from bytes or text', () => {
    const record = { v: 1, name: 'a', count: 2 };
    expect(parseRecord(Buffer.from(JSON.stringify(record)), schema)).toEqual({ ok: true, value: record });
    expect(parseRecord(JSON.stringify(record), schema)).toEqual({ ok: true, value: record });
    expect(parseRecord(new TextEncoder().encode(JSON.stringify(record)), schema)).toEqual({ ok: true, value: record });
  });

  it('reads a Buffer that is a slice of a larger one', () => {
    const whole = Buffer.from(`xx{"v":1,"name":"b","count":0}yy`);
    const value = { v: 1, name: 'b', count: 0 };
    expect(parseRecord(whole.subarray(2, whole.length - 2), schema)).toEqual({ ok: true, value });
  });

  it('returns the schema output (defaults and transforms applied)', () => {
    const withDefault = z.object({ n: z.number().default(7) }).transform((r) => r.n * 2);
    expect(parseRecord('{}', withDefault)).toEqual({ ok: true, value: 14 });
  });

  it.each([null, undefined])('refuses %s as no value', (value) => {
    expect(parseRecord(value, schema)).toEqual({ ok: false, error: 'no value' });
  });

  it.each(['', 'nope', '{"v":1', '\uFEFF{"v":1,"name":"a","count":2}'])('refuses %j as not JSON', (text) => {
    expect(parseRecord(text, schema)).toEqual({ ok: false, error: 'not JSON' });
    expect(parseRecord(Buffer.from(text), schema)).toEqual({ ok: false, error: 'not JSON' });
  });

  it('names each field and the rule it broke', () => {
    const result = parseRecord('{"v":1,"name":3,"count":-1}', schema);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error).toMatch(/^name: .*; count: /);
    expect(result.error).toContain('>=0');
  });

  it('names the record itself when it is not an object', () => {
    const result = parseRecord('null', schema);
    expect(result).toMatchObject({ ok: false });
    expect(!result.ok && result.error).toMatch(/expected object/);
  });
});
