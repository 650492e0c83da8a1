import { describe, expect, it } from 'vitest';
import type { RuntimeConfig } from '../../../../lib/contract';
import { PendingConfigTimer } from '../../../../server/web/pendingConfigTimer';

function config(now: number, changes: { at: number; seconds: number }[]): RuntimeConfig {
  const due = changes.filter((c) => c.at <= now);
  const next = changes.find((c) => c.at > now);
  return {
    windowSeconds: due.at(-1)?.seconds ?? 1,
    allowedLatenessSeconds: 1,
    effectiveFrom: due.at(-1)?.at ?? null,
    calendar: null,
    pending: next ? { windowSeconds: next.seconds, calendar: null, effectiveFrom: next.at } : null,
    schedule: [],
    version: 1,
    updatedAt: 0,
    aggregates: [],
    quantileRelativeAccuracy: 0.01,
  };
}

describe('pending config timer', () => {
  it('publishes each pending change once, when it comes into force, and nothing otherwise', () => {
    let now = 1_000;
    const timers: { at: number; run: () => void }[] = [];
    const changes = [
      { at: 5_000, seconds: 5 },
      { at: 9_000, seconds: 10 },
    ];
    const published: number[] = [];
    const timer = new PendingConfigTimer(
      () => config(now, changes),
      (c) => published.push(c.windowSeconds),
      {
        now: () => now,
        setTimer: (run, ms) => timers.push({ at: now + ms, run }),
        clearTimer: () => undefined,
      },
    );
    timer.arm();
    expect(timers.map((t) => t.at)).toEqual([5_001]);
    now = 5_001;
    timers.shift()!.run();
    expect(published).toEqual([5]);
    expect(timers.map((t) => t.at)).toEqual([9_001]);
    now = 9_001;
    timers.shift()!.run();
    expect(published).toEqual([5, 10]);
    expect(timers).toEqual([]); // nothing pending: no timer
  });
});
