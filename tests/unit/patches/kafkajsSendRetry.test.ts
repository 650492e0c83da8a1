/**
 * The patched kafkajs send (patches/kafkajs+2.2.4.patch): a retry after a partition leader moved
 * must send every unacknowledged partition once, to its current leader, under the sequence number
 * it had. Upstream 2.2.4 keeps acknowledgements per broker: it never sends a partition whose new
 * leader had already answered, and sends twice one whose old leader had. The brokers here are
 * plain objects recording produce requests; the send logic is kafkajs's own.
 */
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';

const require = createRequire(import.meta.url);
const createSendMessages = require('kafkajs/src/producer/sendMessages');
const createRetry = require('kafkajs/src/retry');

interface Produced {
  nodeId: number;
  partition: number;
  firstSequence: number;
  values: string[];
}

/** Leaders per attempt: `leaders[attempt][partition]`; `fail[attempt]` is the node that refuses. */
function fakeCluster(leaders: number[][], fail: (number | null)[]) {
  let attempt = 0;
  const produced: Produced[] = [];
  const sequences = new Map<number, number>();
  const broker = (nodeId: number) => ({
    nodeId,
    async produce({ topicData }: { topicData: { topic: string; partitions: { partition: number; firstSequence: number; messages: { value: string }[] }[] }[] }) {
      if (fail[attempt] === nodeId) throw Object.assign(new Error(`node ${nodeId} is not the leader`), { name: 'KafkaJSProtocolError', retriable: true, type: 'NOT_LEADER_OR_FOLLOWER' });
      for (const { topic, partitions } of topicData) {
        for (const p of partitions) produced.push({ nodeId, partition: p.partition, firstSequence: p.firstSequence, values: p.messages.map((m) => m.value) });
        void topic;
      }
      return { topics: topicData.map(({ topic, partitions }) => ({ topicName: topic, partitions: partitions.map((p) => ({ partition: p.partition, errorCode: 0, baseOffset: '0' })) })) };
    },
  });
  const brokers = new Map([1, 2, 3].map((id) => [id, broker(id)]));
  const cluster = {
    targetTopics: new Set<string>(),
    async addMultipleTargetTopics() {},
    async refreshMetadataIfNecessary() {},
    async refreshMetadata() {
      attempt = Math.min(attempt + 1, leaders.length - 1);
    },
    isConnected: () => true,
    findTopicPartitionMetadata: () => leaders[attempt].map((leader, partitionId) => ({ partitionId, leader })),
    findLeaderForPartitions(_topic: string, partitions: string[]) {
      const result: Record<number, number[]> = {};
      for (const p of partitions) (result[leaders[attempt][Number(p)]] ??= []).push(Number(p));
      return result;
    },
    findBroker: async ({ nodeId }: { nodeId: string }) => brokers.get(Number(nodeId)),
    removeBroker() {},
  };
  const eosManager = {
    isTransactional: () => false,
    acquireBrokerLock: async () => {},
    releaseBrokerLock: async () => {},
    getProducerId: () => 7,
    getProducerEpoch: () => 0,
    getSequence: (_t: string, p: number) => sequences.get(p) ?? 0,
    updateSequence: (_t: string, p: number, n: number) => sequences.set(p, (sequences.get(p) ?? 0) + n),
  };
  const logger = { debug() {}, error() {}, warn() {}, info() {} };
  const send = createSendMessages({
    logger,
    cluster,
    partitioner: ({ message }: { message: { partition: number } }) => message.partition,
    eosManager,
    retrier: createRetry({ retries: 3, initialRetryTime: 1, maxRetryTime: 2 }),
  });
  return { send, produced };
}

const messages = [0, 1, 2].flatMap((partition) => [{ partition, value: `${partition}-a` }, { partition, value: `${partition}-b` }]);

describe('kafkajs send retried after a leader moved (patched)', () => {
  it('sends a partition that moved to a broker which had already answered', async () => {
    // Attempt 1: node 2 (leader of partition 1) refuses; then partition 1 is led by node 1.
    const { send, produced } = fakeCluster([[1, 2, 3], [1, 1, 3]], [2, null]);
    await send({ acks: -1, timeout: 1000, topicMessages: [{ topic: 't', messages }] });
    const byPartition = [0, 1, 2].map((p) => produced.filter((r) => r.partition === p).flatMap((r) => r.values));
    expect(byPartition).toEqual([['0-a', '0-b'], ['1-a', '1-b'], ['2-a', '2-b']]);
    expect(produced.find((r) => r.partition === 1)).toMatchObject({ nodeId: 1, firstSequence: 0 });
  });

  it('does not send again a partition acknowledged by a broker that now refuses', async () => {
    // Attempt 1: node 1 answers for partitions 0 and 1, node 3 refuses partition 2. Attempt 2: partition
    // 0 has moved to node 3: it was acknowledged and must not go again (upstream sent it with the next
    // sequence number, which a broker appends as new records).
    const { send, produced } = fakeCluster([[1, 1, 3], [3, 1, 2]], [3, null]);
    await send({ acks: -1, timeout: 1000, topicMessages: [{ topic: 't', messages }] });
    for (const p of [0, 1, 2]) expect(produced.filter((r) => r.partition === p).flatMap((r) => r.values)).toEqual([`${p}-a`, `${p}-b`]);
    expect(produced.find((r) => r.partition === 2)).toMatchObject({ nodeId: 2, firstSequence: 0 });
  });
});
