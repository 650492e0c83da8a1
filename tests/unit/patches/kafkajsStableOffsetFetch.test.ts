/**
 * The patched kafkajs committed-offset read (patches/kafkajs+2.2.4.patch): `admin.fetchOffsets`
 * with `requireStable` asks OffsetFetch v7 with require_stable (KIP-447) of a broker that offers it,
 * so an offset commit still pending in a transaction is refused with the retriable
 * UNSTABLE_OFFSET_COMMIT instead of answered with the offset before it. Upstream 2.2.4 stops at v4,
 * which has no require_stable. The admin, broker, request and response code is kafkajs's own; the
 * broker at the other end is a fake that checks the request's bytes and answers with bytes written
 * here from the protocol's definition.
 */
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { isRetriableKafkaError } from '../../../server/kafka/retriable';

const require = createRequire(import.meta.url);
const createAdmin = require('kafkajs/src/admin');
const Broker = require('kafkajs/src/broker');
const { lookup } = require('kafkajs/src/protocol/requests');
const apiKeys = require('kafkajs/src/protocol/requests/apiKeys');

const OFFSET_FETCH_V4_ANSWER = { responses: [{ topic: 't', partitions: [{ partition: 0, offset: '9', metadata: null, errorCode: 0 }] }], errorCode: 0 };

/** Group 'g', topic 't', partition 0, as OffsetFetch v7 writes them after the request header v1. */
function expectedV7Request(requireStable: boolean): Buffer {
  return Buffer.from([
    0x00, // request header v2's tagged fields
    0x02, 0x67, // group_id 'g' (compact: length + 1)
    0x02, 0x02, 0x74, 0x02, 0, 0, 0, 0, 0x00, // topics: one, 't', partition_indexes [0], tagged fields
    requireStable ? 0x01 : 0x00,
    0x00, // tagged fields
  ]);
}

/** An OffsetFetch v7 answer for 't' partition 0: offset 9, metadata 'cp-9', `errorCode`. */
function v7Answer(errorCode: number): Buffer {
  const int32 = (n: number) => Buffer.from([(n >>> 24) & 0xff, (n >>> 16) & 0xff, (n >>> 8) & 0xff, n & 0xff]);
  return Buffer.concat([
    Buffer.from([0x00]), // response header v1's tagged fields
    int32(0), // throttle_time_ms
    Buffer.from([0x02, 0x02, 0x74, 0x02]), // topics: one, 't', partitions: one
    int32(0), // partition_index
    Buffer.from([0, 0, 0, 0, 0, 0, 0, 9]), // committed_offset
    int32(-1), // committed_leader_epoch
    Buffer.from([0x05, ...Buffer.from('cp-9')]), // metadata
    Buffer.from([errorCode >> 8, errorCode & 0xff, 0x00]), // error_code, partition's tagged fields
    Buffer.from([0x00, 0, 0, 0x00]), // topic's tagged fields, error_code, tagged fields
  ]);
}

/** An admin whose group coordinator is a kafkajs Broker over a fake connection offering up to `maxVersion`. */
function adminWithCoordinator(maxVersion: number, partitionError = 0, topicPartitions = 1) {
  const sent: { apiVersion: number; bytes: Buffer }[] = [];
  const warnings: string[] = [];
  const logger = {
    namespace: () => logger,
    warn: (message: string) => warnings.push(message),
    debug() {},
    info() {},
    error() {},
  };
  const connectionPool = {
    connectionTimeout: 1_000,
    host: 'fake',
    port: 9092,
    async send({ request, response }: { request: { apiVersion: number; encode: () => Promise<{ buffer: Buffer }> }; response: { decode: (b: Buffer) => Promise<unknown>; parse: (d: unknown) => Promise<unknown> } }) {
      const bytes = (await request.encode()).buffer;
      sent.push({ apiVersion: request.apiVersion, bytes });
      if (request.apiVersion === 7) return response.parse(await response.decode(v7Answer(partitionError)));
      return response.parse(OFFSET_FETCH_V4_ANSWER);
    },
  };
  const coordinator = new Broker({ connectionPool, logger });
  coordinator.lookupRequest = lookup({ [apiKeys.OffsetFetch]: { minVersion: 1, maxVersion } });
  const cluster = {
    findGroupCoordinator: async () => coordinator,
    addTargetTopic: async () => {},
    refreshMetadataIfNecessary: async () => {},
    findTopicPartitionMetadata: () => Array.from({ length: topicPartitions }, (_, partitionId) => ({ partitionId })),
  };
  return { admin: createAdmin({ logger, cluster }), sent, warnings };
}

describe('kafkajs committed-offset read with require_stable (patched)', () => {
  it('asks a broker that offers it OffsetFetch v7 with require_stable and reads its answer', async () => {
    const { admin, sent } = adminWithCoordinator(8);
    const offsets = await admin.fetchOffsets({ groupId: 'g', topics: ['t'], requireStable: true });
    expect(sent.map((s) => s.apiVersion)).toEqual([7]);
    expect(sent[0].bytes).toEqual(expectedV7Request(true));
    expect(offsets).toEqual([{ topic: 't', partitions: [{ partition: 0, offset: '9', metadata: 'cp-9' }] }]);
  });

  it('refuses an offset still pending in a transaction with the retriable UNSTABLE_OFFSET_COMMIT', async () => {
    const { admin } = adminWithCoordinator(8, 88);
    const error = await admin.fetchOffsets({ groupId: 'g', topics: ['t'], requireStable: true }).catch((e: unknown) => e);
    expect(error).toMatchObject({ type: 'UNSTABLE_OFFSET_COMMIT', retriable: true });
    expect(isRetriableKafkaError(error)).toBe(true);
  });

  it("asks for the caller's partition only, which its siblings' pending commits cannot fail", async () => {
    const { admin, sent } = adminWithCoordinator(8, 0, 3);
    const offsets = await admin.fetchOffsets({ groupId: 'g', topics: [{ topic: 't', partitions: [0] }], requireStable: true });
    expect(sent[0].bytes).toEqual(expectedV7Request(true));
    expect(offsets[0].partitions).toEqual([{ partition: 0, offset: '9', metadata: 'cp-9' }]);
  });

  it('asks without require_stable when the caller did not (the consumer, the lag views)', async () => {
    const { admin, sent } = adminWithCoordinator(8);
    await admin.fetchOffsets({ groupId: 'g', topics: ['t'] });
    expect(sent[0].bytes).toEqual(expectedV7Request(false));
  });

  it('falls back to v4 on a broker older than Kafka 2.5, with one warning that offsets may be unstable', async () => {
    const { admin, sent, warnings } = adminWithCoordinator(6);
    await admin.fetchOffsets({ groupId: 'g', topics: ['t'], requireStable: true });
    await admin.fetchOffsets({ groupId: 'g', topics: ['t'], requireStable: true });
    expect(sent.map((s) => s.apiVersion)).toEqual([4, 4]);
    expect(warnings.filter((w) => w.includes('OffsetFetch v7'))).toHaveLength(1);
    const kafka24 = adminWithCoordinator(5);
    await kafka24.admin.fetchOffsets({ groupId: 'g', topics: ['t'], requireStable: true });
    expect(kafka24.sent.map((s) => s.apiVersion)).toEqual([4]);
  });
});
