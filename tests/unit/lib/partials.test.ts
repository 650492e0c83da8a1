import { describe, expect, it } from 'vitest';
import { decimalToString, parseDecimal, type Decimal } from '../../../lib/decimal';
import type { WindowResult } from '../../../lib/engine/windowEngine';
import { decodePartialsRecord, encodePartialsBatches } from '../../../lib/partials';

const dec = (v: string) => parseDecimal(v) as Decimal;
const partial = (i: number, sum = `${i}.25`): WindowResult => ({
  sensorId: `sensor "${i}"`,
  windowStart: 1_000 * i,
  windowEnd: 1_000 * i + 1_000,
  count: i + 1,
  sum: dec(sum),
  min: dec('-0.5'),
  max: dec('1e3'),
});
const text = (w: WindowResult) => ({
  ...w,
  sum: decimalToString(w.sum),
  min: decimalToString(w.min),
  max: decimalToString(w.max),
});

function decodeAll(records: string[]) {
  return records.map((r) => {
    const decoded = decodePartialsRecord(Buffer.from(r));
    if ('error' in decoded) throw new Error(decoded.error);
    return decoded;
  });
}

describe('partials records', () => {
  it('round-trips partials exactly, beyond 2^53 too, with the watermark after them', () => {
    const partials = [
      partial(1),
      partial(2, '123456789012345678901234567890.123'),
      partial(3, '-0.000000000000000001'),
    ];
    const [record, ...more] = decodeAll(encodePartialsBatches(2, partials, 5_000));
    expect(more).toEqual([]);
    expect(record.source).toBe(2);
    expect(record.watermarkMs).toBe(5_000);
    expect(record.partials.map(text)).toEqual(partials.map(text));
  });

  it('splits a large step under the size limit, the watermark only in its last record', () => {
    const partials = Array.from({ length: 500 }, (_, i) => partial(i));
    const records = encodePartialsBatches(0, partials, 9_000, 2_000);
    expect(records.length).toBeGreaterThan(10);
    for (const r of records) expect(r.length).toBeLessThanOrEqual(2_000);
    const decoded = decodeAll(records);
    expect(decoded.map((d) => d.watermarkMs)).toEqual([...Array(records.length - 1).fill(null), 9_000]);
    expect(decoded.flatMap((d) => d.partials).map(text)).toEqual(partials.map(text));
  });

  it('writes nothing when there is nothing to say, and a bare watermark when only it moved', () => {
    expect(encodePartialsBatches(1, [], null)).toEqual([]);
    expect(decodeAll(encodePartialsBatches(1, [], 42))).toEqual([{ source: 1, partials: [], watermarkMs: 42 }]);
  });

  it('names what is wrong with a record it cannot read', () => {
    expect(decodePartialsRecord(Buffer.from('{'))).toEqual({ error: 'not JSON' });
    const bad = decodePartialsRecord(Buffer.from('{"t":"b","src":0,"p":[["s",0,1000,0,1,0,1,0,1,0]]}'));
    expect('error' in bad && bad.error).toMatch(/^p\.0\.3: /);
    const unsafe = decodePartialsRecord(
      Buffer.from('{"t":"b","src":0,"p":[["s",0,1000,1,9007199254740993,0,1,0,1,0]]}'),
    );
    expect('error' in unsafe && unsafe.error).toMatch(/safe integer/);
  });

  it('refuses the one-record-per-partial format of workers before batch records', () => {
    expect(decodePartialsRecord(Buffer.from('{"t":"w","src":1,"wm":1000}'))).toEqual({
      error: 't: must be "b" (a batch record)',
    });
  });
});
