/** Connecting at start, for as long as it takes: a broker may come up after windowpane does. */
import type { Admin } from 'kafkajs';
import { classifyConnectionError, diagnosisLine } from '../../lib/kafka/connectionTrouble';
import { isRetriableKafkaError } from './retriable';

/**
 * kafkajs gives up connecting after its own retries (about a minute); a refused, unknown or silent
 * broker is tried again until it answers or the process is stopped. What failed is logged by the
 * client's log creator (server/kafka/client.ts): one diagnosis, then a summary every 10 s. A SASL
 * failure, which kafkajs does not retry, is thrown (and said by describeKafkaStartFailure).
 */
export async function connectUntilReachable(admin: Admin): Promise<void> {
  for (;;) {
    try {
      return await admin.connect();
    } catch (error) {
      if (!isRetriableKafkaError(error)) throw error;
    }
  }
}

/** The diagnosis line for a start that failed on reaching Kafka, or null for another failure. */
export function describeKafkaStartFailure(error: unknown): string | null {
  let e = error as { name?: string; message?: string; broker?: string; code?: string; cause?: unknown } | undefined;
  for (let depth = 0; e && depth < 4; depth++, e = e.cause as typeof e) {
    if (e.name === 'KafkaJSConnectionError' || e.name === 'KafkaJSSASLAuthenticationError')
      return diagnosisLine(classifyConnectionError(e.message ?? '', e.broker ?? null, e.code), []);
  }
  return null;
}
