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

const ADMIN_RETRY: Omit<RetryOptions, 'onRetry'> = {
  retries: 8,
  initialDelayMs: 200,
  maxDelayMs: 5_000,
  retriable: isRetriableKafkaError,
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
