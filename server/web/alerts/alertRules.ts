/**
 * Alert rules live in a compacted Kafka topic (ALERT_RULES_TOPIC; key = rule id, value = the
 * rule's JSON, tombstone = deleted), followed from the beginning by every web server
 * (server/kafka/compactedTable.ts), so all of them evaluate the same rules, and a restarted or
 * added one has them before it evaluates its first window.
 *
 * At most MAX_ALERT_RULES: a request over the cap is refused, and so, when read, is a record that
 * would add a rule beyond it (two servers accepting at once) — in topic order, which every server
 * reads alike, so every server keeps the same 200.
 */
import { EventEmitter } from 'node:events';
import type { Kafka } from 'kafkajs';
import { alertRuleSchema, MAX_ALERT_RULES, type AlertRule, type AlertRuleBody } from '../../../lib/contract';
import { parseRecord } from '../../../lib/parseRecord';
import { CompactedTable } from '../../kafka/compactedTable';
import { Refusal } from '../../../lib/refusal';
import { log } from '../../log';

/** A PUT that would make more than MAX_ALERT_RULES rules: 409. */
export class AlertRulesFull extends Refusal {
  constructor() {
    super(409, `rules: at most ${MAX_ALERT_RULES} alert rules; delete one first`);
    this.name = 'AlertRulesFull';
  }
}

export class AlertRules extends EventEmitter<{ change: [AlertRule[]] }> {
  private readonly rules = new Map<string, AlertRule>();
  private readonly table: CompactedTable;

  constructor(
    kafka: Kafka,
    private readonly topic: string,
  ) {
    super();
    this.table = new CompactedTable(kafka, topic, 'alert-rules', { apply: (key, value) => this.apply(key, value) });
    this.table.on('change', () => this.emit('change', this.list()));
  }

  async start(): Promise<void> {
    await this.table.start();
  }

  stop(): Promise<void> {
    return this.table.stop();
  }

  /** Every rule, ordered by id. */
  list(): AlertRule[] {
    return [...this.rules.values()].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  }

  get(id: string): AlertRule | undefined {
    return this.rules.get(id);
  }

  /** Creates or replaces rule `id`; resolves once this server applies it. */
  async put(id: string, body: AlertRuleBody, nowMs: number): Promise<{ rule: AlertRule; created: boolean }> {
    const created = !this.rules.has(id);
    if (created && this.rules.size >= MAX_ALERT_RULES) throw new AlertRulesFull();
    const { id: _sameId, ...fields } = body;
    const rule: AlertRule = { ...fields, id, updatedAt: nowMs };
    await this.table.write(id, JSON.stringify(rule));
    // Another server may have filled the last place first: then the topic order refused ours.
    const applied = this.rules.get(id);
    if (!applied) throw new AlertRulesFull();
    return { rule: applied, created };
  }

  /** False when there is no such rule. */
  async delete(id: string): Promise<boolean> {
    if (!this.rules.has(id)) return false;
    await this.table.write(id, null);
    return true;
  }

  private apply(key: string, value: Buffer | null): boolean {
    if (value === null) return this.rules.delete(key);
    const result = parseRecord(value, alertRuleSchema);
    if (!result.ok || result.value.id !== key) {
      const reason = result.ok ? 'id differs from the key' : result.error;
      log.error({ topic: this.topic, key, reason }, 'alert rule record is invalid; ignored');
      return false;
    }
    if (!this.rules.has(key) && this.rules.size >= MAX_ALERT_RULES) {
      log.warn({ topic: this.topic, key }, `alert rule beyond the ${MAX_ALERT_RULES}-rule cap; ignored`);
      return false;
    }
    this.rules.set(key, result.value);
    return true;
  }
}
