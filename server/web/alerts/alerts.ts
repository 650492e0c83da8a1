/**
 * The web tier's alerting: the rules (server/alertRules.ts) applied by the pure evaluator
 * (lib/alerts/evaluator.ts) to every window this server consumes from the output topic, the
 * latest events kept in memory for GET /api/alerts, handed on for socket.io, and POSTed to the
 * rules' webhooks through a bounded queue that never holds up the window feed.
 *
 * A web server starts by reading recent history from the output topic: those windows rebuild the
 * runs (a run spanning a restart still fires on time), and their events are kept and shown, but
 * their webhooks were sent before the restart (by this or another server) and are not sent again.
 */
import { EventEmitter } from 'node:events';
import type { Kafka } from 'kafkajs';
import type { AlertEvent, AlertRule, AlertRuleBody, FeedWindow } from '../../../lib/contract';
import { AlertEvaluator } from '../../../lib/alerts/evaluator';
import { AlertEventLog } from '../../../lib/alerts/eventLog';
import { AlertRules } from './alertRules';
import { DEFAULT_WEBHOOK_OPTIONS, WebhookQueue, type WebhookOptions } from './alertWebhooks';
import type { AlertMetrics } from './alertMetrics';

/** Events kept for GET /api/alerts. */
const ALERT_EVENTS_KEPT = 500;

/** What the HTTP API needs (server/http/api.ts). */
export interface AlertsApi {
  rules(): AlertRule[];
  /** Throws AlertRulesFull past the cap. */
  putRule(id: string, body: AlertRuleBody): Promise<{ rule: AlertRule; created: boolean }>;
  deleteRule(id: string): Promise<boolean>;
  /** Newest first. */
  recent(limit: number): AlertEvent[];
}

export class Alerts extends EventEmitter<{ events: [AlertEvent[]] }> implements AlertsApi {
  private readonly evaluator = new AlertEvaluator();
  private readonly log = new AlertEventLog(ALERT_EVENTS_KEPT);
  private readonly store: AlertRules;
  private readonly webhooks: WebhookQueue;
  /** ruleId → webhook, as of the last rule change: a deleted rule's `resolved` still goes to its hook. */
  private webhookOf = new Map<string, string>();
  private readonly startedAt = Date.now();

  constructor(
    kafka: Kafka,
    topic: string,
    private readonly metrics: AlertMetrics,
    webhookOptions: Partial<WebhookOptions> = {},
  ) {
    super();
    this.store = new AlertRules(kafka, topic);
    this.webhooks = new WebhookQueue({
      ...DEFAULT_WEBHOOK_OPTIONS,
      onOutcome: (outcome) => metrics.webhook(outcome),
      ...webhookOptions,
    });
  }

  /** Resolves once every rule in the topic is known: start it before the window feed. */
  async start(): Promise<void> {
    await this.store.start();
    this.applyRules(this.store.list());
    this.store.on('change', (rules) => this.applyRules(rules));
  }

  async stop(): Promise<void> {
    await this.webhooks.stop();
    await this.store.stop();
  }

  /** Windows as the feed hands them on (per sensor in order; a repeated window is ignored). */
  windows(records: readonly FeedWindow[]): void {
    const fresh: AlertEvent[] = [];
    const replayed: AlertEvent[] = [];
    for (const w of records) {
      const replay = w.closedAt < this.startedAt;
      // A window read back at start-up fired (if it did) when it closed.
      const events = this.evaluator.accept(w, replay ? w.closedAt : Date.now());
      if (events.length > 0) (replay ? replayed : fresh).push(...events);
    }
    this.record(replayed, false);
    this.record(fresh, true);
  }

  rules(): AlertRule[] {
    return this.store.list();
  }

  putRule(id: string, body: AlertRuleBody): Promise<{ rule: AlertRule; created: boolean }> {
    return this.store.put(id, body, Date.now());
  }

  deleteRule(id: string): Promise<boolean> {
    return this.store.delete(id);
  }

  recent(limit: number): AlertEvent[] {
    return this.log.latest(limit);
  }

  /** Webhook deliveries waiting or in flight (tests). */
  webhooksIdle(): Promise<void> {
    return this.webhooks.idle();
  }

  private applyRules(rules: AlertRule[]): void {
    const events = this.evaluator.setRules(rules, Date.now());
    this.record(events, true);
    this.webhookOf = new Map(rules.flatMap((r) => (r.webhookUrl ? [[r.id, r.webhookUrl] as const] : [])));
  }

  private record(events: AlertEvent[], notify: boolean): void {
    if (events.length === 0) return;
    this.log.add(events);
    for (const e of events) this.metrics.event(e.kind);
    this.emit('events', events);
    if (!notify) return;
    for (const e of events) {
      const url = this.webhookOf.get(e.ruleId);
      if (url) this.webhooks.enqueue(url, e);
    }
  }
}
