/** Kafka operations retried through the one retry helper, on the errors kafkajs marks retriable. */
import type { Admin } from 'kafkajs';
import { retry, type RetryOptions } from '../../lib/retry';
import { log } from '../log';

/** kafkajs sets `retriable` on its errors (a leader moving, a connection refused, a coordinator loading). */
export function isRetriableKafkaError(error: unknown): boolean {
  let e = error as { retriable?: boolean; cause?: unknown } | undefined;
  // kafkajs wraps the last error of its own retries ("number of retries exceeded").
  for (let depth = 0; e && depth < 3; depth++) {
    if (e.retriable === true) return true;
    e = e.cause as typeof e;
  }
  return false;
}

/**
 * Errors a kafkaRetry has already retried until it gave up. A retried admin call inside another
 * kafkaRetry (every admin from createKafka retries its calls) must not be retried again by the
 * outer one, or the bounds would multiply.
 */
const givenUp = new WeakSet<object>();

const ADMIN_RETRY: Omit<RetryOptions, 'onRetry'> = {
  retries: 8,
  initialDelayMs: 200,
  maxDelayMs: 5_000,
  totalMs: 30_000,
  retriable: (error) => !(error instanceof Object && givenUp.has(error)) && isRetriableKafkaError(error),
};

/** An admin call that rides out a leader election, a topic just created, a coordinator loading. */
export function kafkaRetry<T>(
  what: string,
  operation: () => Promise<T>,
  options: Partial<RetryOptions> = {},
): Promise<T> {
  return retry(operation, {
    ...ADMIN_RETRY,
    onRetry: (error, attempt, delayMs) =>
      log.warn({ error: (error as Error).message, attempt, delayMs }, `${what}: retrying`),
    ...options,
  }).catch((error: unknown) => {
    if (error instanceof Object) givenUp.add(error);
    throw error;
  });
}

/** Not requests: connecting is waited for at start (server/kafka/connect.ts), the rest are local. */
const NOT_REQUESTS = new Set<PropertyKey>(['connect', 'disconnect', 'on', 'logger', 'events']);

/**
 * The admin with every request (metadata, topic creation, offsets, groups...) made through
 * kafkaRetry: kafkajs' own retrier gives up at once on codes such as UNKNOWN_TOPIC_OR_PARTITION,
 * which a broker answers for a topic another broker has just created.
 */
export function retryingAdmin(admin: Admin, options: Partial<RetryOptions> = {}): Admin {
  return new Proxy(admin, {
    get(target, property, receiver) {
      const value: unknown = Reflect.get(target, property, receiver);
      if (typeof value !== 'function' || NOT_REQUESTS.has(property)) return value;
      return (...args: unknown[]) =>
        kafkaRetry(
          `admin ${String(property)}`,
          () => (value as (...a: unknown[]) => Promise<unknown>).apply(target, args),
          options,
        );
    },
  });
}

/**
 * Resolves once every partition of `topics` has a leader that answers: right after a topic is
 * created its partitions may still refuse with NOT_LEADER_OR_FOLLOWER for a moment.
 */
export async function waitForTopicsReady(admin: Admin, topics: string[]): Promise<void> {
  for (const topic of topics) {
    await kafkaRetry(`topic ${topic} readiness`, async () => {
      const {
        topics: [meta],
      } = await admin.fetchTopicMetadata({ topics: [topic] });
      const leaderless = meta?.partitions.filter((p) => p.leader < 0) ?? [];
      if (!meta || leaderless.length > 0)
        throw Object.assign(new Error(`topic ${topic}: ${leaderless.length} partitions have no leader yet`), {
          retriable: true,
        });
      await admin.fetchTopicOffsets(topic);
    });
  }
}
