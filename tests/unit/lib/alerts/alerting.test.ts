/** alertingSensors: which sensors alert now, from events in any order; and the event ring. */
import { describe, expect, it } from 'vitest';
import type { AlertEvent } from '../../../../lib/contract';
import { alertingSensors } from '../../../../lib/alerts/alertingSensors';
import { AlertEvaluator } from '../../../../lib/alerts/evaluator';
import { AlertEventLog } from '../../../../lib/alerts/eventLog';

const ev = (
  kind: AlertEvent['kind'],
  sensorId: string,
  windowStart: number,
  firedAt: number,
  over: Partial<AlertEvent> = {},
): AlertEvent => ({
  id: `${over.ruleId ?? 'r1'}/${sensorId}/${windowStart}/${kind}`,
  kind,
  ...(kind === 'resolved' ? { reason: 'condition' as const } : {}),
  ruleId: 'r1',
  ruleName: 'hot',
  condition: 'mean > 80 for 1 window',
  sensorId,
  windowStart,
  windowEnd: windowStart + 1,
  value: 1,
  firedAt,
  ...over,
});

describe('alertingSensors', () => {
  it('is empty without events, and a sensor alerts until resolved', () => {
    expect(alertingSensors([]).size).toBe(0);
    expect(alertingSensors([ev('alert', 'a', 0, 100)])).toEqual(new Map([['a', { ruleId: 'r1', since: 100 }]]));
    expect(alertingSensors([ev('alert', 'a', 0, 100), ev('resolved', 'a', 5, 200)]).size).toBe(0);
  });

  it('decides by window, whatever the order of the list (e.g. newest first)', () => {
    const events = [ev('alert', 'a', 0, 100), ev('resolved', 'a', 5, 200), ev('alert', 'a', 10, 300)];
    const expected = new Map([['a', { ruleId: 'r1', since: 300 }]]);
    expect(alertingSensors(events)).toEqual(expected);
    expect(alertingSensors([...events].reverse())).toEqual(expected);
  });

  it('on one window: a gap resolve precedes the new alert; a rule resolve follows it', () => {
    const gap = ev('resolved', 'a', 5, 200, { reason: 'gap' });
    const alert = ev('alert', 'a', 5, 200);
    expect(alertingSensors([alert, gap]).get('a')).toEqual({ ruleId: 'r1', since: 200 });
    const ruleGone = ev('resolved', 'a', 5, 900, { reason: 'rule' });
    expect(alertingSensors([ruleGone, alert]).size).toBe(0);
  });

  it('a sensor alerting on several rules shows the one alerting longest', () => {
    const map = alertingSensors([
      ev('alert', 'a', 10, 300, { ruleId: 'late' }),
      ev('alert', 'a', 0, 100, { ruleId: 'early' }),
      ev('alert', 'b', 0, 50, { ruleId: 'x' }),
    ]);
    expect(map).toEqual(
      new Map([
        ['a', { ruleId: 'early', since: 100 }],
        ['b', { ruleId: 'x', since: 50 }],
      ]),
    );
  });

  it('agrees with the evaluator on a sequence with a gap', () => {
    const evaluator = new AlertEvaluator([
      { id: 'r1', name: 'n', metric: 'max', op: '>=', threshold: 5, forWindows: 1, updatedAt: 0 },
    ]);
    const win = (i: number, max: number) => ({
      sensorId: 's',
      windowStart: i * 10,
      windowEnd: i * 10 + 10,
      count: 1,
      sum: max,
      min: max,
      max,
      mean: max,
    });
    const events = [win(0, 5), win(2, 6)].flatMap((x, i) => evaluator.accept(x, i));
    expect(events.map((e) => e.kind)).toEqual(['alert', 'resolved', 'alert']);
    expect(alertingSensors(events).get('s')).toEqual({ ruleId: 'r1', since: 1 });
  });
});

describe('AlertEventLog', () => {
  it('keeps the newest events up to its capacity, newest first', () => {
    const log = new AlertEventLog(3);
    log.add([1, 2].map((i) => ev('alert', 'a', i, i)));
    log.add([3, 4].map((i) => ev('alert', 'a', i, i)));
    expect(log.size).toBe(3);
    expect(log.latest(10).map((e) => e.firedAt)).toEqual([4, 3, 2]);
    expect(log.latest(1).map((e) => e.firedAt)).toEqual([4]);
  });
});
