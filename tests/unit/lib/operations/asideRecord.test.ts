import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import type { AsideRecordView } from '../../../../lib/contract';
import { rangesOf } from '../../../../lib/kafka/readPlan';
import { headerText } from '../../../../lib/asideEnvelope';
import { asideRecordView, bytesView } from '../../../../lib/operations/asideRecord';
import { AsideRing } from '../../../../lib/operations/asideRing';
import { ratesBetween } from '../../../../lib/operations/rates';

describe('bytesView', () => {
  it('shows valid UTF-8 as text, anything else as base64', () => {
    expect(bytesView(Buffer.from('{"id": "é"}'), 100)).toEqual({
      encoding: 'utf8',
      data: '{"id": "é"}',
      bytes: 12,
      truncated: false,
    });
    expect(bytesView(Buffer.from([0xc3, 0x28]), 100)).toEqual({
      encoding: 'base64',
      data: 'wyg=',
      bytes: 2,
      truncated: false,
    });
    expect(bytesView(null, 100)).toBeNull();
    expect(bytesView(Buffer.alloc(0), 100)).toEqual({ encoding: 'utf8', data: '', bytes: 0, truncated: false });
  });

  it('cuts long text at a character boundary, and long bytes at the limit', () => {
    // "é" is two bytes: four bytes hold "aé" and not half of the next "é".
    expect(bytesView(Buffer.from('aééé'), 4)).toEqual({ encoding: 'utf8', data: 'aé', bytes: 7, truncated: true });
    expect(bytesView(Buffer.from([0xff, 1, 2, 3]), 2)).toEqual({
      encoding: 'base64',
      data: Buffer.from([0xff, 1]).toString('base64'),
      bytes: 4,
      truncated: true,
    });
  });

  it('keeps a copy of at most maxBytes, never the whole record, when it cuts', () => {
    // Twenty records of 1 MiB shown as 100 bytes each: what is kept must not hold on to the records.
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as () => void;
    gc();
    const before = process.memoryUsage().heapUsed;
    const kept = Array.from({ length: 20 }, (_, i) => {
      const text = bytesView(Buffer.from(String(i).padEnd(1 << 20, 'x')), 100);
      const binary = bytesView(Buffer.alloc(1 << 20, i === 0 ? 0xff : 0xfe), 100);
      return [text, binary];
    });
    gc();
    const grown = process.memoryUsage().heapUsed - before;
    for (const [text, binary] of kept) {
      expect(Buffer.byteLength(text?.data ?? '', 'utf8')).toBeLessThanOrEqual(100);
      expect(Buffer.from(binary?.data ?? '', 'base64').length).toBeLessThanOrEqual(100);
    }
    expect(grown).toBeLessThan(4 << 20);
  });

  it('keeps markup as text: the page shows it escaped, never as HTML', () => {
    expect(bytesView(Buffer.from('<img src=x onerror=alert(1)>'), 100)?.data).toBe('<img src=x onerror=alert(1)>');
  });
});

describe('asideRecordView', () => {
  it('reads the headers the partition stage writes', () => {
    const view = asideRecordView(
      'dlq',
      0,
      {
        offset: '41',
        timestamp: '1700000000123',
        key: Buffer.from('k'),
        value: Buffer.from('not json'),
        headers: {
          'windowpane-reason': Buffer.from('value: not valid JSON'),
          'windowpane-topic': Buffer.from('readings'),
          'windowpane-partition': Buffer.from('2'),
          'windowpane-offset': '1234',
        },
      },
      100,
    );
    expect(view).toEqual({
      topic: 'dlq',
      partition: 0,
      offset: '41',
      timestamp: 1_700_000_000_123,
      reason: 'value: not valid JSON',
      source: { topic: 'readings', partition: 2, offset: '1234' },
      key: { encoding: 'utf8', data: 'k', bytes: 1, truncated: false },
      value: { encoding: 'utf8', data: 'not json', bytes: 8, truncated: false },
    });
  });

  it('gives null for missing or malformed headers rather than guessing', () => {
    const view = asideRecordView(
      'late',
      1,
      {
        offset: '0',
        timestamp: '5',
        key: null,
        value: null,
        headers: { 'windowpane-partition': 'x', 'windowpane-offset': Buffer.from([0xff]) },
      },
      100,
    );
    expect(view).toMatchObject({
      reason: null,
      source: { topic: null, partition: null, offset: null },
      key: null,
      value: null,
    });
    expect(headerText(['first', 'second'])).toBe('first');
    expect(headerText(undefined)).toBeNull();
  });
});

const record = (partition: number, offset: number, timestamp: number): AsideRecordView => ({
  topic: 't',
  partition,
  offset: String(offset),
  timestamp,
  reason: null,
  source: { topic: null, partition: null, offset: null },
  key: null,
  value: null,
});

describe('AsideRing', () => {
  it('keeps the newest records per partition and lists the newest first over all partitions', () => {
    const ring = new AsideRing(2);
    for (const r of [record(0, 1, 10), record(0, 2, 30), record(0, 3, 50), record(1, 7, 40), record(1, 8, 40)])
      ring.add(r);
    expect(ring.latest(10).map((r) => `${r.partition}/${r.offset}`)).toEqual(['0/3', '1/8', '1/7', '0/2']);
    expect(ring.latest(1).map((r) => r.offset)).toEqual(['3']);
    expect(ring.find(0, '1')).toBeUndefined();
    expect(ring.find(1, '7')?.timestamp).toBe(40);
  });

  it('ignores a record seen again after a consumer restart', () => {
    const ring = new AsideRing(5);
    ring.add(record(0, 5, 10));
    ring.add(record(0, 4, 9));
    ring.add(record(0, 5, 10));
    expect(ring.latest(5)).toHaveLength(1);
  });
});

describe('ratesBetween', () => {
  const sample = (at: number, windowsTotal: number, lateTotal: number, invalidTotal: number) => ({
    at,
    windowsTotal,
    lateTotal,
    invalidTotal,
  });

  it('differences two samples per second', () => {
    expect(ratesBetween(sample(1_000, 10, 0, 2), sample(3_000, 30, 4, 3))).toEqual({
      windowsPerSecond: 10,
      latePerSecond: 2,
      deadLettersPerSecond: 0.5,
    });
  });

  it('says nothing from one sample, samples too close together, or counters that went down', () => {
    expect(ratesBetween(null, sample(1, 1, 1, 1))).toBeNull();
    expect(ratesBetween(sample(1_000, 1, 1, 1), sample(1_100, 2, 2, 2))).toBeNull();
    expect(ratesBetween(sample(1_000, 10, 1, 1), sample(5_000, 2, 2, 2))).toBeNull();
  });
});

describe('rangesOf', () => {
  it('reads offsets close together as one range and far ones apart', () => {
    expect(rangesOf([12, 10, 10, 900, 5_000])).toEqual([
      { start: 10, end: 901 },
      { start: 5_000, end: 5_001 },
    ]);
    expect(rangesOf([])).toEqual([]);
  });
});
