/** Reads every record currently in a topic (read_committed), each partition in log order. */
import type { Kafka, KafkaMessage } from 'kafkajs';
import { wholeTopicRanges } from '../../lib/kafka/readPlan';
import { readRanges, type RangeVisitor } from './readRanges';
import { kafkaRetry } from './retriable';

const READ_TIMEOUT_MS = 120_000;

/** Every record currently in `topic`, by partition: every partition is there, empty ones too. */
export async function readWholeTopic(
  kafka: Kafka,
  topic: string,
  timeoutMs = READ_TIMEOUT_MS,
): Promise<Map<number, KafkaMessage[]>> {
  const byPartition = new Map<number, KafkaMessage[]>();
  await scanWholeTopic(
    kafka,
    topic,
    (partition, messages) => {
      let list = byPartition.get(partition);
      if (!list) byPartition.set(partition, (list = []));
      for (const message of messages) list.push(message);
    },
    timeoutMs,
  );
  return byPartition;
}

/**
 * Hands every record currently in a topic to `visit`, batch by batch, without keeping them: for
 * topics too big to hold in memory. Every partition appears at least once (with no messages when
 * it is empty).
 */
export async function scanWholeTopic(
  kafka: Kafka,
  topic: string,
  visit: RangeVisitor,
  timeoutMs = READ_TIMEOUT_MS,
): Promise<void> {
  const admin = kafka.admin();
  await admin.connect();
  const watermarks = await kafkaRetry(`offsets of ${topic}`, () => admin.fetchTopicOffsets(topic)).finally(() =>
    admin.disconnect(),
  );
  for (const w of watermarks) visit(w.partition, []);
  await readRanges(kafka, topic, wholeTopicRanges(watermarks), visit, { timeoutMs });
}
