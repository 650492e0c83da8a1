import { describe, expect, it } from 'vitest';
import { LiveStore, withEvents } from '../../../../components/dashboard/liveStore';
import type { AlertEvent, RuntimeConfig } from '../../../../lib/contract';

const event = (id: string, windowStart: number): AlertEvent =>
  ({
    id,
    kind: 'alert',
    ruleId: 'r',
    ruleName: 'r',
    condition: 'count >= 1 for 1 window',
    sensorId: 's',
    windowStart,
    windowEnd: windowStart + 1_000,
    value: 1,
    firedAt: windowStart + 1_000,
  }) as AlertEvent;
const config = (version: number): RuntimeConfig => ({
  windowSeconds: version,
  calendar: null,
  allowedLatenessSeconds: 1,
  effectiveFrom: null,
  pending: null,
  schedule: [],
  version,
  updatedAt: 0,
  aggregates: [],
  quantileRelativeAccuracy: 0.01,
});

describe('the live store', () => {
  it('keeps alert events newest first, each once', () => {
    const held = withEvents([], [event('a', 0), event('b', 1_000)]);
    expect(held.map((e) => e.id)).toEqual(['b', 'a']);
    const more = withEvents(held, [event('b', 1_000), event('c', 2_000)]);
    expect(more.map((e) => e.id)).toEqual(['c', 'b', 'a']);
    expect(withEvents(more, [event('a', 0)])).toBe(more); // nothing new: the same array, no re-render
  });

  it('tells subscribers of a change, gives the same snapshot until then, and never takes an older config', () => {
    const store = new LiveStore();
    let calls = 0;
    const unsubscribe = store.subscribe(() => calls++);
    const first = store.getSnapshot();
    expect(store.getSnapshot()).toBe(first);
    store.acceptConfig(config(2));
    store.acceptConfig(config(1));
    expect(store.getSnapshot().config?.version).toBe(2);
    expect(calls).toBe(1);
    unsubscribe();
    store.acceptConfig(config(3));
    expect(calls).toBe(1);
  });
});
