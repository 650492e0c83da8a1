import { describe, expect, it } from 'vitest';
import { decimalToString, parseDecimal, type Decimal } from '../../../lib/decimal';
import type { WindowResult } from '../../../lib/engine/windowEngine';
import { decodePartialsRecord, encodePartialsBatches } from '../../../lib/partials';
import { WindowStore } from '../../../lib/engine/windowStore';

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

  it("carries the extra aggregates' state exactly: sum of squares, first and last with where they were, the sketch bins", () => {
    const choice = { squares: true, firstLast: true, sketchAccuracy: 0.01 };
    const store = new WindowStore(choice, 4);
    const values = ['-2.5', '0', '123456789012345678901234567890.5', '0.001', '-2.5'];
    values.forEach((v, i) =>
      store.addReading({ start: 0, end: 1_000 }, { sensorId: 'a', timeMs: 100 * i, value: dec(v) }, 10 + i),
    );
    const [w] = store.closeUpTo(Infinity);
    const [record] = decodeAll(encodePartialsBatches(4, [w], null));
    const back = record.partials[0];
    expect(decimalToString(back.sumSquares!)).toBe(decimalToString(w.sumSquares!));
    expect(back.first).toEqual(w.first);
    expect(back.last).toEqual({ value: dec('-2.5'), timeMs: 400, partition: 4, offset: 14 });
    expect(back.sketch!.bins()).toEqual(w.sketch!.bins());
    for (const q of [0, 0.5, 0.99]) expect(back.sketch!.quantile(q)).toBe(w.sketch!.quantile(q));
  });

  it('names what is wrong with an extras element', () => {
    const entry = (extras: string) => Buffer.from(`{"t":"b","src":0,"p":[["s",0,1000,1,1,0,1,0,1,0,${extras}]]}`);
    const error = (extras: string) => {
      const r = decodePartialsRecord(entry(extras));
      return 'error' in r ? r.error : null;
    };
    expect(error('[]')).toBe('p.0.10: must be an object');
    expect(error('{"q":[1]}')).toBe('p.0.10.q: must be [units, scale]');
    expect(error('{"f":[1,0,5,0]}')).toBe('p.0.10.f: must be [units, scale, time, partition, offset]');
    expect(error('{"l":[1,0,5,-1,0]}')).toBe('p.0.10.l: time, partition, offset must be numbers');
    expect(error('{"k":[0.01,0,[3],[]]}')).toBe('p.0.10.k: bins must be [key, count, …] pairs');
    expect(error('{"k":[2,0,[],[]]}')).toBe('p.0.10.k: accuracy must be in (0, 1)');
  });

  it('refuses the one-record-per-partial format of workers before batch records', () => {
    expect(decodePartialsRecord(Buffer.from('{"t":"w","src":1,"wm":1000}'))).toEqual({
      error: 't: must be "b" (a batch record)',
    });
  });
});
