/**
 * Splits what one transaction writes into produce requests of bounded size.
 *
 * kafkajs puts every message for a partition into one record batch, and the broker refuses a
 * batch above the topic's `max.message.bytes` (1 MiB by default). A hundred thousand windows
 * closing at once, or a dead-lettered record near 1 MiB among others, would otherwise be
 * refused on every retry and stall the partition. A message larger than the bound travels alone.
 */
import type { Message, TopicMessages } from 'kafkajs';

/** Well under the 1 MiB default so that record and batch overheads never push a request over. */
const REQUEST_BYTES = 512 * 1024;

/** Bytes a message takes on the wire, near enough: key, value and headers plus record overhead. */
export function messageBytes(message: Message): number {
  let bytes = 32 + byteLength(message.key) + byteLength(message.value);
  for (const [name, value] of Object.entries(message.headers ?? {})) {
    bytes +=
      8 +
      Buffer.byteLength(name) +
      (Array.isArray(value) ? value.reduce((n, v) => n + byteLength(v), 0) : byteLength(value));
  }
  return bytes;
}

function byteLength(value: Buffer | string | null | undefined): number {
  if (value === null || value === undefined) return 0;
  return typeof value === 'string' ? Buffer.byteLength(value) : value.length;
}

/** Groups `topicMessages` into requests of at most `limit` bytes each, keeping message order per topic. */
export function chunkTopicMessages(topicMessages: TopicMessages[], limit = REQUEST_BYTES): TopicMessages[][] {
  const requests: TopicMessages[][] = [];
  let current: TopicMessages[] = [];
  let currentBytes = 0;
  const flush = () => {
    if (current.length > 0) requests.push(current);
    current = [];
    currentBytes = 0;
  };
  for (const { topic, messages } of topicMessages) {
    for (const message of messages) {
      const bytes = messageBytes(message);
      if (currentBytes > 0 && currentBytes + bytes > limit) flush();
      const last = current[current.length - 1];
      if (last?.topic === topic) last.messages.push(message);
      else current.push({ topic, messages: [message] });
      currentBytes += bytes;
    }
  }
  flush();
  return requests;
}
