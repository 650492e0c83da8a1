import { describe, expect, it } from 'vitest';
import type { WorkerStats } from '../../../../lib/contract';
import { ClusterStats, topLateSensors } from '../../../../lib/stats/clusterStats';

const report = (instance: string, at: number, over: Partial<WorkerStats> = {}): WorkerStats => ({
  instance,
  at,
  partitions: [],
  readingsTotal: 0,
  windowsTotal: 0,
  lateTotal: 0,
  invalidTotal: 0,
  lateBySensor: {},
  openWindows: 0,
  lowestWatermarkMs: null,
  ...over,
});

describe('ClusterStats', () => {
  it('adds up the workers of the group and keeps the lowest watermark', () => {
    const cluster = new ClusterStats(10_000);
    cluster.accept(
      report('a', 1_000, {
        partitions: [2, 0],
        readingsTotal: 10,
        lateTotal: 2,
        lateBySensor: { s1: 2 },
        lowestWatermarkMs: 500,
        openWindows: 3,
      }),
    );
    cluster.accept(
      report('b', 1_000, {
        partitions: [1],
        readingsTotal: 5,
        lateTotal: 1,
        lateBySensor: { s1: 1 },
        lowestWatermarkMs: 400,
        openWindows: 1,
      }),
    );
    expect(cluster.totals(2_000)).toEqual({
      workers: 2,
      partitions: [0, 1, 2],
      readingsTotal: 15,
      windowsTotal: 0,
      lateTotal: 3,
      invalidTotal: 0,
      lateBySensor: new Map([['s1', 3]]),
      lateUntracked: 0,
      openWindows: 4,
      lowestWatermarkMs: 400,
    });
  });

  it('keeps only the newest report of a worker, whatever order they arrive in', () => {
    const cluster = new ClusterStats(10_000);
    cluster.accept(report('a', 2_000, { readingsTotal: 20 }));
    cluster.accept(report('a', 1_000, { readingsTotal: 10 }));
    expect(cluster.totals(2_000).readingsTotal).toBe(20);
  });

  it('keeps the counters of a worker that went away, but not its partitions or watermark', () => {
    const cluster = new ClusterStats(10_000);
    cluster.accept(
      report('gone', 1_000, {
        partitions: [0],
        readingsTotal: 7,
        invalidTotal: 1,
        lateBySensor: { s: 4 },
        lateTotal: 4,
        lowestWatermarkMs: 1,
      }),
    );
    cluster.accept(
      report('new', 12_000, {
        partitions: [0],
        readingsTotal: 3,
        lateBySensor: { s: 1 },
        lateTotal: 1,
        lowestWatermarkMs: 9,
      }),
    );
    const totals = cluster.totals(12_000);
    expect(totals).toMatchObject({
      workers: 1,
      partitions: [0],
      readingsTotal: 10,
      invalidTotal: 1,
      lateTotal: 5,
      lowestWatermarkMs: 9,
    });
    expect(totals.lateBySensor.get('s')).toBe(5);
    // Retired once: asking again does not count it twice.
    expect(cluster.totals(13_000).readingsTotal).toBe(10);
  });
});

describe('topLateSensors', () => {
  it('keeps the sensors with the most late readings', () => {
    expect(
      topLateSensors(
        new Map([
          ['a', 1],
          ['b', 5],
          ['c', 3],
        ]),
        2,
      ),
    ).toEqual({ b: 5, c: 3 });
    expect(topLateSensors(new Map([['a', 1]]), 2)).toEqual({ a: 1 });
  });
});

describe('LatencySample', () => {
  it('gives nearest-rank percentiles over the most recent values only', async () => {
    const { LatencySample, percentile } = await import('../../../../lib/stats/latency');
    expect(percentile([5, 1, 4, 2, 3], 50)).toBe(3);
    expect(percentile([5, 1, 4, 2, 3], 100)).toBe(5);
    expect(
      percentile(
        Array.from({ length: 100 }, (_, i) => i + 1),
        99,
      ),
    ).toBe(99);
    expect(percentile([], 50)).toBeNull();
    const sample = new LatencySample(3);
    for (const v of [100, 100, 100, 1, 2, 3]) sample.add(v);
    expect(sample.size).toBe(3);
    expect(sample.percentile(100)).toBe(3);
  });
});

describe('ClusterStats with MAX_SENSORS', () => {
  it('adds up late readings of at most maxSensors sensors one by one, the rest in lateUntracked', () => {
    const cluster = new ClusterStats(10_000, 2);
    cluster.accept(report('a', 1_000, { lateTotal: 6, lateBySensor: { s1: 1, s2: 2, s3: 3 } }));
    cluster.accept(report('b', 1_000, { lateTotal: 1, lateBySensor: { s1: 1 } }));
    let totals = cluster.totals(2_000);
    expect(Object.fromEntries(totals.lateBySensor)).toEqual({ s1: 2, s2: 2 });
    expect([totals.lateTotal, totals.lateUntracked]).toEqual([7, 3]);
    totals = cluster.totals(60_000); // both retired: still bounded, still counted
    expect(totals.lateBySensor.size).toBe(2);
    expect(totals.lateUntracked).toBe(3);
  });
});
