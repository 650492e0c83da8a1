/** kafkajs client construction: one place for retry policy, logging and the partitioner. */
import {
  Kafka,
  logLevel,
  Partitioners,
  type Admin,
  type AdminConfig,
  type LogEntry,
  type Producer,
  type ProducerConfig,
} from 'kafkajs';
import { classifyConnectionError, ConnectionTroubleReport } from '../../lib/kafka/connectionTrouble';
import { log } from '../log';
import { retryingAdmin } from './retriable';
import { kafkaSecurityOptions, type KafkaSecurity } from './security';

const kafkaLog = log.child({ component: 'kafkajs' });

const CONCURRENT_TRANSACTIONS = /another concurrent operation on the same transaction/;

/** kafkajs restarts a consumer by itself after these (a coordinator moving or still loading its state). */
const PASSING_CRASH = /coordinator is loading|not the correct coordinator|coordinator is not available/i;

/** kafkajs' line for each failed attempt to reach a broker. */
const CONNECTION_FAILED = /^(Connection error|Connection timeout)/;
/** Its line when connecting to the cluster fails, repeating the cause of the line above. */
const SEED_FAILED = 'Failed to connect to seed broker, trying another broker from the list: ';

function logCreator(trouble: ConnectionTroubleReport) {
  // A broker that cannot be reached: one line saying where, how and what to check, then a summary
  // at most every 10 s instead of two lines per attempt.
  const connectionFailed = (message: string, broker: unknown, fields: object) => {
    const failure = classifyConnectionError(message, typeof broker === 'string' ? broker : null);
    const line = trouble.failed(failure, Date.now());
    if (line) kafkaLog.error(line);
    else kafkaLog.debug(fields, message);
  };
  return ({ level, log: entry }: LogEntry) => {
    const { message: said, ...fields } = entry;
    // kafkajs passes an Error object as the message in places (cluster/brokerPool.js).
    const message = String(said);
    if (CONNECTION_FAILED.test(message)) return connectionFailed(message, fields.broker, fields);
    if (message.startsWith(SEED_FAILED)) {
      const cause = message.slice(SEED_FAILED.length);
      // A refused or silent broker was reported by the line above; a TLS failure only here.
      if (CONNECTION_FAILED.test(cause)) return kafkaLog.debug(fields, message);
      return connectionFailed(cause, null, fields);
    }
    // The broker pool's own line for a connection closed at once or a SASL failure.
    if ('retryCount' in fields && classifyConnectionError(message).kind !== 'other')
      return connectionFailed(message, null, fields);
    // Every transactional producer here has bounded retries on purpose: a step whose retries run
    // out aborts its transaction and the task restarts from its last commit with a new producer
    // epoch, which keeps exactly-once (README, "Guarantees"). kafkajs' warning is for idempotent
    // producers without transactions.
    if (message.startsWith('Limiting retries for the idempotent producer')) return kafkaLog.debug(fields, message);
    // The coordinator still finishing the previous commit: every transaction step retries this
    // at once (server/worker/transactionalPartition.ts); on a cluster it happens on most commits.
    if (CONCURRENT_TRANSACTIONS.test(String(fields.error ?? message))) return kafkaLog.debug(fields, message);
    // kafkajs logs each failed protocol response ("Response Fetch ...") at error level even when
    // it retries, and a consumer crash it restarts from at once; the operation's own failure
    // still surfaces as an exception.
    if (
      level === logLevel.ERROR &&
      !message.startsWith('Response ') &&
      !(message.startsWith('Crash: ') && PASSING_CRASH.test(message))
    )
      kafkaLog.error(fields, message);
    else if (level === logLevel.ERROR) kafkaLog.warn(fields, message);
    else if (level === logLevel.WARN) kafkaLog.warn(fields, message);
    else kafkaLog.debug(fields, message);
  };
}

/**
 * Every admin it hands out makes its requests through the one retry helper (server/kafka/retriable.ts),
 * except an admin asked for with `retry: { retries: 0 }`: a probe, for which one unanswered
 * attempt is the answer (shared/kafkaHealth.ts, worker/quietInputs.ts).
 */
class RetryingKafka extends Kafka {
  override admin(config?: AdminConfig): Admin {
    const admin = super.admin(config);
    return config?.retry?.retries === 0 ? admin : retryingAdmin(admin);
  }
}

export function createKafka(brokers: string[], clientId: string, security?: KafkaSecurity): Kafka {
  return new RetryingKafka({
    clientId,
    brokers,
    ...kafkaSecurityOptions(security),
    logLevel: logLevel.WARN,
    logCreator: () => logCreator(new ConnectionTroubleReport(brokers)),
    // Capped exponential backoff between attempts.
    retry: { initialRetryTime: 300, maxRetryTime: 10_000, retries: 10 },
    connectionTimeout: 3_000,
    // A request to a paused or partitioned broker fails after this rather than kafkajs' 30 s, so a
    // failover is noticed in seconds. Consumers' fetches wait at most 1 s; nothing here asks more.
    requestTimeout: 5_000,
  });
}

export function createProducer(kafka: Kafka, config: ProducerConfig = {}): Producer {
  // The Java client's murmur2 partitioner, so keys land where other Kafka clients put them.
  return kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner, ...config });
}
