/** Creates the topics windowpane uses when they are missing. */
import type { Admin } from 'kafkajs';
import type { AppConfig } from '../config';
import { log } from '../log';

export async function ensureTopics(admin: Admin, config: AppConfig): Promise<void> {
  const existing = new Set(await admin.listTopics());
  const wanted = [
    { topic: config.inputTopic, numPartitions: config.inputPartitions },
    { topic: config.outputTopic, numPartitions: config.inputPartitions },
    { topic: config.dlqTopic, numPartitions: 1 },
    ...(config.lateTopic ? [{ topic: config.lateTopic, numPartitions: 1 }] : []),
    // The whole window-size history lives in every record, so compaction keeps what matters.
    {
      topic: config.configTopic,
      numPartitions: 1,
      configEntries: [{ name: 'cleanup.policy', value: 'compact' }],
    },
  ].filter((t) => !existing.has(t.topic));
  if (wanted.length === 0) return;
  try {
    await admin.createTopics({ topics: wanted, waitForLeaders: true });
    log.info('created topics', { topics: wanted.map((t) => t.topic) });
  } catch (error) {
    // Another process may have created them in between; anything else is re-checked below.
    const now = new Set(await admin.listTopics());
    const missing = wanted.filter((t) => !now.has(t.topic));
    if (missing.length > 0) throw error;
  }
}
