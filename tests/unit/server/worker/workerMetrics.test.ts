import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { WorkerCounters } from '../../../../lib/stats/workerCounters';
import { lagOf } from '../../../../server/kafka/consumerLag';
import { registerWorkerMetrics } from '../../../../server/worker/workerMetrics';

function counters(readings: number, late: string[], deadLetters: ['not_json' | 'bad_time', number][]): WorkerCounters {
  const c = new WorkerCounters();
  c.readings = readings;
  c.windows = readings / 2;
  for (const id of late) c.countLate(id);
  for (const [code, n] of deadLetters) for (let i = 0; i < n; i++) c.countDeadLetter(code);
  return c;
}

describe('WorkerCounters', () => {
  it('adds up tasks, late readings by sensor and dead letters by reason', () => {
    const total = WorkerCounters.sum([
      counters(10, ['a', 'b'], [['not_json', 2]]),
      counters(
        4,
        ['a'],
        [
          ['not_json', 1],
          ['bad_time', 3],
        ],
      ),
    ]);
    expect([total.readings, total.windows, total.late, total.deadLettered]).toEqual([14, 7, 3, 6]);
    expect(Object.fromEntries(total.lateBySensor)).toEqual({ a: 2, b: 1 });
    expect(Object.fromEntries(total.deadLetters)).toEqual({ not_json: 3, bad_time: 3 });
  });
});

describe('worker metrics', () => {
  it("reads the worker's own counts when scraped, every reason present", async () => {
    const registry = new Registry();
    let totals = counters(10, ['a'], [['not_json', 2]]);
    registerWorkerMetrics(
      registry,
      {
        totals: () => totals,
        watermarks: () => [{ partition: 2, watermarkMs: 9_000 }],
        assignedPartitions: [0, 2],
        openWindows: 7,
        rebalances: 3,
      },
      () => 10_500,
    );
    let text = await registry.metrics();
    expect(text).toContain('windowpane_readings_consumed_total 10');
    expect(text).toContain('windowpane_windows_emitted_total 5');
    expect(text).toContain('windowpane_late_readings_total 1');
    expect(text).toContain('windowpane_dead_letters_total{reason="not_json"} 2');
    expect(text).toContain('windowpane_dead_letters_total{reason="key_mismatch"} 0');
    expect(text).toContain('windowpane_watermark_delay_seconds{partition="2"} 1.5');
    expect(text).toContain('windowpane_assigned_partitions 2');
    expect(text).toContain('windowpane_open_windows 7');
    expect(text).toContain('windowpane_rebalances_total 3');
    expect(text).toMatch(/# TYPE windowpane_readings_consumed_total counter/);
    totals = counters(12, [], []);
    text = await registry.metrics();
    expect(text).toContain('windowpane_readings_consumed_total 12');
  });
});

describe('lagOf', () => {
  it('measures from the committed offset, or from the log start when the group has none', () => {
    const ends = [
      { partition: 1, high: '50', low: '10' },
      { partition: 0, high: '100', low: '0' },
    ];
    expect(
      lagOf(
        [
          { partition: 0, offset: '40' },
          { partition: 1, offset: '-1' },
        ],
        ends,
      ),
    ).toEqual([
      { partition: 0, committed: 40, end: 100, lag: 60 },
      { partition: 1, committed: null, end: 50, lag: 40 },
    ]);
  });
});
