/** kafkajs client construction: one place for retry policy, logging and the partitioner. */
import { Kafka, logLevel, Partitioners, type LogEntry, type Producer, type ProducerConfig } from 'kafkajs';
import { log } from '../log';
import { kafkaSecurityOptions, type KafkaSecurity } from './security';

const kafkaLog = log.child({ component: 'kafkajs' });

const CONCURRENT_TRANSACTIONS = /another concurrent operation on the same transaction/;

/** kafkajs restarts a consumer by itself after these (a coordinator moving or still loading its state). */
const PASSING_CRASH = /coordinator is loading|not the correct coordinator|coordinator is not available/i;

function logCreator() {
  return ({ level, log: entry }: LogEntry) => {
    const { message, ...fields } = entry;
    // Every transactional producer here has bounded retries on purpose: a step whose retries run
    // out aborts its transaction and the task restarts from its last commit with a new producer
    // epoch, which keeps exactly-once (README, "Guarantees"). kafkajs' warning is for idempotent
    // producers without transactions.
    if (message.startsWith('Limiting retries for the idempotent producer')) return kafkaLog.debug(fields, message);
    // The coordinator still finishing the previous commit: every transaction step retries this
    // at once (kafka/transactionalPartition.ts); on a cluster it happens on most commits.
    if (CONCURRENT_TRANSACTIONS.test(String(fields.error ?? message))) return kafkaLog.debug(fields, message);
    // A broker that is down: one warning per attempt is plenty; the operation's failure is an error of its own.
    if (message.startsWith('Connection error')) return kafkaLog.warn(fields, message);
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

export function createKafka(brokers: string[], clientId: string, security?: KafkaSecurity): Kafka {
  return new Kafka({
    clientId,
    brokers,
    ...kafkaSecurityOptions(security),
    logLevel: logLevel.WARN,
    logCreator,
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
