/**
 * The alert evaluator, pure (no I/O; time passed in). Fed each closed window — per sensor in
 * window order, as the output topic keeps them (key = sensor, so one partition per sensor) — it
 * keeps, per (rule, sensor), the run of consecutive windows meeting the rule's condition, and
 * emits an `alert` when a run reaches `forWindows` (once per run) and a `resolved` when a firing
 * run ends.
 *
 * - A window whose start is not after the sensor's last window start is one seen already (a
 *   redelivery or a later revision of it): ignored, so nothing counts twice.
 * - A missing window (start ≠ the previous window's end) breaks every run of that sensor.
 * - Memory: one entry per sensor (the last window seen) plus one per run in progress; a sensor
 *   whose windows do not meet a rule costs that rule nothing.
 */
import type { AlertEvent, AlertRule, WindowResultRecord } from '../contract';
import { describeCondition, holds, metricOf, sameCondition } from './condition';

interface Run {
  /** Consecutive windows meeting the condition, up to and including the last one. */
  length: number;
  lastStart: number;
  lastEnd: number;
  lastValue: number;
  firing: boolean;
}

export class AlertEvaluator {
  private rules = new Map<string, AlertRule>();
  /** ruleId → sensorId → run in progress (absent: no run). */
  private readonly runs = new Map<string, Map<string, Run>>();
  /** sensorId → the last window taken in. */
  private readonly lastWindow = new Map<string, { start: number; end: number }>();

  constructor(rules: AlertRule[] = []) {
    this.setRules(rules, 0);
  }

  get ruleCount(): number {
    return this.rules.size;
  }

  /**
   * Replaces the rule set. A rule deleted, or changed in what it judges, drops its runs (they were
   * counted under the old condition); a firing run is closed with a `resolved` event (reason
   * `rule`), so nothing stays "alerting" forever. A renamed rule or a new webhook keeps its runs.
   */
  setRules(rules: AlertRule[], nowMs: number): AlertEvent[] {
    const next = new Map(rules.map((r) => [r.id, r]));
    const events: AlertEvent[] = [];
    for (const [ruleId, old] of this.rules) {
      const replacement = next.get(ruleId);
      if (replacement && sameCondition(old, replacement)) continue;
      for (const [sensorId, run] of this.runs.get(ruleId) ?? []) {
        if (run.firing)
          events.push(event(old, sensorId, 'resolved', 'rule', run.lastStart, run.lastEnd, run.lastValue, nowMs));
      }
      this.runs.delete(ruleId);
    }
    this.rules = next;
    return events;
  }

  /** Takes in one closed window; returns the events it causes (usually none). */
  accept(window: WindowResultRecord, nowMs: number): AlertEvent[] {
    const last = this.lastWindow.get(window.sensorId);
    if (last && window.windowStart <= last.start) return [];
    this.lastWindow.set(window.sensorId, { start: window.windowStart, end: window.windowEnd });
    const events: AlertEvent[] = [];
    for (const rule of this.rules.values()) {
      if (rule.sensorId !== undefined && rule.sensorId !== window.sensorId) continue;
      const e = this.step(rule, window, nowMs);
      if (e) events.push(...e);
    }
    return events;
  }

  private step(rule: AlertRule, w: WindowResultRecord, nowMs: number): AlertEvent[] | null {
    let runs = this.runs.get(rule.id);
    let run = runs?.get(w.sensorId);
    const value = metricOf(w, rule.metric);
    // A window without the rule's aggregate cannot be judged: it is passed over, so the next one
    // finds the run broken, as after a missing window.
    if (value === undefined) return null;
    const out: AlertEvent[] = [];
    if (run && run.lastEnd !== w.windowStart) {
      // A window is missing: the run is broken whatever this window holds.
      if (run.firing) out.push(event(rule, w.sensorId, 'resolved', 'gap', w.windowStart, w.windowEnd, value, nowMs));
      runs!.delete(w.sensorId);
      if (runs!.size === 0) this.runs.delete(rule.id);
      runs = this.runs.get(rule.id);
      run = undefined;
    }
    if (!holds(value, rule.op, rule.threshold)) {
      if (run) {
        if (run.firing)
          out.push(event(rule, w.sensorId, 'resolved', 'condition', w.windowStart, w.windowEnd, value, nowMs));
        runs!.delete(w.sensorId);
        if (runs!.size === 0) this.runs.delete(rule.id);
      }
      return out.length ? out : null;
    }
    if (!run) {
      if (!runs) this.runs.set(rule.id, (runs = new Map()));
      run = { length: 0, lastStart: 0, lastEnd: 0, lastValue: 0, firing: false };
      runs.set(w.sensorId, run);
    }
    run.length++;
    run.lastStart = w.windowStart;
    run.lastEnd = w.windowEnd;
    run.lastValue = value;
    if (!run.firing && run.length >= rule.forWindows) {
      run.firing = true;
      out.push(event(rule, w.sensorId, 'alert', undefined, w.windowStart, w.windowEnd, value, nowMs));
    }
    return out.length ? out : null;
  }
}

function event(
  rule: AlertRule,
  sensorId: string,
  kind: AlertEvent['kind'],
  reason: AlertEvent['reason'],
  windowStart: number,
  windowEnd: number,
  value: number,
  firedAt: number,
): AlertEvent {
  return {
    // Deterministic: the same windows give the same ids on every web server.
    id: `${rule.id}/${sensorId}/${windowStart}/${kind === 'alert' ? 'alert' : `resolved-${reason}`}`,
    kind,
    ...(reason ? { reason } : {}),
    ruleId: rule.id,
    ruleName: rule.name,
    condition: describeCondition(rule),
    sensorId,
    windowStart,
    windowEnd,
    value,
    firedAt,
  };
}
