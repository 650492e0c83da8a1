import { describe, expect, it } from 'vitest';
import { parseDecimal, type Decimal } from '../../../lib/decimal';
import type { WindowResult } from '../../../lib/engine/windowEngine';
import { accumulationFor, EXTRA_AGGREGATES } from '../../../lib/aggregates/choice';
import type { WindowResultRecord } from '../../../lib/contract';
import { WindowStore } from '../../../lib/engine/windowStore';
import {
  encodeWindowRecord,
  parseWindowRecord,
  readWindowText,
  windowRecordFields,
  windowRecordOf,
  windowText,
} from '../../../lib/windowRecord';

const dec = (v: string) => parseDecimal(v) as Decimal;
const window: WindowResult = {
  sensorId: 'sensor "1"',
  windowStart: 1_000,
  windowEnd: 2_000,
  count: 3,
  sum: dec('0.3'),
  min: dec('-0.1'),
  max: dec('0.25'),
};

describe('the output record', () => {
  it('carries the chosen extra aggregates after the base ones, exact text read back as written', () => {
    const store = new WindowStore(accumulationFor({ extras: EXTRA_AGGREGATES, relativeAccuracy: 0.01 }));
    for (const [i, v] of ['0.1', '0.2', '-0.4'].entries())
      store.addReading({ start: 1_000, end: 2_000 }, { sensorId: 's', timeMs: 1_000 + i, value: dec(v) }, i);
    const [w] = store.closeUpTo(Infinity);
    const text = encodeWindowRecord(w, ['last', 'variance', 'p50']);
    expect(text).toMatch(/"mean":-0\.0333333333333333,"variance":[^,]+,"last":-0\.4,"p50":[^,]+\}$/);
    const read = readWindowText(Buffer.from(text))!;
    expect(read).toEqual(windowText(w, ['variance', 'last', 'p50']));
    expect(Object.keys(read)).not.toContain('first');
    const record = parseWindowRecord(Buffer.from(text));
    expect(record).toEqual(windowRecordOf(w, ['variance', 'last', 'p50']));
    expect(windowRecordFields({ ...(record as WindowResultRecord), seq: 4 } as WindowResultRecord)).toEqual(record);
    // An extra written as anything but a number is not a window record.
    expect(readWindowText(Buffer.from(text.replace('"last":-0.4', '"last":"-0.4"')))).toBeNull();
  });

  it("reads back exactly as text, and as the contract's doubles", () => {
    const value = Buffer.from(encodeWindowRecord(window));
    expect(readWindowText(value)).toEqual(windowText(window));
    expect(windowText(window).mean).toBe('0.1');
    expect(parseWindowRecord(value)).toEqual(windowRecordOf(window));
    const doubles = { sum: 0.3, min: -0.1, max: 0.25, mean: 0.1 };
    const bounds = { windowStart: 1_000, windowEnd: 2_000 };
    expect(windowRecordOf(window)).toEqual({ sensorId: 'sensor "1"', ...bounds, count: 3, ...doubles });
  });

  it('says why a record is not a window', () => {
    expect(readWindowText(Buffer.from('{"sensorId": 1}'))).toBeNull();
    expect(parseWindowRecord(Buffer.from('{'))).toEqual({ error: 'not JSON' });
    expect(parseWindowRecord(Buffer.from('{"sensorId": "a"}'))).toHaveProperty('error');
  });

  it("keeps only the record's own fields of a window that carries more", () => {
    const record = windowRecordOf(window);
    expect(windowRecordFields({ ...record, seq: 7, closedAt: 2_500 } as typeof record)).toEqual(record);
  });
});
