/**
 * A web server's side of the stats: it reads the workers' reports from the stats topic (its own
 * consumer group, from a few seconds back) into a ClusterStats that adds them up.
 */
import { randomUUID } from 'node:crypto';
import type { Consumer, Kafka } from 'kafkajs';
import { workerStatsSchema } from '../../../lib/contract';
import { parseRecord } from '../../../lib/parseRecord';
import { ClusterStats, WORKER_STATS_TTL_MS } from '../../../lib/stats/clusterStats';
import { startGroupAt } from '../../kafka/startGroupAt';
import { SupervisedConsumer } from '../../kafka/supervisedConsumer';
import { log } from '../../log';

export class StatsFeed {
  readonly cluster: ClusterStats;
  private readonly groupId = `windowpane-stats-${randomUUID()}`;
  private readonly consumer: SupervisedConsumer;

  constructor(
    private readonly kafka: Kafka,
    private readonly topic: string,
    /** MAX_SENSORS: sensors whose late readings are added up one by one. */
    maxSensors: number,
  ) {
    this.cluster = new ClusterStats(WORKER_STATS_TTL_MS, maxSensors);
    this.consumer = new SupervisedConsumer(kafka, { groupId: this.groupId }, 'stats', (consumer) => this.run(consumer));
  }

  async start(): Promise<void> {
    await startGroupAt(this.kafka, this.groupId, this.topic, Date.now() - WORKER_STATS_TTL_MS);
    await this.consumer.start();
  }

  stop(): Promise<void> {
    return this.consumer.stop();
  }

  private async run(consumer: Consumer): Promise<void> {
    await consumer.subscribe({ topic: this.topic, fromBeginning: false });
    await consumer.run({
      eachMessage: async ({ message, partition }) => {
        const report = parseRecord(message.value, workerStatsSchema);
        if (!report.ok) {
          const where = { topic: this.topic, partition, offset: message.offset, reason: report.error };
          log.debug(where, 'stats record ignored: not a worker report');
          return;
        }
        this.cluster.accept(report.value);
      },
    });
  }
}
