import type { Admin } from 'kafkajs';
import { KafkaJSNonRetriableError, KafkaJSProtocolError } from 'kafkajs';
import { describe, expect, it } from 'vitest';
import { kafkaRetry, retryingAdmin } from '../../../../server/kafka/retriable';

// kafkajs' own error for code 3, as a broker that has not yet heard of a topic just created answers.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { createErrorFromCode } = require('kafkajs/src/protocol/error') as {
  createErrorFromCode(code: number): KafkaJSProtocolError;
};

const noWait = { sleep: async () => undefined };

/** An admin whose fetchTopicMetadata fails `failures` times with `error`, then answers. */
function flakyAdmin(failures: number, error: () => Error) {
  const calls = { fetchTopicMetadata: 0, connect: 0 };
  const admin = {
    connect: async () => void calls.connect++,
    fetchTopicMetadata: async () => {
      if (++calls.fetchTopicMetadata <= failures) throw error();
      return { topics: [{ name: 'readings', partitions: [{ partitionId: 0, leader: 1 }] }] };
    },
  } as unknown as Admin;
  return { admin, calls };
}

describe('retryingAdmin', () => {
  it('retries UNKNOWN_TOPIC_OR_PARTITION, as kafkajs throws it after giving up at once', async () => {
    const unknown = createErrorFromCode(3);
    expect(unknown).toBeInstanceOf(KafkaJSProtocolError);
    expect(unknown.type).toBe('UNKNOWN_TOPIC_OR_PARTITION');
    expect(unknown.message).toBe('This server does not host this topic-partition');
    // kafkajs' admin `bail`s with the protocol error wrapped as non-retriable.
    const { admin, calls } = flakyAdmin(3, () =>
      Object.assign(new KafkaJSNonRetriableError(unknown), { cause: unknown }),
    );
    const { topics } = await retryingAdmin(admin, noWait).fetchTopicMetadata({ topics: ['readings'] });
    expect(topics[0].partitions).toHaveLength(1);
    expect(calls.fetchTopicMetadata).toBe(4);
  });

  it.each([
    ['LEADER_NOT_AVAILABLE', 5],
    ['NOT_CONTROLLER', 41],
    ['REQUEST_TIMED_OUT', 7],
  ])('retries %s', async (type, code) => {
    const { admin, calls } = flakyAdmin(2, () => createErrorFromCode(code));
    expect(createErrorFromCode(code).type).toBe(type);
    await retryingAdmin(admin, noWait).fetchTopicMetadata({ topics: ['readings'] });
    expect(calls.fetchTopicMetadata).toBe(3);
  });

  it('throws a non-retriable error at once and leaves connect alone', async () => {
    const { admin, calls } = flakyAdmin(1, () => createErrorFromCode(29)); // TOPIC_AUTHORIZATION_FAILED
    const retrying = retryingAdmin(admin, noWait);
    await expect(retrying.fetchTopicMetadata({ topics: ['readings'] })).rejects.toThrow(/authori/i);
    expect(calls.fetchTopicMetadata).toBe(1);
    await retrying.connect();
    expect(calls.connect).toBe(1);
  });

  it('gives up within its bounds, and an outer kafkaRetry does not retry what it gave up on', async () => {
    const { admin, calls } = flakyAdmin(Infinity, () => createErrorFromCode(3));
    const retrying = retryingAdmin(admin, { ...noWait, retries: 3 });
    await expect(
      kafkaRetry('outer', () => retrying.fetchTopicMetadata({ topics: ['readings'] }), { ...noWait, retries: 3 }),
    ).rejects.toThrow('This server does not host this topic-partition');
    expect(calls.fetchTopicMetadata).toBe(4);
  });
});
