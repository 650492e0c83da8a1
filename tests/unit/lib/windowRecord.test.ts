import { describe, expect, it } from 'vitest';
import { parseDecimal, type Decimal } from '../../../lib/decimal';
import type { WindowResult } from '../../../lib/engine/windowEngine';
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
