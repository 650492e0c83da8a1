/** Creates the topics windowpane uses when they are missing. */
import type { Admin } from 'kafkajs';
import type { AppConfig } from '../config';
import { log } from '../log';
import { waitForTopicsReady } from './retriable';

const asideLimit = [{ name: 'max.message.bytes', value: String(2 * 1024 * 1024) }];

export async function ensureTopics(admin: Admin, config: AppConfig): Promise<void> {
  const existing = new Set(await admin.listTopics());
  const wanted = [
    { topic: config.inputTopic, numPartitions: config.inputPartitions },
    { topic: config.outputTopic, numPartitions: config.inputPartitions },
    // Records set aside keep their original bytes plus headers, so they may exceed the input's own limit.
    { topic: config.dlqTopic, numPartitions: 1, configEntries: asideLimit },
    ...(config.lateTopic ? [{ topic: config.lateTopic, numPartitions: 1, configEntries: asideLimit }] : []),
    // Workers' counters, read by web servers from a few seconds back: an hour is plenty.
    { topic: config.statsTopic, numPartitions: 1, configEntries: [{ name: 'retention.ms', value: String(3_600_000) }] },
    // The whole window-size history lives in every record, so compaction keeps what matters.
    {
      topic: config.configTopic,
      numPartitions: 1,
      configEntries: [{ name: 'cleanup.policy', value: 'compact' }],
    },
    // One record per redriven dead letter, keyed by it: compaction keeps its latest redrive.
    { topic: config.redriveTopic, numPartitions: 1, configEntries: [{ name: 'cleanup.policy', value: 'compact' }] },
    // One record per alert rule, keyed by its id (a tombstone deletes it): compaction keeps each rule's latest version.
    { topic: config.alertRulesTopic, numPartitions: 1, configEntries: [{ name: 'cleanup.policy', value: 'compact' }] },
  ].filter((t) => !existing.has(t.topic));
  if (wanted.length > 0) {
    try {
      await admin.createTopics({ topics: wanted, waitForLeaders: true });
      log.info({ topics: wanted.map((t) => t.topic) }, 'created topics');
    } catch (error) {
      // Another process may have created them in between; anything else is re-checked below.
      const now = new Set(await admin.listTopics());
      const missing = wanted.filter((t) => !now.has(t.topic));
      if (missing.length > 0) throw error;
    }
  }
  await waitForTopicsReady(
    admin,
    wanted.map((t) => t.topic),
  );
  if (!config.keyedBySensor && !existing.has(config.partialsTopic)) await createPartialsTopic(admin, config);
}

/**
 * As many partitions as the input (the merge scales like the first stage). The broker's default
 * retention: partials not yet merged (every worker down) must outlive the outage.
 */
async function createPartialsTopic(admin: Admin, config: AppConfig): Promise<void> {
  const { topics } = await admin.fetchTopicMetadata({ topics: [config.inputTopic] });
  const numPartitions = topics[0].partitions.length;
  try {
    await admin.createTopics({
      topics: [{ topic: config.partialsTopic, numPartitions }],
      waitForLeaders: true,
    });
    log.info({ topic: config.partialsTopic, partitions: numPartitions }, 'created the partials topic');
  } catch (error) {
    if (!(await admin.listTopics()).includes(config.partialsTopic)) throw error;
  }
  await waitForTopicsReady(admin, [config.partialsTopic]);
}
