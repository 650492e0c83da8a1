/** Test helpers that talk to the real broker named by KAFKA_BROKERS (started by scripts/test.ts). */
import { randomUUID } from 'node:crypto';
import { Kafka, logLevel, type KafkaMessage } from 'kafkajs';
import { loadConfig, type AppConfig } from '../../server/config';

export function brokersFromEnv(): string[] {
  const raw = process.env.KAFKA_BROKERS;
  if (!raw) throw new Error('KAFKA_BROKERS is not set: run the tests with `npm test`, which starts a broker');
  return raw.split(',');
}

export function testKafka(): Kafka {
  return new Kafka({ clientId: 'windowpane-test', brokers: brokersFromEnv(), logLevel: logLevel.NOTHING });
}

/** A config with topic and group names of its own, so tests never see each other's data. */
export function isolatedConfig(overrides: Partial<AppConfig> = {}, env: Record<string, string> = {}): AppConfig {
  const tag = randomUUID().slice(0, 8);
  const base = loadConfig({ KAFKA_BROKERS: process.env.KAFKA_BROKERS, ...env });
  return {
    ...base,
    inputTopic: `it-${tag}-readings`,
    outputTopic: `it-${tag}-sums`,
    configTopic: `it-${tag}-config`,
    dlqTopic: `it-${tag}-dlq`,
    workerGroupId: `it-${tag}-worker`,
    ...overrides,
  };
}

export interface LoggedMessage {
  partition: number;
  message: KafkaMessage;
}

/** Reads every record currently in `topic`, each partition in log order. */
export async function readAll(kafka: Kafka, topic: string): Promise<Map<number, KafkaMessage[]>> {
  const admin = kafka.admin();
  await admin.connect();
  const ends = await admin.fetchTopicOffsets(topic);
  await admin.disconnect();
  const byPartition = new Map<number, KafkaMessage[]>(ends.map((e) => [e.partition, []]));
  const remaining = new Map(ends.filter((e) => Number(e.high) > Number(e.low)).map((e) => [e.partition, Number(e.high)]));
  if (remaining.size === 0) return byPartition;
  const consumer = kafka.consumer({ groupId: `it-read-${randomUUID()}` });
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`reading ${topic} timed out`)), 60_000);
    void consumer.run({
      autoCommit: false,
      eachMessage: async ({ partition, message }) => {
        const high = remaining.get(partition);
        if (high === undefined || Number(message.offset) >= high) return;
        byPartition.get(partition)!.push(message);
        if (Number(message.offset) >= high - 1) remaining.delete(partition);
        if (remaining.size === 0) {
          clearTimeout(timer);
          resolve();
        }
      },
    });
  });
  await consumer.disconnect();
  return byPartition;
}

export async function waitFor<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 500));
  }
}
