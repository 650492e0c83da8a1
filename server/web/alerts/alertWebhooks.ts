/**
 * Alert webhooks: POSTs each event's JSON to its rule's webhookUrl, off the window feed's path.
 * Events wait in a bounded queue (full: the event is dropped and counted, never waited for) and a
 * few senders work through it; each POST gives up after 5 s and is retried with backoff through
 * lib/retry.ts on network errors, timeouts, 429 and 5xx (a 4xx or a redirect is final, and so is
 * an address ALERT_WEBHOOK_ALLOW does not allow: webhookPost.ts).
 */
import { webhookOrigin } from '../../../lib/alerts/webhookOrigin';
import { retry } from '../../../lib/retry';
import type { AlertEvent } from '../../../lib/contract';
import type { WebhookOutcome } from './alertMetrics';
import { log } from '../../log';
import { NOTHING_ALLOWED, type WebhookAllowList } from '../../../lib/alerts/webhookTargets';
import { webhookPost, WebhookTargetRefused, type WebhookPost } from './webhookPost';

export type { WebhookPost } from './webhookPost';

export interface WebhookOptions {
  /** Events waiting to be sent; beyond it new ones are dropped. */
  capacity: number;
  /** POSTs in flight at once. */
  concurrency: number;
  timeoutMs: number;
  /** Attempts after the first. */
  retries: number;
  initialDelayMs: number;
  maxDelayMs: number;
  onOutcome(outcome: WebhookOutcome, url: string, event: AlertEvent): void;
  /** Hosts and address blocks a webhook may call besides public addresses (ALERT_WEBHOOK_ALLOW). */
  allow: WebhookAllowList;
  /** Default: webhookPost (server/web/alerts/webhookPost.ts), which refuses addresses `allow` does not allow. */
  post?: WebhookPost;
  sleep?(ms: number): Promise<void>;
}

export const DEFAULT_WEBHOOK_OPTIONS = {
  capacity: 1_000,
  concurrency: 4,
  timeoutMs: 5_000,
  retries: 3,
  initialDelayMs: 500,
  maxDelayMs: 5_000,
  allow: NOTHING_ALLOWED,
};

class WebhookStatusError extends Error {
  constructor(readonly status: number) {
    super(`answered ${status}`);
  }
}

function retriable(error: unknown): boolean {
  if (error instanceof WebhookTargetRefused) return false;
  if (error instanceof WebhookStatusError) return error.status === 429 || error.status >= 500;
  return true; // network error or timeout
}

export class WebhookQueue {
  private readonly queue: { url: string; event: AlertEvent }[] = [];
  private active = 0;
  private stopped = false;
  private readonly stopping = new AbortController();
  private readonly idleWaiters: (() => void)[] = [];
  private readonly post: WebhookPost;

  constructor(private readonly options: WebhookOptions) {
    this.post = options.post ?? webhookPost(options.allow);
  }

  get pending(): number {
    return this.queue.length + this.active;
  }

  /** Never waits: false when the event was dropped (queue full or stopped). */
  enqueue(url: string, event: AlertEvent): boolean {
    if (this.stopped || this.queue.length >= this.options.capacity) {
      this.options.onOutcome('dropped', url, event);
      return false;
    }
    this.queue.push({ url, event });
    this.pump();
    return true;
  }

  /** Resolves when nothing is queued or in flight (tests). */
  idle(): Promise<void> {
    if (this.pending === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /** Drops what waits, aborts what is in flight. */
  async stop(): Promise<void> {
    this.stopped = true;
    for (const { url, event } of this.queue.splice(0)) this.options.onOutcome('dropped', url, event);
    this.stopping.abort();
    await this.idle();
  }

  private pump(): void {
    while (this.active < this.options.concurrency && this.queue.length > 0) {
      const job = this.queue.shift()!;
      this.active++;
      void this.deliver(job.url, job.event).finally(() => {
        this.active--;
        this.pump();
        if (this.pending === 0) for (const resolve of this.idleWaiters.splice(0)) resolve();
      });
    }
  }

  /**
   * Runs `attempt` with a signal that aborts after `ms` or on stop. A timer of our own rather than
   * AbortSignal.any([AbortSignal.timeout()]): on Node 20 the combined signal did not always fire.
   */
  private async withDeadline<T>(ms: number, attempt: (signal: AbortSignal) => Promise<T>): Promise<T> {
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(new Error(`no answer within ${ms} ms`)), ms);
    const onStop = () => controller.abort(new Error('stopping'));
    this.stopping.signal.addEventListener('abort', onStop, { once: true });
    try {
      return await attempt(controller.signal);
    } finally {
      clearTimeout(timer);
      this.stopping.signal.removeEventListener('abort', onStop);
    }
  }

  /** A backoff pause that ends at once on stop, so shutdown never waits out a retry delay. */
  private pause(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, ms);
      this.stopping.signal.addEventListener('abort', () => (clearTimeout(timer), resolve()), { once: true });
    });
  }

  private async deliver(url: string, event: AlertEvent): Promise<void> {
    const body = JSON.stringify(event);
    const { timeoutMs, retries, initialDelayMs, maxDelayMs } = this.options;
    try {
      await retry(
        async () => {
          if (this.stopped) throw new Error('stopping');
          const { status } = await this.withDeadline(timeoutMs, (signal) => this.post(url, body, signal));
          if (status < 200 || status >= 300) throw new WebhookStatusError(status);
        },
        {
          retries,
          initialDelayMs,
          maxDelayMs,
          retriable: (error) => !this.stopped && retriable(error),
          sleep: this.options.sleep ?? ((ms) => this.pause(ms)),
        },
      );
      this.options.onOutcome('delivered', url, event);
    } catch (error) {
      if (this.stopped) {
        this.options.onOutcome('dropped', url, event);
        return;
      }
      const refused = error instanceof WebhookTargetRefused;
      const message = refused ? 'alert webhook refused: its address is not allowed' : 'alert webhook failed';
      log.warn({ url: webhookOrigin(url), eventId: event.id, error: (error as Error).message }, message);
      this.options.onOutcome(refused ? 'refused' : 'failed', url, event);
    }
  }
}
