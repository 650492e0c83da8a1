/**
 * Probes the cluster once a second for the evidence that input partitions are idle rather than
 * delayed (the rules are in lib/engine/quietEvidence.ts): does every broker answer, and where does
 * each input partition end? A dedicated admin client with no retries of its own keeps each probe
 * short; a probe still unanswered after `timeoutMs` counts as "not answered", and no new request
 * of the same kind is sent to a broker until the last one settles, so a paused broker does not
 * collect a queue of them.
 */
import { ConfigResourceTypes, type Admin, type Kafka } from 'kafkajs';
import type { QuietSpan } from '../../lib/engine/eventClock';
import { QuietEvidence } from '../../lib/engine/quietEvidence';
import { log } from '../log';

export interface QuietInputsOptions {
  topic: string;
  intervalMs: number;
  timeoutMs: number;
  /** How long after a broker last failed to answer before any partition can be quiet again. */
  graceMs: number;
  /** Per input partition this worker reads, the offset after the last record taken in. */
  readUpTo(): ReadonlyMap<number, number>;
}

const UNANSWERED = Symbol('unanswered');

export class QuietInputs {
  private readonly admin: Admin;
  private readonly evidence: QuietEvidence;
  private readonly inFlight = new Map<string, Promise<unknown>>();
  private running = false;
  private loop: Promise<void> | null = null;
  private wake: (() => void) | null = null;
  private unhealthyLogged = false;
  private connected = false;

  constructor(
    kafka: Kafka,
    private readonly options: QuietInputsOptions,
  ) {
    this.admin = kafka.admin({ retry: { retries: 0 } });
    this.evidence = new QuietEvidence({
      graceMs: options.graceMs,
      maxAgeMs: 2 * options.intervalMs + options.timeoutMs,
    });
  }

  start(): void {
    this.running = true;
    this.loop = this.run();
  }

  async stop(): Promise<void> {
    this.running = false;
    this.wake?.();
    await this.loop;
    await this.admin.disconnect().catch(() => undefined);
  }

  /** See QuietEvidence.quietSpan. */
  quietSpan(partition: number, nowMs: number): QuietSpan | null {
    return this.evidence.quietSpan(partition, nowMs);
  }

  private async run(): Promise<void> {
    while (this.running) {
      const atMs = Date.now();
      const connected = this.connected || (await this.ask('connect', () => this.admin.connect())) !== UNANSWERED;
      this.connected = connected;
      const [brokersAnswered, offsets] = connected
        ? await Promise.all([this.brokersAnswer(), this.endOffsets()])
        : [false, new Map()];
      this.evidence.record({ atMs, brokersAnswered, offsets }, this.options.readUpTo());
      if (!brokersAnswered !== this.unhealthyLogged) {
        this.unhealthyLogged = !brokersAnswered;
        if (brokersAnswered)
          log.info({}, 'every broker answers again: idle partitions may advance after the grace period');
        else
          log.warn(
            {},
            'a broker does not answer: no partition is taken for idle until it does or the cluster fences it',
          );
      }
      const wait = Math.max(0, atMs + this.options.intervalMs - Date.now());
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, wait);
        this.wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    }
  }

  /** Every broker in the metadata answers a request of its own (an error answer is an answer). */
  private async brokersAnswer(): Promise<boolean> {
    const cluster = await this.ask('metadata', () => this.admin.describeCluster());
    if (cluster === UNANSWERED) return false;
    const answers = await Promise.all(
      cluster.brokers.map((b) =>
        this.ask(`broker ${b.nodeId}`, () =>
          this.admin.describeConfigs({
            includeSynonyms: false,
            resources: [{ type: ConfigResourceTypes.BROKER, name: String(b.nodeId), configNames: ['num.io.threads'] }],
          }),
        ),
      ),
    );
    return answers.every((a) => a !== UNANSWERED);
  }

  private async endOffsets(): Promise<Map<number, { start: number; end: number }>> {
    const offsets = await this.ask('offsets', () => this.admin.fetchTopicOffsets(this.options.topic));
    const byPartition = new Map<number, { start: number; end: number }>();
    if (offsets !== UNANSWERED)
      for (const p of offsets) byPartition.set(p.partition, { start: Number(p.low), end: Number(p.high) });
    return byPartition;
  }

  /**
   * The request's result, or UNANSWERED when it failed to reach the broker or took longer than the
   * timeout. A broker's error response is an answer: it is alive (the caller may lack an ACL).
   */
  private async ask<T>(kind: string, request: () => Promise<T>): Promise<T | typeof UNANSWERED> {
    if (this.inFlight.has(kind)) return UNANSWERED;
    const pending = request();
    this.inFlight.set(kind, pending);
    void pending.catch(() => undefined).finally(() => this.inFlight.delete(kind));
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<typeof UNANSWERED>((resolve) => {
      timer = setTimeout(() => resolve(UNANSWERED), this.options.timeoutMs);
    });
    try {
      return await Promise.race([pending, timeout]);
    } catch (error) {
      return isBrokerAnswer(error) && kind.startsWith('broker ') ? (undefined as T) : UNANSWERED;
    } finally {
      clearTimeout(timer);
    }
  }
}

/** kafkajs raises KafkaJSProtocolError for an error code the broker sent back. */
function isBrokerAnswer(error: unknown): boolean {
  return (error as { name?: string }).name === 'KafkaJSProtocolError';
}
