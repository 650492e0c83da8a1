/**
 * The add-rule form's values and how they become a PUT /api/alert-rules/<id> body. Pure, so it is
 * unit-tested. Numbers the user left blank or mistyped are sent as null: the server then names
 * the field and the rule, in the one wording every client sees.
 */
import type { AlertMetric, AlertOp, AlertRuleBody } from '@/lib/contract';
import { ALERT_METRICS, ALERT_OPS } from '@/lib/alerts/vocabulary';
import { numberOrNull } from '@/components/shared/formValues';

export { ALERT_METRICS, ALERT_OPS };

export interface RuleFormValues {
  name: string;
  /** Blank: every sensor. */
  sensorId: string;
  metric: AlertMetric;
  op: AlertOp;
  threshold: string;
  forWindows: string;
  /** Blank: no webhook. */
  webhookUrl: string;
}

export const EMPTY_RULE_FORM: RuleFormValues = {
  name: '',
  sensorId: '',
  metric: 'mean',
  op: '>',
  threshold: '',
  forWindows: '1',
  webhookUrl: '',
};

/** The body to PUT; blank optional fields are left out. */
export function ruleBody(values: RuleFormValues): AlertRuleBody {
  const sensorId = values.sensorId.trim();
  const webhookUrl = values.webhookUrl.trim();
  return {
    name: values.name.trim(),
    ...(sensorId ? { sensorId } : {}),
    metric: values.metric,
    op: values.op,
    threshold: numberOrNull(values.threshold) as number,
    forWindows: numberOrNull(values.forWindows) as number,
    ...(webhookUrl ? { webhookUrl } : {}),
  };
}

/**
 * A new rule's id: its name in plain characters (so a URL or a log line says which rule) and a
 * random tail (so two rules of one name do not replace each other). `random` is injected for tests.
 */
export function newRuleId(name: string, random: () => number = Math.random): string {
  const slug = name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '') // accents, split off by NFKD
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 40);
  const tail = Math.floor(random() * 36 ** 6)
    .toString(36)
    .padStart(6, '0');
  return `${slug || 'rule'}-${tail}`;
}
