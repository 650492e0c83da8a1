/**
 * Does a fetched batch continue from where its task has read up to? kafkajs marks a batch stale
 * only while a seek is pending: one fetched before a task's seek can still arrive after it, from
 * further on, and taking it in would skip the records in between (found on a 3-node cluster: a
 * paused leader, a task restarted, a window short of one partition's share). Such a batch is
 * dropped and the partition read again from the task's position. If the batch read from there
 * still starts further on, what lies between is not data (transaction markers, or records that
 * retention has deleted): then it is taken.
 */
export type Continuity = 'take' | 'reread' | 'take-after-gap';

export class ReadContinuity {
  /** Per partition, the position a batch from further on made us read from again. */
  private readonly rereadFrom = new Map<string, number>();

  check(partitionKey: string, fetchedFrom: number, readUpTo: number): Continuity {
    if (fetchedFrom <= readUpTo) {
      this.rereadFrom.delete(partitionKey);
      return 'take';
    }
    if (this.rereadFrom.get(partitionKey) !== readUpTo) {
      this.rereadFrom.set(partitionKey, readUpTo);
      return 'reread';
    }
    this.rereadFrom.delete(partitionKey);
    return 'take-after-gap';
  }
}
