import { describe, expect, it } from 'vitest';
import { backoffDelay, retry } from '../../../lib/retry';
import { isRetriableKafkaError } from '../../../server/kafka/retriable';

const retriable = (e: unknown) => (e as Error).message === 'again';

describe('retry', () => {
  it('tries again on a retriable error with capped exponential delays, then succeeds', async () => {
    const slept: number[] = [];
    let calls = 0;
    const result = await retry(
      async () => {
        if (++calls < 5) throw new Error('again');
        return 'done';
      },
      {
        retries: 10,
        initialDelayMs: 100,
        maxDelayMs: 500,
        retriable,
        sleep: async (ms) => void slept.push(ms),
        random: () => 0.5,
      },
    );
    expect(result).toBe('done');
    expect(slept).toEqual([100, 200, 400, 500]);
  });

  it('throws a non-retriable error at once, and the last error once retries run out', async () => {
    let calls = 0;
    const options = { retries: 2, initialDelayMs: 1, maxDelayMs: 1, retriable, sleep: async () => undefined };
    await expect(
      retry(async () => {
        calls++;
        throw new Error('fatal');
      }, options),
    ).rejects.toThrow('fatal');
    expect(calls).toBe(1);
    calls = 0;
    await expect(
      retry(async () => {
        calls++;
        throw new Error('again');
      }, options),
    ).rejects.toThrow('again');
    expect(calls).toBe(3);
  });

  it('jitters delays within ±20 %', () => {
    const options = { initialDelayMs: 1_000, maxDelayMs: 10_000 };
    expect(backoffDelay(1, options, () => 0)).toBe(800);
    expect(backoffDelay(1, options, () => 1)).toBe(1_200);
    expect(backoffDelay(10, options, () => 0.5)).toBe(10_000);
  });
});

describe('isRetriableKafkaError', () => {
  it("follows kafkajs' retriable flag, through its retries-exceeded wrapper", () => {
    const notLeader = Object.assign(new Error('This server is not the leader for that topic-partition'), {
      retriable: true,
      type: 'NOT_LEADER_FOR_PARTITION',
    });
    expect(isRetriableKafkaError(notLeader)).toBe(true);
    expect(
      isRetriableKafkaError(Object.assign(new Error('retries exceeded'), { retriable: false, cause: notLeader })),
    ).toBe(true);
    expect(isRetriableKafkaError(Object.assign(new Error('topic authorization failed'), { retriable: false }))).toBe(
      false,
    );
    expect(isRetriableKafkaError(new Error('plain'))).toBe(false);
    expect(isRetriableKafkaError(undefined)).toBe(false);
  });
});

describe('retry within a total time', () => {
  it('makes no attempt that would start after totalMs, whatever retries remain', async () => {
    let clock = 0;
    let calls = 0;
    await expect(
      retry(
        async () => {
          calls++;
          clock += 1_000; // each attempt takes a second
          throw new Error('again');
        },
        {
          retries: 100,
          initialDelayMs: 1_000,
          maxDelayMs: 1_000,
          totalMs: 10_000,
          retriable,
          random: () => 0.5,
          now: () => clock,
          sleep: async (ms) => void (clock += ms),
        },
      ),
    ).rejects.toThrow('again');
    // Attempts start at 0, 2, 4, 6, 8 and 10 s; the next would start at 12 s.
    expect(calls).toBe(6);
  });
});
