/** How rules and alert events read in the panel: whole sentences, times in the viewer's clock. */
import type { AlertEvent, AlertRuleView } from '@/lib/contract';
import { describeCondition } from '@/lib/alerts/condition';

function clock(ms: number): string {
  return new Date(ms).toLocaleTimeString(undefined, { hour12: false });
}

export function ruleSummary(rule: AlertRuleView): string {
  const where = rule.sensorId === undefined ? 'any sensor' : `sensor ${rule.sensorId}`;
  return `${describeCondition(rule)} on ${where}`;
}

const RESOLVED_WHY: Record<NonNullable<AlertEvent['reason']>, string> = {
  condition: 'the condition stopped holding',
  gap: 'a window was missing',
  rule: 'the rule was changed or deleted',
};

export function eventSentence(e: AlertEvent): string {
  const window = `the window ${clock(e.windowStart)}–${clock(e.windowEnd)}`;
  if (e.kind === 'alert') return `${e.sensorId}: ${e.ruleName} (${e.condition}) fired at ${window}, value ${e.value}.`;
  return `${e.sensorId}: ${e.ruleName} resolved at ${window}, because ${RESOLVED_WHY[e.reason ?? 'condition']}.`;
}

export function sinceText(ms: number): string {
  return `since ${clock(ms)}`;
}
