/**
 * The benchmark's input: N readings from S sensors in the simulator's format, keyed by sensor id,
 * preloaded into a fresh topic. Event time advances 1/RATE s per round of all sensors (a little
 * out of order), ending two hours before now; then one end marker per partition, an hour
 * ahead of the data, moves every partition's watermark past every window so all of them close.
 */
import type { Kafka } from 'kafkajs';
import type { EngineReading } from '../lib/engine/windowEngine';
import { createProducer } from '../server/kafka/client';
import { waitForTopicsReady } from '../server/kafka/retriable';

export const END_MARKER_ID = '__end__';
/** Readings per sensor per second of event time: with 1 s windows, one window per 10 readings. */
const READINGS_PER_SENSOR_SECOND = 10;
const JITTER_MS = 40;

export interface Dataset {
  topic: string;
  readings: number;
  sensors: number;
  partitions: number;
  firstEventMs: number;
  lastEventMs: number;
}

function eventSpanMs(readings: number, sensors: number): number {
  return Math.ceil(readings / sensors) * (1000 / READINGS_PER_SENSOR_SECOND);
}

/** Reading i of the dataset, the same on every run. */
function readingAt(i: number, sensors: number, baseMs: number): { id: number; timeMs: number; value: number } {
  const round = Math.floor(i / sensors);
  const hash = Math.imul(i ^ 0x9e3779b9, 0x85ebca6b) >>> 0;
  const jitter = (hash % (2 * JITTER_MS + 1)) - JITTER_MS;
  return { id: (i % sensors) + 1, timeMs: baseMs + round * (1000 / READINGS_PER_SENSOR_SECOND) + JITTER_MS + jitter, value: (hash >>> 8) % 10 };
}

export async function preload(
  kafka: Kafka,
  options: { topic: string; readings: number; sensors: number; partitions: number; log: (m: string) => void },
): Promise<Dataset> {
  const { topic, readings, sensors, partitions } = options;
  const admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({ topics: [{ topic, numPartitions: partitions }], waitForLeaders: true });
  await waitForTopicsReady(admin, [topic]);
  await admin.disconnect();

  const span = eventSpanMs(readings, sensors);
  const baseMs = Math.floor((Date.now() - 2 * 3_600_000 - span) / 1000) * 1000;
  const producer = createProducer(kafka, { allowAutoTopicCreation: false });
  await producer.connect();
  const BATCH = 20_000;
  let lastEventMs = 0;
  for (let from = 0; from < readings; from += BATCH) {
    const messages = [];
    for (let i = from; i < Math.min(readings, from + BATCH); i++) {
      const r = readingAt(i, sensors, baseMs);
      lastEventMs = Math.max(lastEventMs, r.timeMs);
      messages.push({ key: String(r.id), value: `{"id":${r.id},"time":${r.timeMs / 1000},"value":${r.value}}` });
    }
    // One request at a time: concurrent sends may reach the log out of order, making readings late.
    await producer.send({ topic, acks: 1, messages });
    if ((from / BATCH) % 50 === 0) options.log(`preloaded ${from.toLocaleString('en')} of ${readings.toLocaleString('en')}`);
  }
  const markerTime = (lastEventMs + 3_600_000) / 1000;
  await producer.send({
    topic,
    acks: -1,
    messages: Array.from({ length: partitions }, (_, partition) => ({
      partition,
      key: END_MARKER_ID,
      value: `{"id":"${END_MARKER_ID}","time":${markerTime},"value":0}`,
    })),
  });
  await producer.disconnect();
  return { topic, readings, sensors, partitions, firstEventMs: baseMs, lastEventMs };
}
