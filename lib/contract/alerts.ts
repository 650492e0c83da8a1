/** Alerts: GET/PUT/DELETE /api/alert-rules, GET /api/alerts, the socket.io `alerts` event. */
import { z } from 'zod';
import { ALERT_METRICS, ALERT_OPS, MAX_ALERT_FOR_WINDOWS, MAX_ALERT_RULES } from '../alerts/vocabulary';

export { MAX_ALERT_RULES };

/** Ids travel in URL paths and Kafka keys: short and plain. */
export const alertRuleIdSchema = z
  .string({ error: 'must be a string' })
  .regex(/^[A-Za-z0-9._-]{1,64}$/, 'must be 1–64 letters, digits, ".", "_" or "-"');

/** Only http(s): a webhook is a POST the web server makes, never a file:, data: or other scheme. */
const webhookUrlRule = z
  .string({ error: 'must be a string' })
  .max(2_000, 'must be at most 2000 characters')
  .refine((text) => {
    try {
      const url = new URL(text);
      return (url.protocol === 'http:' || url.protocol === 'https:') && url.hostname !== '';
    } catch {
      return false;
    }
  }, 'must be an http:// or https:// URL');

/** PUT /api/alert-rules/<id> body: the rule without its id (the path names it). */
export const alertRuleBodySchema = z.strictObject({
  /** The path's id may be repeated here; it must then be the same. */
  id: alertRuleIdSchema.optional(),
  name: z
    .string({ error: 'must be a string' })
    .trim()
    .min(1, 'must not be empty')
    .max(100, 'must be at most 100 characters'),
  /** Absent: every sensor. */
  sensorId: z
    .string({ error: 'must be a string' })
    .min(1, 'must not be empty')
    .max(256, 'must be at most 256 characters')
    .optional(),
  metric: z.enum(ALERT_METRICS, { error: `must be one of ${ALERT_METRICS.join(', ')}` }),
  op: z.enum(ALERT_OPS, { error: `must be one of ${ALERT_OPS.join(', ')}` }),
  threshold: z.number({ error: 'must be a number' }).refine(Number.isFinite, 'must be a finite number'),
  forWindows: z
    .number({ error: 'must be a number' })
    .int('must be a whole number')
    .min(1, 'must be at least 1')
    .max(MAX_ALERT_FOR_WINDOWS, `must be at most ${MAX_ALERT_FOR_WINDOWS}`),
  webhookUrl: webhookUrlRule.optional(),
});
export type AlertRuleBody = z.infer<typeof alertRuleBodySchema>;

/** A rule as the alert-rules topic holds it (value; the key is the id) and GET /api/alert-rules lists it. */
export const alertRuleSchema = alertRuleBodySchema.extend({
  id: alertRuleIdSchema,
  /** When it was last created or replaced (epoch ms). */
  updatedAt: z.number(),
});
export type AlertRule = z.infer<typeof alertRuleSchema>;
export type AlertMetric = AlertRule['metric'];
export type AlertOp = AlertRule['op'];

/**
 * What the evaluator (lib/alerts/evaluator.ts) emits. `alert`: the rule's condition has held for
 * `forWindows` consecutive windows of the sensor (once per run). `resolved`: a firing run ended —
 * `reason` says whether the condition stopped holding, a window was missing (`gap`), or the rule
 * was changed or deleted (`rule`). Window fields and `value` are those of the window that decided
 * it (for `rule`, the run's last window). `id` is the same on every web server that saw the same
 * windows, so a webhook receiver can drop the copies several web servers send.
 */
export interface AlertEvent {
  id: string;
  kind: 'alert' | 'resolved';
  reason?: 'condition' | 'gap' | 'rule';
  ruleId: string;
  ruleName: string;
  /** e.g. "mean > 80 for 3 windows". */
  condition: string;
  sensorId: string;
  windowStart: number;
  windowEnd: number;
  value: number;
  /** When the event was emitted (epoch ms). */
  firedAt: number;
}

/**
 * A rule as the API answers it (GET /api/alert-rules, PUT's echo): the webhook's scheme and host
 * only (lib/alerts/webhookOrigin.ts), never its URL, whose path or query may hold a secret.
 */
export type AlertRuleView = Omit<AlertRule, 'webhookUrl'> & { webhookOrigin?: string };

/** GET /api/alert-rules */
export interface AlertRulesList {
  rules: AlertRuleView[];
  max: number;
}

/** GET /api/alerts: newest first. */
export interface AlertEventsPage {
  events: AlertEvent[];
}
