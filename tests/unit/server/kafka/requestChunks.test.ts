import type { Message } from 'kafkajs';
import { describe, expect, it } from 'vitest';
import { chunkTopicMessages, messageBytes } from '../../../../server/kafka/requestChunks';

const message = (value: string, key = 'k'): Message => ({ key, value });

describe('chunkTopicMessages', () => {
  it('keeps a small write in one request', () => {
    const requests = chunkTopicMessages([
      { topic: 'out', messages: [message('a'), message('b')] },
      { topic: 'dlq', messages: [message('c')] },
    ]);
    expect(requests).toEqual([
      [
        { topic: 'out', messages: [message('a'), message('b')] },
        { topic: 'dlq', messages: [message('c')] },
      ],
    ]);
  });

  it('splits by bytes, keeps every message once and in order, and sends an oversized one alone', () => {
    const big = message('x'.repeat(1_000_000));
    const small = Array.from({ length: 50 }, (_, i) => message(String(i).padStart(40, '0')));
    const limit = 10 * messageBytes(small[0]);
    const requests = chunkTopicMessages(
      [
        { topic: 'out', messages: small },
        { topic: 'dlq', messages: [message('d1'), big, message('d2')] },
      ],
      limit,
    );
    for (const request of requests) {
      const bytes = request.flatMap((t) => t.messages).reduce((n, m) => n + messageBytes(m), 0);
      expect(bytes <= limit || request.flatMap((t) => t.messages).length === 1).toBe(true);
    }
    const flat = requests.flat();
    expect(flat.filter((t) => t.topic === 'out').flatMap((t) => t.messages)).toEqual(small);
    expect(flat.filter((t) => t.topic === 'dlq').flatMap((t) => t.messages)).toEqual([
      message('d1'),
      big,
      message('d2'),
    ]);
    expect(requests.find((r) => r.some((t) => t.messages.includes(big)))).toEqual([{ topic: 'dlq', messages: [big] }]);
    expect(requests.length).toBe(8); // 5 full requests of 10 small ones, then [d1], [big], [d2]
  });

  it('counts headers and binary values', () => {
    expect(messageBytes({ key: null, value: Buffer.alloc(100), headers: { reason: 'abc' } })).toBe(
      32 + 100 + 8 + 6 + 3,
    );
  });
});
