/** Test helpers that talk to the real broker named by KAFKA_BROKERS (started by scripts/test.ts). */
import { randomUUID } from 'node:crypto';
import { Kafka, logLevel } from 'kafkajs';
import { loadConfig, type AppConfig } from '../../server/config';

export function brokersFromEnv(): string[] {
  const raw = process.env.KAFKA_BROKERS;
  if (!raw) throw new Error('KAFKA_BROKERS is not set: run the tests with `npm test`, which starts a broker');
  return raw.split(',');
}

export function testKafka(): Kafka {
  return new Kafka({ clientId: 'windowpane-test', brokers: brokersFromEnv(), logLevel: logLevel.NOTHING });
}

/** A config with topic and group names of its own, so tests never see each other's data. */
export function isolatedConfig(overrides: Partial<AppConfig> = {}, env: Record<string, string> = {}): AppConfig {
  const tag = randomUUID().slice(0, 8);
  const base = loadConfig({ KAFKA_BROKERS: process.env.KAFKA_BROKERS, ...env });
  return {
    ...base,
    inputTopic: `it-${tag}-readings`,
    outputTopic: `it-${tag}-sums`,
    configTopic: `it-${tag}-config`,
    dlqTopic: `it-${tag}-dlq`,
    lateTopic: `it-${tag}-late`,
    statsTopic: `it-${tag}-stats`,
    workerGroupId: `it-${tag}-worker`,
    partialsTopic: `it-${tag}-partials`,
    redriveTopic: `it-${tag}-redrives`,
    alertRulesTopic: `it-${tag}-alert-rules`,
    ...overrides,
  };
}

export { readWholeTopic as readAll } from '../../server/kafka/readWholeTopic';

export async function waitFor<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 500));
  }
}
