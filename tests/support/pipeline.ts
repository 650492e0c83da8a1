/** Produces readings to the real broker and waits for the verifier to find the output exact. */
import type { Kafka } from 'kafkajs';
import { sortWindows } from '../../lib/reference';
import type { AppConfig } from '../../server/config';
import { verifyTopics, type VerifyResult } from '../../server/verify/verifier';

export interface RawReading {
  id: number | string;
  time: number;
  value: number;
}

/** Seeded readings for `sensors` sensors, one every `stepMs` of event time, shuffled within ±`jitterMs`. */
export function seededReadings(
  startMs: number,
  count: number,
  sensors: number,
  stepMs: number,
  jitterMs: number,
  seed = 1,
): RawReading[] {
  let s = seed;
  const rand = () => (s = (s * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31;
  const out: RawReading[] = [];
  for (let i = 0; i < count; i++) {
    const timeMs = startMs + i * stepMs + Math.round((rand() * 2 - 1) * jitterMs);
    out.push({ id: (i % sensors) + 1, time: timeMs / 1000, value: Math.floor(rand() * 10) });
  }
  return out;
}

/** With no key, as most producers send: each sensor's readings spread over every partition. */
export async function produceReadings(
  kafka: Kafka,
  topic: string,
  readings: RawReading[],
  options: { keyed?: boolean } = {},
): Promise<void> {
  const producer = kafka.producer();
  await producer.connect();
  await producer.send({
    topic,
    messages: readings.map((r) => ({ key: options.keyed ? String(r.id) : null, value: JSON.stringify(r) })),
  });
  await producer.disconnect();
}

/**
 * Verifies until the output is exact and stays exact on a second look (windows still closing
 * make the first looks incomplete), or until the timeout; returns the last report.
 */
export async function waitForExact(kafka: Kafka, config: AppConfig, timeoutMs = 90_000): Promise<VerifyResult> {
  const deadline = Date.now() + timeoutMs;
  let exactOnce = false;
  for (;;) {
    const result = await verifyTopics(kafka, config);
    if (result.ok && result.windowsExpected > 0 && exactOnce) {
      result.expected = sortWindows(result.expected);
      result.written = sortWindows(result.written);
      return result;
    }
    exactOnce = result.ok && result.windowsExpected > 0;
    if (Date.now() > deadline) return result;
    await new Promise((r) => setTimeout(r, exactOnce ? 2_000 : 1_000));
  }
}
