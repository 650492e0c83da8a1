'use client';
/**
 * Thresholds and alerts: add a rule, list and delete rules, and the latest alerts. Self-contained
 * (mount it anywhere with the sensors seen so far): it polls GET /api/alert-rules and GET
 * /api/alerts every 3 s while the page is visible, rather than opening a socket of its own, as the
 * dashboard's socket belongs to useWindowpane.ts and alerts are rare.
 */
import { useState } from 'react';
import type { AlertEvent, AlertRuleView } from '@/lib/contract';
import { AlertList } from '@/components/alerts/AlertList';
import { alertsApi } from '@/components/alerts/alertsApi';
import { RuleForm } from '@/components/alerts/RuleForm';
import { RuleList } from '@/components/alerts/RuleList';
import { failureSentence } from '@/components/shared/request';
import { usePolling } from '@/components/shared/usePolling';

const POLL_MS = 3_000;
const EVENTS_SHOWN = 50;

/** `aggregates`: the extras the windows carry (GET /api/config), offered as metrics beside the base five. */
export function AlertsPanel({ sensors, aggregates }: { sensors: string[]; aggregates: readonly string[] }) {
  const [rules, setRules] = useState<AlertRuleView[] | null>(null);
  const [max, setMax] = useState(200);
  const [events, setEvents] = useState<AlertEvent[] | null>(null);
  const [error, setError] = useState('');

  usePolling(async () => {
    const [r, e] = await Promise.all([alertsApi.getRules(), alertsApi.getEvents(EVENTS_SHOWN)]);
    if (r.ok) {
      setRules(r.data.rules);
      setMax(r.data.max);
    }
    if (e.ok) setEvents(e.data.events);
    setError(!r.ok ? failureSentence(r) : !e.ok ? failureSentence(e) : '');
  }, POLL_MS);

  const ruleNames = new Map((rules ?? []).map((r) => [r.id, r.name]));
  return (
    <section className="panel alerts-panel" aria-labelledby="alerts-panel-title" data-testid="alerts-panel">
      <header className="panel-header">
        <h2 id="alerts-panel-title">Thresholds and alerts</h2>
      </header>
      <p className="form-error" role="alert">
        {error}
      </p>
      <div className="alerts-columns">
        <RuleForm
          sensors={sensors}
          aggregates={aggregates}
          onAdded={(rule) => setRules((list) => [...(list ?? []).filter((x) => x.id !== rule.id), rule])}
        />
        <RuleList
          rules={rules}
          max={max}
          onDeleted={(id) => setRules((list) => (list ?? []).filter((x) => x.id !== id))}
        />
      </div>
      <AlertList events={events} ruleNames={ruleNames} />
    </section>
  );
}
