/** A rule's condition on one window: which number it reads, how it compares, and how it reads aloud. */
import type { AlertMetric, AlertOp, AlertRule, WindowResultRecord } from '../contract';

/** Undefined when the window does not carry that aggregate (an extra not chosen when it closed). */
export function metricOf(window: WindowResultRecord, metric: AlertMetric): number | undefined {
  return window[metric];
}

export function holds(value: number, op: AlertOp, threshold: number): boolean {
  switch (op) {
    case '>':
      return value > threshold;
    case '>=':
      return value >= threshold;
    case '<':
      return value < threshold;
    case '<=':
      return value <= threshold;
  }
}

/** "mean > 80 for 3 windows", for lists and webhook payloads. */
export function describeCondition(rule: Pick<AlertRule, 'metric' | 'op' | 'threshold' | 'forWindows'>): string {
  return `${rule.metric} ${rule.op} ${rule.threshold} for ${rule.forWindows} window${rule.forWindows === 1 ? '' : 's'}`;
}

/** Whether two versions of a rule judge windows the same way (a rename or a new webhook keeps runs going). */
export function sameCondition(a: AlertRule, b: AlertRule): boolean {
  return (
    a.sensorId === b.sensorId &&
    a.metric === b.metric &&
    a.op === b.op &&
    a.threshold === b.threshold &&
    a.forWindows === b.forWindows
  );
}
