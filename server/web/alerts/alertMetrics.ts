/** The web role's alert counts: events raised, and what became of their webhook deliveries. */
import { Counter, type Registry } from 'prom-client';
import { METRIC_PREFIX } from '../../metrics/registry';

export type WebhookOutcome = 'delivered' | 'failed' | 'refused' | 'dropped';

export interface AlertMetrics {
  event(kind: 'alert' | 'resolved'): void;
  webhook(outcome: WebhookOutcome): void;
}

export function alertMetrics(registry: Registry): AlertMetrics {
  const events = new Counter({
    name: `${METRIC_PREFIX}alert_events_total`,
    help: 'Alert events raised by this web server, by kind: alert or resolved',
    labelNames: ['kind'],
    registers: [registry],
  });
  const webhooks = new Counter({
    name: `${METRIC_PREFIX}alert_webhooks_total`,
    help:
      'Alert webhook deliveries by outcome: delivered (2xx), failed (after its retries), ' +
      'refused (its address is not allowed, see ALERT_WEBHOOK_ALLOW), dropped (queue full or shutting down)',
    labelNames: ['outcome'],
    registers: [registry],
  });
  // Present from the first scrape, so rate() and alerting on them work before anything happens.
  for (const kind of ['alert', 'resolved']) events.inc({ kind }, 0);
  for (const outcome of ['delivered', 'failed', 'refused', 'dropped']) webhooks.inc({ outcome }, 0);
  return { event: (kind) => events.inc({ kind }), webhook: (outcome) => webhooks.inc({ outcome }) };
}
