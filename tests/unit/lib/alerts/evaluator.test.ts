/** The alert evaluator's rules, each on a small sequence of windows. */
import { describe, expect, it } from 'vitest';
import type { AlertEvent, AlertRule, WindowResultRecord } from '../../../../lib/contract';
import { AlertEvaluator } from '../../../../lib/alerts/evaluator';
import { describeCondition, holds } from '../../../../lib/alerts/condition';

const SIZE = 5_000;
const rule = (over: Partial<AlertRule> = {}): AlertRule => ({
  id: 'r1',
  name: 'hot',
  metric: 'mean',
  op: '>',
  threshold: 80,
  forWindows: 3,
  updatedAt: 0,
  ...over,
});
/** Window `i` of a sensor (start = i × 5 s) with every aggregate derived from `mean`. */
const w = (i: number, mean: number, sensorId = 's1', over: Partial<WindowResultRecord> = {}): WindowResultRecord => ({
  sensorId,
  windowStart: i * SIZE,
  windowEnd: (i + 1) * SIZE,
  count: 2,
  sum: mean * 2,
  min: mean - 1,
  max: mean + 1,
  mean,
  ...over,
});

/** Feeds windows in order; returns "kind@window" for each event (resolved with its reason). */
function run(evaluator: AlertEvaluator, windows: WindowResultRecord[], now = 1_000): string[] {
  return windows.flatMap((x) => evaluator.accept(x, now)).map(tag);
}
const tag = (e: AlertEvent) =>
  `${e.kind === 'alert' ? 'alert' : `resolved:${e.reason}`}@${e.sensorId}/${e.windowStart / SIZE}`;

describe('AlertEvaluator', () => {
  it('fires once when the condition has held for forWindows consecutive windows', () => {
    const ev = new AlertEvaluator([rule()]);
    expect(run(ev, [w(0, 81), w(1, 90)])).toEqual([]);
    const [fired] = ev.accept(w(2, 85), 1_234);
    expect(fired).toEqual({
      id: 'r1/s1/10000/alert',
      kind: 'alert',
      ruleId: 'r1',
      ruleName: 'hot',
      condition: 'mean > 80 for 3 windows',
      sensorId: 's1',
      windowStart: 10_000,
      windowEnd: 15_000,
      value: 85,
      firedAt: 1_234,
    });
    // Still holding: no second alert for the same run.
    expect(run(ev, [w(3, 99), w(4, 100)])).toEqual([]);
  });

  it('resolves when the condition stops holding, and a new run fires again', () => {
    const ev = new AlertEvaluator([rule({ forWindows: 2 })]);
    expect(run(ev, [w(0, 81), w(1, 81), w(2, 80), w(3, 81), w(4, 70), w(5, 90), w(6, 91)])).toEqual([
      'alert@s1/1',
      'resolved:condition@s1/2',
      'alert@s1/6',
    ]);
  });

  it('a run that never reached forWindows ends without a resolved event', () => {
    const ev = new AlertEvaluator([rule()]);
    expect(run(ev, [w(0, 81), w(1, 81), w(2, 10), w(3, 81)])).toEqual([]);
  });

  it('the same window delivered twice counts once', () => {
    const ev = new AlertEvaluator([rule()]);
    expect(run(ev, [w(0, 81), w(0, 81), w(1, 81), w(1, 81), w(1, 95)])).toEqual([]);
    expect(run(ev, [w(2, 81)])).toEqual(['alert@s1/2']);
    // Redelivered after it fired: neither a second alert nor a resolve.
    expect(run(ev, [w(2, 81), w(2, 10), w(1, 10)])).toEqual([]);
  });

  it('a missing window breaks the run', () => {
    const ev = new AlertEvaluator([rule()]);
    expect(run(ev, [w(0, 81), w(1, 81), w(3, 81), w(4, 81)])).toEqual([]);
    expect(run(ev, [w(5, 81)])).toEqual(['alert@s1/5']);
  });

  it('a gap during a firing run resolves it; the window after the gap may start a new run', () => {
    const ev = new AlertEvaluator([rule({ forWindows: 1 })]);
    expect(run(ev, [w(0, 81), w(2, 81), w(4, 10)])).toEqual([
      'alert@s1/0',
      'resolved:gap@s1/2',
      'alert@s1/2',
      'resolved:gap@s1/4',
    ]);
  });

  it('judges an extra aggregate, and a window without it breaks the run as a missing one does', () => {
    const ev = new AlertEvaluator([rule({ metric: 'p95', threshold: 100, forWindows: 2 })]);
    const p95 = (i: number, value?: number) => w(i, 50, 's1', value === undefined ? {} : { p95: value });
    expect(run(ev, [p95(0, 120), p95(1, 130)])).toEqual(['alert@s1/1']);
    // Window 2 closed without a p95 (a worker with other WINDOW_AGGREGATES): not judged.
    expect(run(ev, [p95(2), p95(3, 140)])).toEqual(['resolved:gap@s1/3']);
    expect(run(ev, [p95(4, 150)])).toEqual(['alert@s1/4']);
  });

  it('windows of changing size are consecutive when each starts where the last ended', () => {
    const ev = new AlertEvaluator([rule({ forWindows: 2 })]);
    const events = [
      ...ev.accept(w(0, 81, 's1', { windowEnd: 3_000 }), 0),
      ...ev.accept(w(0, 81, 's1', { windowStart: 3_000, windowEnd: 5_000 }), 0),
    ];
    expect(events.map(tag)).toEqual(['alert@s1/0.6']);
  });

  it('keeps a run per sensor: one sensor neither breaks nor counts for another', () => {
    const ev = new AlertEvaluator([rule({ forWindows: 2 })]);
    expect(run(ev, [w(0, 81, 'a'), w(0, 81, 'b'), w(1, 10, 'b'), w(1, 81, 'a'), w(2, 81, 'b'), w(3, 81, 'b')])).toEqual(
      ['alert@a/1', 'alert@b/3'],
    );
  });

  it('a rule with a sensorId judges only that sensor', () => {
    const ev = new AlertEvaluator([rule({ forWindows: 1, sensorId: 'b' })]);
    expect(run(ev, [w(0, 99, 'a'), w(0, 99, 'b')])).toEqual(['alert@b/0']);
  });

  it.each([
    ['sum', '>', 100, [w(0, 50), w(1, 51)], ['alert@s1/1']],
    ['count', '>=', 2, [w(0, 1, 's1', { count: 1 }), w(1, 1)], ['alert@s1/1']],
    ['min', '<', 0, [w(0, 1), w(1, 0.5)], ['alert@s1/1']],
    ['max', '<=', 3, [w(0, 3), w(1, 2)], ['alert@s1/1']],
    ['mean', '>', 80, [w(0, 80), w(1, 80.5)], ['alert@s1/1']],
  ] as const)('reads %s with %s', (metric, op, threshold, windows, expected) => {
    const ev = new AlertEvaluator([rule({ metric, op, threshold, forWindows: 1 })]);
    expect(run(ev, [...windows])).toEqual(expected);
  });

  it('compares at the threshold as the operator says', () => {
    expect([holds(80, '>', 80), holds(80, '>=', 80), holds(80, '<', 80), holds(80, '<=', 80)]).toEqual([
      false,
      true,
      false,
      true,
    ]);
    expect(describeCondition({ metric: 'max', op: '<=', threshold: -1.5, forWindows: 1 })).toBe(
      'max <= -1.5 for 1 window',
    );
  });

  it('several rules on one window each give their own event', () => {
    const ev = new AlertEvaluator([
      rule({ id: 'hot', forWindows: 1 }),
      rule({ id: 'cold', op: '<', threshold: 100, forWindows: 1 }),
    ]);
    expect(ev.accept(w(0, 90), 0).map((e) => e.ruleId)).toEqual(['hot', 'cold']);
  });

  it('deleting or changing the condition of a rule resolves its firing runs and starts over', () => {
    const ev = new AlertEvaluator([rule({ forWindows: 1 }), rule({ id: 'r2', forWindows: 2 })]);
    expect(run(ev, [w(0, 81, 'a'), w(0, 81, 'b'), w(1, 81, 'a')])).toEqual(['alert@a/0', 'alert@b/0', 'alert@a/1']);
    // r1 deleted, r2 raised to 3 windows: both resolve where their runs stood.
    const changed = ev.setRules([rule({ id: 'r2', forWindows: 3 })], 5_000);
    expect(changed.map((e) => `${e.ruleId}:${tag(e)}:${e.firedAt}`).sort()).toEqual([
      'r1:resolved:rule@a/1:5000',
      'r1:resolved:rule@b/0:5000',
      'r2:resolved:rule@a/1:5000',
    ]);
    // r2's run counts again from the next window under the new condition.
    expect(run(ev, [w(2, 81, 'a'), w(3, 81, 'a')])).toEqual([]);
    expect(run(ev, [w(4, 81, 'a')])).toEqual(['alert@a/4']);
  });

  it('a rename or a new webhook keeps the runs going', () => {
    const ev = new AlertEvaluator([rule()]);
    run(ev, [w(0, 81), w(1, 81)]);
    expect(ev.setRules([rule({ name: 'renamed', webhookUrl: 'http://example.com/hook' })], 0)).toEqual([]);
    const [fired] = ev.accept(w(2, 81), 0);
    expect(fired).toMatchObject({ kind: 'alert', ruleName: 'renamed' });
  });

  it('a rule added later judges the windows that come after it', () => {
    const ev = new AlertEvaluator();
    run(ev, [w(0, 81), w(1, 81)]);
    ev.setRules([rule({ forWindows: 2 })], 0);
    expect(run(ev, [w(2, 81)])).toEqual([]);
    expect(run(ev, [w(3, 81)])).toEqual(['alert@s1/3']);
  });
});
