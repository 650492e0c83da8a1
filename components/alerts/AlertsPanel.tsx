'use client';
/**
 * Thresholds and alerts: add a rule, list and delete rules, and the latest alerts. Self-contained
 * (mount it anywhere with the sensors seen so far): it polls GET /api/alert-rules and GET
 * /api/alerts every 3 s while the page is visible, rather than opening a socket of its own, as the
 * dashboard's socket belongs to useWindowpane.ts and alerts are rare.
 */
import { useCallback, useState } from 'react';
import type { AlertEvent, AlertRule } from '@/lib/contract';
import { api } from '@/components/shared/api';
import { AlertList } from '@/components/alerts/AlertList';
import { RuleForm } from '@/components/alerts/RuleForm';
import { RuleList } from '@/components/alerts/RuleList';
import { useVisiblePolling } from '@/components/alerts/useVisiblePolling';

const POLL_MS = 3_000;
const EVENTS_SHOWN = 50;

export function AlertsPanel({ sensors }: { sensors: string[] }) {
  const [rules, setRules] = useState<AlertRule[] | null>(null);
  const [max, setMax] = useState(200);
  const [events, setEvents] = useState<AlertEvent[] | null>(null);
  const [error, setError] = useState('');

  const refresh = useCallback(async () => {
    const [r, e] = await Promise.all([api.getAlertRules(), api.getAlerts(EVENTS_SHOWN)]);
    if (r.ok) {
      setRules(r.value.rules);
      setMax(r.value.max);
    }
    if (e.ok) setEvents(e.value.events);
    setError(!r.ok ? r.error : !e.ok ? e.error : '');
  }, []);
  useVisiblePolling(refresh, POLL_MS);

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
        <RuleForm sensors={sensors} onAdded={(rule) => setRules((list) => [...(list ?? []).filter((x) => x.id !== rule.id), rule])} />
        <RuleList rules={rules} max={max} onDeleted={(id) => setRules((list) => (list ?? []).filter((x) => x.id !== id))} />
      </div>
      <AlertList events={events} ruleNames={ruleNames} />
    </section>
  );
}
