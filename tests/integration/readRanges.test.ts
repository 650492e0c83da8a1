/**
 * The one bounded reader against the real broker: ranges read to their end across transaction
 * markers and aborted records, each offset once; a visitor that has seen enough or throws; abort
 * and timeout.
 */
import { randomUUID } from 'node:crypto';
import type { KafkaMessage } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createKafka, createProducer } from '../../server/kafka/client';
import { readRanges } from '../../server/kafka/readRanges';
import { readWholeTopic } from '../../server/kafka/readWholeTopic';
import { brokersFromEnv } from '../support/kafka';

const topic = `it-${randomUUID().slice(0, 8)}-read-ranges`;
const kafka = createKafka(brokersFromEnv(), 'windowpane-test');
const admin = kafka.admin();

const offsetsOf = (messages: KafkaMessage[]) => messages.map((m) => Number(m.offset));

beforeAll(async () => {
  await admin.connect();
  await admin.createTopics({ topics: [{ topic, numPartitions: 2 }], waitForLeaders: true });
  const transactional = { transactionalId: `${topic}-writer`, idempotent: true, maxInFlightRequests: 1 };
  const producer = createProducer(kafka, transactional);
  await producer.connect();
  // Partition 0: a, b, c at 0-2 and a commit marker at 3; an aborted d, e at 4-5 and its marker at
  // 6; f, g at 7-8 and a commit marker at 9. Partition 1: x, y at 0-1, no transaction.
  const inTransaction = async (values: string[], commit: boolean) => {
    const transaction = await producer.transaction();
    await transaction.send({ topic, messages: values.map((value) => ({ value, partition: 0 })) });
    await (commit ? transaction.commit() : transaction.abort());
  };
  await inTransaction(['a', 'b', 'c'], true);
  await inTransaction(['d', 'e'], false);
  await inTransaction(['f', 'g'], true);
  await producer.disconnect();
  const plain = createProducer(kafka);
  await plain.connect();
  await plain.send({ topic, messages: ['x', 'y'].map((value) => ({ value, partition: 1 })) });
  await plain.disconnect();
});

afterAll(async () => {
  await admin.deleteTopics({ topics: [topic] }).catch(() => undefined);
  await admin.disconnect();
});

describe('readRanges', () => {
  it('reads a whole topic once, committed records only, ending past the last transaction marker', async () => {
    const all = await readWholeTopic(kafka, topic, 30_000);
    expect([...all.keys()].sort()).toEqual([0, 1]);
    expect(all.get(0)!.map((m) => m.value?.toString())).toEqual(['a', 'b', 'c', 'f', 'g']);
    expect(offsetsOf(all.get(0)!)).toEqual([0, 1, 2, 7, 8]);
    expect(all.get(1)!.map((m) => m.value?.toString())).toEqual(['x', 'y']);
  });

  it('reads only the offsets in each range, a range that holds no committed record included', async () => {
    const seen = new Map<number, number[]>();
    await readRanges(
      kafka,
      topic,
      [
        { partition: 0, start: 2, end: 8 },
        { partition: 1, start: 1, end: 2 },
      ],
      (partition, messages) => void seen.set(partition, [...(seen.get(partition) ?? []), ...offsetsOf(messages)]),
      { timeoutMs: 30_000 },
    );
    expect(Object.fromEntries(seen)).toEqual({ 0: [2, 7], 1: [1] });

    const none: KafkaMessage[] = [];
    const keep = (_partition: number, messages: KafkaMessage[]) => void none.push(...messages);
    await readRanges(kafka, topic, [{ partition: 0, start: 3, end: 7 }], keep, { timeoutMs: 30_000 });
    expect(none).toEqual([]);
  });

  it("ends a partition's read when the visitor has seen enough", async () => {
    const visits: number[][] = [];
    // Its end is far past the topic's: only 'done' can finish this read before the timeout.
    await readRanges(
      kafka,
      topic,
      [{ partition: 0, start: 0, end: 1_000 }],
      (_p, messages) => {
        visits.push(offsetsOf(messages));
        return 'done';
      },
      { timeoutMs: 30_000 },
    );
    expect(visits).toHaveLength(1);
    expect(visits[0][0]).toBe(0);
  });

  it('fails with what the visitor threw', async () => {
    const thrown = new Error('too many records');
    const read = readRanges(
      kafka,
      topic,
      [{ partition: 1, start: 0, end: 2 }],
      () => {
        throw thrown;
      },
      { timeoutMs: 30_000 },
    );
    await expect(read).rejects.toBe(thrown);
  });

  it('fails once the timeout passes, naming the topic', async () => {
    const read = readRanges(kafka, topic, [{ partition: 1, start: 0, end: 1_000 }], () => {}, { timeoutMs: 3_000 });
    await expect(read).rejects.toThrow(`reading ${topic} took longer than 3 s`);
  });

  it('resolves soon after an abort, and at once when aborted before it starts', async () => {
    const controller = new AbortController();
    const started = Date.now();
    setTimeout(() => controller.abort(), 1_500);
    await readRanges(kafka, topic, [{ partition: 1, start: 0, end: 1_000 }], () => {}, {
      signal: controller.signal,
      timeoutMs: 60_000,
    });
    // The abort itself, then at most the wait for a group join under way (5 s) and the disconnect.
    expect(Date.now() - started).toBeLessThan(15_000);

    let visited = false;
    const before = Date.now();
    await readRanges(kafka, topic, [{ partition: 1, start: 0, end: 2 }], () => void (visited = true), {
      signal: AbortSignal.abort(),
      timeoutMs: 60_000,
    });
    expect(visited).toBe(false);
    expect(Date.now() - before).toBeLessThan(100);
  });
});
