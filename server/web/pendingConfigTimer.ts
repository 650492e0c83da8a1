/**
 * Tells browsers when a pending window-size change comes into force: a timer set for the moment
 * it does (re-armed whenever the config changes), instead of comparing the whole config every
 * 500 ms. Clock and timers are injected so the rule is unit-tested without waiting.
 */
import type { RuntimeConfig } from '../../lib/contract';

export interface TimerDeps {
  now(): number;
  setTimer(run: () => void, ms: number): unknown;
  clearTimer(handle: unknown): void;
}

const realTimers: TimerDeps = {
  now: Date.now,
  setTimer: (run, ms) => setTimeout(run, ms).unref(),
  clearTimer: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

/** setTimeout's longest delay; a change further away is re-armed when this one fires. */
const MAX_DELAY_MS = 2_147_483_647;

export class PendingConfigTimer {
  private handle: unknown = null;

  constructor(
    private readonly current: () => RuntimeConfig,
    private readonly publish: (config: RuntimeConfig) => void,
    private readonly deps: TimerDeps = realTimers,
  ) {}

  /** Call after every config change (and once at start). */
  arm(): void {
    this.stop();
    const pending = this.current().pending;
    if (!pending) return;
    const delay = Math.min(MAX_DELAY_MS, Math.max(0, pending.effectiveFrom - this.deps.now()) + 1);
    this.handle = this.deps.setTimer(() => {
      this.handle = null;
      const config = this.current();
      if (config.pending?.effectiveFrom !== pending.effectiveFrom) this.publish(config);
      this.arm();
    }, delay);
  }

  stop(): void {
    if (this.handle !== null) this.deps.clearTimer(this.handle);
    this.handle = null;
  }
}
