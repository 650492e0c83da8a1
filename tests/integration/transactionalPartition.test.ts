/**
 * The exactly-once sink against the real broker: starting a partition's sink fences every earlier
 * owner at once, so nothing the earlier owner commits can land after the new owner has read the
 * committed offset (kafkajs registers the transactional id only at the first transaction).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createKafka } from '../../server/kafka/client';
import { TransactionalPartition } from '../../server/worker/transactionalPartition';
import { brokersFromEnv, isolatedConfig, readAll } from '../support/kafka';

const config = isolatedConfig();
const kafka = createKafka(brokersFromEnv(), 'windowpane-test');
const admin = kafka.admin();
const source = { groupId: config.workerGroupId, topic: config.inputTopic, partition: 0 };

beforeAll(async () => {
  await admin.connect();
  await admin.createTopics({
    topics: [
      { topic: config.inputTopic, numPartitions: 1 },
      { topic: config.outputTopic, numPartitions: 1 },
    ],
    waitForLeaders: true,
  });
});

afterAll(async () => {
  await admin.disconnect();
});

describe('TransactionalPartition', () => {
  it('fences the earlier owner when it starts, before it reads the committed offset', async () => {
    const earlier = new TransactionalPartition(kafka, admin, source);
    await earlier.start();
    await earlier.commit([{ topic: config.outputTopic, messages: [{ value: 'first' }] }], 5, 'cp-1');

    const later = new TransactionalPartition(kafka, admin, source);
    const seen = await later.start();
    expect(seen).toEqual({ offset: 5, metadata: 'cp-1' });
    // The earlier owner (a zombie, or a step still retrying) can no longer commit anything.
    await expect(
      earlier.commit([{ topic: config.outputTopic, messages: [{ value: 'zombie' }] }], 9, 'cp-zombie'),
    ).rejects.toThrow();
    await later.commit([{ topic: config.outputTopic, messages: [{ value: 'second' }] }], 7, 'cp-2');

    const written = [...(await readAll(kafka, config.outputTopic)).values()].flat().map((m) => m.value?.toString());
    expect(written).toEqual(['first', 'second']);
    await Promise.all([earlier.disconnect(), later.disconnect()]);
  });
});
