/** How far a consumer group is behind: its committed offset against each partition's end offset. */
import type { Admin } from 'kafkajs';

export interface PartitionLag {
  partition: number;
  /** The group's committed offset; null when it has committed nothing on this partition. */
  committed: number | null;
  end: number;
  /** Records between the committed offset (or the log start, with none) and the end. */
  lag: number;
}

export function lagOf(
  committed: { partition: number; offset: string }[],
  ends: { partition: number; high: string; low: string }[],
): PartitionLag[] {
  const byPartition = new Map(committed.map((c) => [c.partition, Number(c.offset)]));
  return ends
    .map(({ partition, high, low }) => {
      const end = Number(high);
      const offset = byPartition.get(partition);
      const at = offset !== undefined && offset >= 0 ? offset : null;
      return { partition, committed: at, end, lag: Math.max(0, end - (at ?? Number(low))) };
    })
    .sort((a, b) => a.partition - b.partition);
}

export async function measureConsumerLag(admin: Admin, groupId: string, topic: string): Promise<PartitionLag[]> {
  const [[offsets], ends] = await Promise.all([
    admin.fetchOffsets({ groupId, topics: [topic] }),
    admin.fetchTopicOffsets(topic),
  ]);
  return lagOf(offsets?.partitions ?? [], ends);
}
