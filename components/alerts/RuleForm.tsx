'use client';
/** Adds an alert rule (PUT /api/alert-rules/<new id>). Plain controlled inputs, each with its label. */
import { useId, useState, type FormEvent } from 'react';
import type { AlertMetric, AlertOp, AlertRuleView } from '@/lib/contract';
import { alertsApi } from '@/components/alerts/alertsApi';
import {
  ALERT_METRICS,
  ALERT_OPS,
  EMPTY_RULE_FORM,
  newRuleId,
  ruleBody,
  type RuleFormValues,
} from '@/components/alerts/ruleForm';
import { useSubmit } from '@/components/shared/useSubmit';
import { metricsFor } from '@/lib/windowMetrics';

export function RuleForm({
  sensors,
  aggregates,
  onAdded,
}: {
  sensors: string[];
  /** The extra aggregates the windows carry: offered beside the base five. */
  aggregates: readonly string[];
  onAdded(rule: AlertRuleView): void;
}) {
  const [values, setValues] = useState<RuleFormValues>(EMPTY_RULE_FORM);
  const offered = new Set<string>(metricsFor(aggregates).map((m) => m.key));
  const { busy, error, submit } = useSubmit();
  const [notice, setNotice] = useState('');
  const sensorListId = useId();
  const set =
    <K extends keyof RuleFormValues>(key: K) =>
    (value: RuleFormValues[K]) =>
      setValues((v) => ({ ...v, [key]: value }));

  const add = async (event: FormEvent) => {
    event.preventDefault();
    setNotice('');
    const result = await submit(() => alertsApi.putRule(newRuleId(values.name), ruleBody(values)));
    if (!result.ok) return;
    setNotice(`Rule “${result.data.name}” added.`);
    setValues(EMPTY_RULE_FORM);
    onAdded(result.data);
  };

  return (
    <form
      className="control-group alert-rule-form"
      onSubmit={(e) => void add(e)}
      noValidate
      aria-labelledby={`${sensorListId}-title`}
    >
      <h3 id={`${sensorListId}-title`}>Add a rule</h3>
      <label>
        Name
        <input
          data-testid="alert-rule-name"
          value={values.name}
          maxLength={100}
          onChange={(e) => set('name')(e.target.value)}
          required
        />
      </label>
      <label>
        Sensor (blank: every sensor)
        <input
          data-testid="alert-rule-sensor"
          list={sensorListId}
          value={values.sensorId}
          maxLength={256}
          onChange={(e) => set('sensorId')(e.target.value)}
        />
        <datalist id={sensorListId}>
          {sensors.map((s) => (
            <option key={s} value={s} />
          ))}
        </datalist>
      </label>
      <div className="alert-rule-condition">
        <label>
          Metric
          <select
            data-testid="alert-rule-metric"
            value={values.metric}
            onChange={(e) => set('metric')(e.target.value as AlertMetric)}
          >
            {ALERT_METRICS.filter((m) => offered.has(m) || m === values.metric).map((m) => (
              <option key={m} value={m}>
                {m}
              </option>
            ))}
          </select>
        </label>
        <label>
          Comparison
          <select data-testid="alert-rule-op" value={values.op} onChange={(e) => set('op')(e.target.value as AlertOp)}>
            {ALERT_OPS.map((op) => (
              <option key={op} value={op}>
                {op}
              </option>
            ))}
          </select>
        </label>
        <label>
          Threshold
          <input
            data-testid="alert-rule-threshold"
            type="number"
            step="any"
            value={values.threshold}
            onChange={(e) => set('threshold')(e.target.value)}
            required
          />
        </label>
        <label>
          For windows (1–100)
          <input
            data-testid="alert-rule-for"
            type="number"
            min={1}
            max={100}
            step={1}
            value={values.forWindows}
            onChange={(e) => set('forWindows')(e.target.value)}
            required
          />
        </label>
      </div>
      <label>
        Webhook URL (optional, http or https)
        <input
          data-testid="alert-rule-webhook"
          type="url"
          inputMode="url"
          value={values.webhookUrl}
          placeholder="https://example.com/hook"
          onChange={(e) => set('webhookUrl')(e.target.value)}
        />
      </label>
      <div className="button-row">
        <button type="submit" className="primary" data-testid="alert-rule-add" disabled={busy}>
          Add rule
        </button>
      </div>
      <p className="form-error" role="alert" data-testid="alert-rule-error">
        {error}
      </p>
      <p className="form-notice" role="status">
        {notice}
      </p>
    </form>
  );
}
