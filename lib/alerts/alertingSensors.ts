/**
 * Which sensors are alerting now, from a list of alert events (in any order, e.g. GET /api/alerts
 * newest first): for each (rule, sensor) the latest event decides. "Latest" is by window, not by
 * arrival, so a list merged from polls or sockets gives the same answer; on one window, a
 * `resolved` for a gap comes before the alert of the new run, and a `resolved` because the rule
 * changed comes after everything else.
 */
import type { AlertEvent } from '../contract';

const RANK: Record<string, number> = { 'resolved-gap': 0, alert: 1, 'resolved-condition': 2, 'resolved-rule': 3 };

function rank(e: AlertEvent): number {
  return RANK[e.kind === 'alert' ? 'alert' : `resolved-${e.reason ?? 'condition'}`] ?? 2;
}

function later(a: AlertEvent, b: AlertEvent): boolean {
  return a.windowStart !== b.windowStart ? a.windowStart > b.windowStart : rank(a) > rank(b);
}

/**
 * sensorId → the rule it alerts on and since when (the alert's `firedAt`). A sensor alerting on
 * several rules shows the one alerting longest (ties: the smaller rule id).
 */
export function alertingSensors(events: readonly AlertEvent[]): Map<string, { ruleId: string; since: number }> {
  const latest = new Map<string, AlertEvent>();
  for (const e of events) {
    const key = `${e.ruleId}\u0000${e.sensorId}`;
    const seen = latest.get(key);
    if (!seen || later(e, seen)) latest.set(key, e);
  }
  const out = new Map<string, { ruleId: string; since: number }>();
  for (const e of latest.values()) {
    if (e.kind !== 'alert') continue;
    const held = out.get(e.sensorId);
    if (!held || e.firedAt < held.since || (e.firedAt === held.since && e.ruleId < held.ruleId))
      out.set(e.sensorId, { ruleId: e.ruleId, since: e.firedAt });
  }
  return out;
}
