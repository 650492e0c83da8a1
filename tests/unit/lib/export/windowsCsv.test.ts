/**
 * CSV injection: a sensor id is whatever a producer wrote to the input topic, and an exported CSV
 * is opened in a spreadsheet. Ids that start like a formula must arrive as text.
 */
import { describe, expect, it } from 'vitest';
import type { WindowResultRecord } from '../../../../lib/contract';
import { windowsToCsv } from '../../../../lib/export/windowsCsv';

const window = (sensorId: string, over: Partial<WindowResultRecord> = {}): WindowResultRecord => ({
  sensorId,
  windowStart: 0,
  windowEnd: 1_000,
  count: 2,
  sum: -3.5,
  min: -2,
  max: -1.5,
  mean: -1.75,
  ...over,
});

/** The first data row, as written. */
const firstRow = (csv: string) => csv.split('\r\n')[1];

describe('windowsToCsv columns', () => {
  it('adds a column for each extra aggregate any window carries, in the record order, empty where one lacks it', () => {
    const csv = windowsToCsv([window('a', { p99: 4, stddev: 0.25 }), window('b')]);
    const [header, a, b] = csv.split('\r\n');
    expect(header).toBe('sensorId,windowStart,windowEnd,count,sum,min,max,mean,stddev,p99');
    expect(a).toBe('a,0,1000,2,-3.5,-2,-1.5,-1.75,0.25,4');
    expect(b).toBe('b,0,1000,2,-3.5,-2,-1.5,-1.75,,');
  });
});

describe('windowsToCsv against formula injection', () => {
  it.each([
    ['=HYPERLINK("http://x","y")', `"'=HYPERLINK(""http://x"",""y"")"`],
    ['-1+2', `"'-1+2"`],
    ['+1', `"'+1"`],
    ['@SUM(A1)', `"'@SUM(A1)"`],
    ['\tcmd', `"'\tcmd"`],
    ['\r=1', `"'\r=1"`],
    ['=1,2', `"'=1,2"`],
  ])('writes sensor id %j as quoted text with a leading quote', (sensorId, cell) => {
    expect(firstRow(windowsToCsv([window(sensorId)]))).toBe(`${cell},0,1000,2,-3.5,-2,-1.5,-1.75`);
  });

  it('leaves ordinary ids and negative numbers as they are', () => {
    expect(firstRow(windowsToCsv([window('boiler-3')]))).toBe('boiler-3,0,1000,2,-3.5,-2,-1.5,-1.75');
    expect(firstRow(windowsToCsv([window('a=b', { sum: -1e21 })]))).toBe('a=b,0,1000,2,-1e+21,-2,-1.5,-1.75');
    expect(firstRow(windowsToCsv([window('a "b"')]))).toBe('"a ""b""",0,1000,2,-3.5,-2,-1.5,-1.75');
  });
});
