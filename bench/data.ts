/**
 * The benchmark's input: N readings from S sensors in the simulator's format, preloaded into a
 * fresh topic either keyed by sensor id or with no key (spread over every partition, as most
 * producers send). Event time advances 1/RATE s per round of all sensors (a little
 * out of order), ending two hours before now; then one end marker per partition, an hour
 * ahead of the data, moves every partition's watermark past every window so all of them close.
 */
import { createRequire } from 'node:module';
import type { Kafka } from 'kafkajs';
// kafkajs's copy of the Java client's murmur2 (not exported from its package root).
const murmur2 = createRequire(__filename)('kafkajs/src/producer/partitioners/default/murmur2') as (
  key: string,
) => number;
import { createProducer } from '../server/kafka/client';
import { waitForTopicsReady } from '../server/kafka/retriable';

const END_MARKER_PREFIX = '__end__';

export function isEndMarker(sensorId: string): boolean {
  return sensorId.startsWith(END_MARKER_PREFIX);
}

/**
 * End-marker sensor ids, enough that re-keyed by id (an engine's own shuffle of unkeyed input) they
 * reach every partition: a marker that lands on one partition only would leave the others' windows
 * open. Java's murmur2 partitioner, as Kafka Streams and kafkajs use.
 */
function endMarkerIds(partitions: number): string[] {
  const ids: string[] = [];
  const covered = new Set<number>();
  for (let i = 0; covered.size < partitions && i < 1_000; i++) {
    const id = `${END_MARKER_PREFIX}${i}`;
    ids.push(id);
    covered.add((murmur2(id) & 0x7fffffff) % partitions);
  }
  return ids;
}
/** Readings per sensor per second of event time: with 1 s windows, one window per 10 readings. */
const READINGS_PER_SENSOR_SECOND = 10;
const JITTER_MS = 40;

export interface Dataset {
  topic: string;
  readings: number;
  sensors: number;
  partitions: number;
  /** Records in the topic: the readings and the end markers. */
  records: number;
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
  return {
    id: (i % sensors) + 1,
    timeMs: baseMs + round * (1000 / READINGS_PER_SENSOR_SECOND) + JITTER_MS + jitter,
    value: (hash >>> 8) % 10,
  };
}

export async function preload(
  kafka: Kafka,
  options: {
    topic: string;
    readings: number;
    sensors: number;
    partitions: number;
    keyed: boolean;
    log: (m: string) => void;
  },
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
      const value = `{"id":${r.id},"time":${r.timeMs / 1000},"value":${r.value}}`;
      // Unkeyed: round robin, so one sensor's readings are on every partition, in order on each.
      messages.push(options.keyed ? { key: String(r.id), value } : { partition: i % partitions, value });
    }
    // One request at a time: concurrent sends may reach the log out of order, making readings late.
    await producer.send({ topic, acks: 1, messages });
    if ((from / BATCH) % 50 === 0)
      options.log(`preloaded ${from.toLocaleString('en')} of ${readings.toLocaleString('en')}`);
  }
  const markerTime = (lastEventMs + 3_600_000) / 1000;
  const markers = Array.from({ length: partitions }, (_, partition) =>
    endMarkerIds(partitions).map((id) => ({
      partition,
      key: id,
      value: `{"id":"${id}","time":${markerTime},"value":0}`,
    })),
  ).flat();
  await producer.send({ topic, acks: -1, messages: markers });
  await producer.disconnect();
  return {
    topic,
    readings,
    sensors,
    partitions,
    records: readings + markers.length,
    firstEventMs: baseMs,
    lastEventMs,
  };
}
