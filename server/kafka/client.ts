/** kafkajs client construction: one place for retry policy, logging and the partitioner. */
import { Kafka, logLevel, Partitioners, type LogEntry, type Producer, type ProducerConfig } from 'kafkajs';
import { log } from '../log';
import { kafkaSecurityOptions, type KafkaSecurity } from './security';

const kafkaLog = log.child({ component: 'kafkajs' });

function logCreator() {
  return ({ level, log: entry }: LogEntry) => {
    const { message, ...fields } = entry;
    // kafkajs logs each failed protocol response ("Response Fetch ...") at error level even when
    // it retries; the operation's own failure still surfaces as an exception.
    if (level === logLevel.ERROR && !message.startsWith('Response ')) kafkaLog.error(fields, message);
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
  });
}

export function createProducer(kafka: Kafka, config: ProducerConfig = {}): Producer {
  // The Java client's murmur2 partitioner, so keys land where other Kafka clients put them.
  return kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner, ...config });
}
