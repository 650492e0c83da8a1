'use client';
/** The alert rules every web server evaluates, each with a delete button. */
import { useState } from 'react';
import type { AlertRule } from '@/lib/contract';
import { api } from '@/components/shared/api';
import { ruleSummary, webhookHost } from '@/components/alerts/alertText';

export function RuleList({ rules, max, onDeleted }: { rules: AlertRule[] | null; max: number; onDeleted(id: string): void }) {
  const [busyId, setBusyId] = useState<string | null>(null);
  const [error, setError] = useState('');

  const remove = async (rule: AlertRule) => {
    setBusyId(rule.id);
    setError('');
    const result = await api.deleteAlertRule(rule.id);
    setBusyId(null);
    if (result.ok) onDeleted(rule.id);
    else setError(result.error);
  };

  return (
    <section className="control-group" aria-labelledby="alert-rules-title">
      <h3 id="alert-rules-title">
        Rules{' '}
        <span className="muted">
          {rules ? rules.length : '…'} of {max}
        </span>
      </h3>
      {rules === null ? (
        <p className="muted">Loading rules…</p>
      ) : rules.length === 0 ? (
        <p className="muted">No rules yet: add one above.</p>
      ) : (
        <ul className="alert-rules" data-testid="alert-rules">
          {rules.map((rule) => {
            const host = webhookHost(rule.webhookUrl);
            return (
              <li key={rule.id} className="alert-rule">
                <div>
                  <strong>{rule.name}</strong>
                  <span className="alert-rule-text">{ruleSummary(rule)}</span>
                  {host && <span className="muted">Webhook to {host}</span>}
                </div>
                <button type="button" aria-label={`Delete rule ${rule.name}`} disabled={busyId === rule.id} onClick={() => void remove(rule)}>
                  Delete
                </button>
              </li>
            );
          })}
        </ul>
      )}
      <p className="form-error" role="alert">
        {error}
      </p>
    </section>
  );
}
