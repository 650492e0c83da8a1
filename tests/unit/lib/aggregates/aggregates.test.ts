/**
 * The extra aggregates on small sequences: which are chosen, the first/last rule, what a partial
 * lacking state does to its window, and the record the engine's stores write for them, checked
 * against the reference recomputation (lib/reference.ts), which derives each from the readings.
 */
import { describe, expect, it } from 'vitest';
import {
  accumulationFor,
  EXTRA_AGGREGATES,
  parseAggregateList,
  type AggregateChoice,
} from '../../../../lib/aggregates/choice';
import { parseDecimal, type Decimal } from '../../../../lib/decimal';
import { WindowStore, type WindowResult } from '../../../../lib/engine/windowStore';
import { recomputeWindows, referenceText, type ReferenceReading } from '../../../../lib/reference';
import { compareWindows } from '../../../../lib/verification';
import { readWindowText, encodeWindowRecord } from '../../../../lib/windowRecord';

const dec = (v: string) => parseDecimal(v) as Decimal;
const ALL: AggregateChoice = { extras: EXTRA_AGGREGATES, relativeAccuracy: 0.01 };
const WINDOW = { start: 0, end: 10_000 };

/** Readings of sensor 'a' in one window, each partition's store fed its own in offset order, then merged. */
function merged(readings: ReferenceReading[], choice: AggregateChoice, partitions = 3): WindowResult[] {
  const merge = new WindowStore(accumulationFor(choice));
  for (let p = 0; p < partitions; p++) {
    const store = new WindowStore(accumulationFor(choice), p);
    for (const r of readings.filter((x) => x.partition === p)) store.addReading(WINDOW, r, r.offset!);
    for (const partial of store.closeUpTo(Infinity)) merge.addPartial(partial, 0);
  }
  return merge.closeUpTo(Infinity);
}

function reading(partition: number, offset: number, timeMs: number, value: string): ReferenceReading {
  return { sensorId: 'a', timeMs, value: dec(value), partition, offset };
}

/** The readings by partition, in offset order, for the reference. */
const logs = (readings: ReferenceReading[]) =>
  [0, 1, 2].map((p) => readings.filter((r) => r.partition === p).sort((a, b) => a.offset! - b.offset!));

function expectEqualsReference(readings: ReferenceReading[], choice: AggregateChoice) {
  const [written] = merged(readings, choice).map((w) =>
    readWindowText(Buffer.from(encodeWindowRecord(w, choice.extras)))!,
  );
  const expected = recomputeWindows(
    logs(readings),
    [{ fromMs: -Infinity, windowMs: 10_000 }],
    Infinity,
    undefined,
    true,
  ).windows.map((w) => referenceText(w, choice.extras));
  const report = compareWindows(expected, [written], { late: 0, invalid: 0 }, undefined, choice.relativeAccuracy);
  expect(report.samples).toEqual([]);
  expect(report.ok).toBe(true);
  return written;
}

describe('choosing aggregates', () => {
  it('takes names in any order, keeps the base ones implicit, and names an unknown one with the choices', () => {
    expect(parseAggregateList('p99, variance,count,, first')).toEqual(['variance', 'first', 'p99']);
    expect(parseAggregateList('')).toEqual([]);
    expect(parseAggregateList('mean,median')).toBe(
      '"median" is not an aggregate; choose from count, sum, min, max, mean, variance, stddev, first, last, p50, p90, p95, p99',
    );
  });

  it('keeps only the state the chosen aggregates need', () => {
    expect(accumulationFor({ extras: ['stddev'], relativeAccuracy: 0.01 })).toEqual({
      squares: true,
      firstLast: false,
      sketchAccuracy: null,
    });
    expect(accumulationFor({ extras: ['last', 'p90'], relativeAccuracy: 0.05 })).toEqual({
      squares: false,
      firstLast: true,
      sketchAccuracy: 0.05,
    });
  });
});

describe('the extra aggregates of a window merged from partitions', () => {
  it('first and last: lowest and highest event time, ties by partition, then offset', () => {
    const readings = [
      reading(2, 0, 1_000, '7'),
      reading(1, 5, 1_000, '3'), // ties at 1 000: partition 1 comes first …
      reading(1, 9, 1_000, '4'), // … and its offset 5 before 9
      reading(0, 3, 2_000, '-1'),
      reading(2, 4, 9_000, '8'),
      reading(0, 8, 9_000, '9'), // ties at 9 000: partition 2 is last
    ];
    const written = expectEqualsReference(readings, ALL);
    expect([written.first, written.last]).toEqual(['3', '8']);
  });

  it('variance and stddev are exact fractions rounded like the mean, negatives and decimals included', () => {
    const values = ['-1.5', '0.1', '0.2', '2', '2', '1e-3', '-0.00007'];
    const readings = values.map((v, i) => reading(i % 3, i, 1_000 * i, v));
    const written = expectEqualsReference(readings, { extras: ['variance', 'stddev'], relativeAccuracy: 0.01 });
    expect(Object.keys(written)).toContain('stddev');
  });

  it('quantiles of negative, zero and positive readings are within the accuracy of the exact ones', () => {
    const readings = Array.from({ length: 301 }, (_, i) =>
      reading(i % 3, i, i, String((((i * 7919) % 601) - 300) / 10)),
    );
    expectEqualsReference(readings, { extras: ['p50', 'p90', 'p95', 'p99'], relativeAccuracy: 0.01 });
  });

  it('leaves out, never guesses, an aggregate one partial lacks the state for', () => {
    const choice: AggregateChoice = { extras: ['variance', 'first', 'p50'], relativeAccuracy: 0.01 };
    const full = new WindowStore(accumulationFor(choice), 0);
    full.addReading(WINDOW, { sensorId: 'a', timeMs: 1, value: dec('1') }, 0);
    const older = new WindowStore(undefined, 1); // a worker that chose no extras
    older.addReading(WINDOW, { sensorId: 'a', timeMs: 2, value: dec('5') }, 0);
    const coarser = new WindowStore(accumulationFor({ ...choice, relativeAccuracy: 0.05 }), 2);
    coarser.addReading(WINDOW, { sensorId: 'a', timeMs: 3, value: dec('2') }, 0);
    const merge = new WindowStore(accumulationFor(choice));
    for (const store of [full, older]) for (const p of store.closeUpTo(Infinity)) merge.addPartial(p, 0);
    const [w] = merge.closeUpTo(Infinity);
    const record = JSON.parse(encodeWindowRecord(w, choice.extras));
    expect(record.count).toBe(2);
    expect(record).not.toHaveProperty('variance');
    expect(record).not.toHaveProperty('first');
    expect(record).not.toHaveProperty('p50');
    // A sketch of another accuracy cannot be merged: the quantile is left out, the rest kept.
    const merge2 = new WindowStore(accumulationFor(choice));
    full.addReading(WINDOW, { sensorId: 'a', timeMs: 1, value: dec('1') }, 0);
    for (const store of [full, coarser]) for (const p of store.closeUpTo(Infinity)) merge2.addPartial(p, 0);
    const record2 = JSON.parse(encodeWindowRecord(merge2.closeUpTo(Infinity)[0], choice.extras));
    expect(record2).not.toHaveProperty('p50');
    expect(record2.first).toBe(1);
    expect(record2.variance).toBe(0.25);
  });
});
