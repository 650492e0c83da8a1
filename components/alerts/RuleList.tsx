'use client';
/** The alert rules every web server evaluates, each with a delete button. */
import type { AlertRuleView } from '@/lib/contract';
import { alertsApi } from '@/components/alerts/alertsApi';
import { ruleSummary } from '@/components/alerts/alertText';
import { confirmAction } from '@/components/shared/confirm';
import { useSubmit } from '@/components/shared/useSubmit';

export function RuleList({
  rules,
  max,
  onDeleted,
}: {
  rules: AlertRuleView[] | null;
  max: number;
  onDeleted(id: string): void;
}) {
  const { busyWith, error, submit } = useSubmit();

  const remove = async (rule: AlertRuleView) => {
    const confirmed = await confirmAction({
      title: 'Delete this alert rule?',
      message: `"${rule.name}" (${ruleSummary(rule)}) stops being evaluated on every web server; a firing alert is resolved.`,
      action: 'Delete rule',
    });
    if (!confirmed) return;
    const result = await submit(() => alertsApi.deleteRule(rule.id), rule.id);
    if (result.ok) onDeleted(rule.id);
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
            return (
              <li key={rule.id} className="alert-rule">
                <div>
                  <strong>{rule.name}</strong>
                  <span className="alert-rule-text">{ruleSummary(rule)}</span>
                  {rule.webhookOrigin && <span className="muted">Webhook to {rule.webhookOrigin}</span>}
                </div>
                <button
                  type="button"
                  aria-label={`Delete rule ${rule.name}`}
                  disabled={busyWith === rule.id}
                  onClick={() => void remove(rule)}
                >
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
