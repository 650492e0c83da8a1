/**
 * Exactly-once progress of one consumed partition: a transactional producer of its own
 * (transactional.id = group-topic-partition), and steps that commit the step's output records and
 * the consumer offset, with a checkpoint in the offset's metadata, in one Kafka transaction.
 *
 * Starting the producer fences any earlier owner of the partition — a crashed worker or a zombie
 * that lost the partition in a rebalance — because kafkajs's `sendOffsets` has no KIP-447 group
 * fencing. Only after that is the committed offset final, so `start` reads it then, as a stable
 * offset (one no transaction is still committing).
 */
import type { Admin, Kafka, PartitionOffset, Producer } from 'kafkajs';
import type { CommittedPosition, OutputRecords, StepSink } from '../../lib/stages/stepSink';
import { createProducer } from '../kafka/client';
import { chunkTopicMessages } from '../kafka/requestChunks';
import { kafkaRetry } from '../kafka/retriable';

const TRANSACTION_TIMEOUT_MS = 10_000;

export class TransactionalPartition implements StepSink {
  private readonly producer: Producer;

  constructor(
    kafka: Kafka,
    private readonly admin: Admin,
    private readonly source: { groupId: string; topic: string; partition: number },
  ) {
    this.producer = createProducer(kafka, {
      transactionalId: `${source.groupId}-${source.topic}-${source.partition}`,
      idempotent: true,
      maxInFlightRequests: 1,
      transactionTimeout: TRANSACTION_TIMEOUT_MS,
      // Fail a step within seconds when its coordinator or a leader is gone, instead of the
      // client's minute of retries: the task restarts from its last commit (a new producer epoch,
      // so exactly-once holds) and finds the new coordinator once the cluster has fenced the old
      // one, while the consumer's other partitions and group membership carry on.
      retry: { retries: 4, initialRetryTime: 200, maxRetryTime: 2_000 },
    });
  }

  /** Fences earlier owners, then reads the committed offset and its metadata. */
  async start(): Promise<CommittedPosition> {
    const { groupId, topic, partition } = this.source;
    await this.fenceEarlierOwners();
    // requireStable (OffsetFetch v7, our kafkajs patch): while the earlier owner's last offset commit
    // is still pending in its transaction (markers not yet written), the coordinator refuses with the
    // retriable UNSTABLE_OFFSET_COMMIT, retried here, instead of answering the offset before it: a
    // task would replay from that older checkpoint and write again what the transaction committed.
    // Only this partition: one of the sibling tasks' partitions, pending in their commits, would fail it.
    const [offsets] = await kafkaRetry(`committed offset of ${topic} partition ${partition}`, () =>
      this.admin.fetchOffsets({ groupId, topics: [{ topic, partitions: [partition] }], requireStable: true }),
    );
    const committed = offsets.partitions.find((p) => p.partition === partition);
    const offset = committed && Number(committed.offset) >= 0 ? Number(committed.offset) : null;
    return { offset, metadata: committed?.metadata ?? undefined };
  }

  /**
   * kafkajs' `connect()` registers only an idempotent producer id; the transactional id is
   * initialised (InitProducerId with it: a new epoch, fencing every earlier producer of the id, whose
   * open transaction the coordinator completes or aborts first) at the first `transaction()`. Do
   * that now, so the committed offset read next is final: no earlier owner can commit after it.
   *
   * The transaction is not empty: it holds an offset commit for this partition and is aborted, so
   * its abort marker (this producer id, which every owner of the transactional id shares) lands in
   * the group's offsets partition after anything of ours pending there, and the group coordinator
   * drops every pending offset of the producer id when it reads it. An offset commit of ours still
   * pending after the fencing is a hanging one: appended after its transaction had ended (a broker
   * restarting amid a commit, or a broker without transaction verification), so it awaits a marker
   * that never comes, and a require-stable read of the offset fails for ever (seen after a 15 s
   * broker outage). Its transaction was aborted: a commit is only sent once its offsets were
   * accepted, so they precede its marker. Dropping it is therefore exactly the outcome it had.
   */
  private async fenceEarlierOwners(): Promise<void> {
    const { groupId, topic, partition } = this.source;
    await this.producer.connect();
    const transaction = await this.producer.transaction();
    try {
      await transaction.sendOffsets({
        consumerGroupId: groupId,
        topics: [{ topic, partitions: [{ partition, offset: '0' }] }],
      });
    } finally {
      // Aborted in any case: never committed, and a transaction left open would hold the offset unstable.
      await transaction.abort();
    }
  }

  /** Writes `records` and commits `offset` (with `metadata`) in one transaction. */
  async commit(records: OutputRecords[], offset: number, metadata: string): Promise<void> {
    const { groupId, topic, partition } = this.source;
    const requests = chunkTopicMessages(records);
    // The coordinator may still be completing our previous commit: the Java client retries this;
    // kafkajs does not for AddPartitions/AddOffsets. The broker refused, so nothing was
    // committed: the same records go again in a new transaction. Not once EndTxn has been sent:
    // its outcome is then unknown (it may commit), so the step fails and the next owner's fencing
    // settles it. (A step is never given up on while kafkajs may still finish it: an abandoned
    // transaction that commits late is a zombie.)
    let committing = false;
    await kafkaRetry(
      `transaction of ${topic} partition ${partition}`,
      async () => {
        const transaction = await this.producer.transaction();
        try {
          for (const request of requests) await transaction.sendBatch({ topicMessages: request });
          await transaction.sendOffsets({
            consumerGroupId: groupId,
            // kafkajs sends `metadata` (TxnOffsetCommit v0) although its typings omit it.
            topics: [{ topic, partitions: [{ partition, offset: String(offset), metadata } as PartitionOffset] }],
          });
          committing = true;
          await transaction.commit();
        } catch (error) {
          if (!committing) await transaction.abort().catch(() => undefined);
          throw error;
        }
      },
      // Short and flat: the coordinator is done within milliseconds (Java retries this after 20 ms);
      // an exponential climb to a second put hundreds of ms on a window's way out in the p99.
      {
        retries: 40,
        initialDelayMs: 10,
        maxDelayMs: 50,
        retriable: (error) => !committing && isConcurrentTransactions(error),
        onRetry: undefined,
      },
    );
  }

  disconnect(): Promise<void> {
    return this.producer.disconnect();
  }
}

function isConcurrentTransactions(error: unknown): boolean {
  return (error as { type?: string }).type === 'CONCURRENT_TRANSACTIONS';
}
