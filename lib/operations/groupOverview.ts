/**
 * Shapes what the admin API says about the worker group into the Operations view's JSON
 * (GET /api/operations). Pure: server/web/operations/groupOverview.ts does the reading.
 *
 * A partition's watermark comes from the checkpoint the worker commits with its offset
 * (lib/checkpoint.ts): that is the watermark of the last committed step, so the view shows what a
 * restarted worker would resume from, not a live in-memory figure.
 */
import { decodeCheckpoint, decodeMergeCheckpoint } from '../checkpoint';
import type { GroupMemberView, OperationsOverview, PartitionProgress, TopicProgress } from '../contract';
import { decodeMemberAssignment } from './memberAssignment';

export interface CommittedOffset {
  partition: number;
  offset: string;
  metadata: string | null;
}

export interface EndOffsets {
  partition: number;
  /** The last stable offset (read_committed). */
  high: string;
  low: string;
}

export type Stage = 'partition' | 'merge';

/** The merge stage can close a window once every input partition has passed it: its watermark is the lowest. */
export function mergeWatermark(sources: (number | null)[]): number | null {
  if (sources.length === 0 || sources.some((w) => w === null)) return null;
  return Math.min(...(sources as number[]));
}

export function topicProgress(
  topic: string,
  stage: Stage,
  committed: CommittedOffset[],
  ends: EndOffsets[],
): TopicProgress {
  const byPartition = new Map(committed.map((c) => [c.partition, c]));
  const partitions = ends
    .map(({ partition, high, low }): PartitionProgress => {
      const end = Number(high);
      const c = byPartition.get(partition);
      // kafkajs reports "-1" for a partition the group has never committed.
      const at = c && Number(c.offset) >= 0 ? Number(c.offset) : null;
      const row: PartitionProgress = {
        partition,
        committed: at,
        end,
        lag: Math.max(0, end - (at ?? Number(low))),
        watermarkMs: null,
      };
      if (stage === 'partition') {
        row.watermarkMs = decodeCheckpoint(c?.metadata)?.watermarkMs ?? null;
      } else {
        const cp = decodeMergeCheckpoint(c?.metadata);
        row.sourceWatermarksMs = cp?.sourceWatermarks ?? [];
        row.watermarkMs = cp ? mergeWatermark(cp.sourceWatermarks) : null;
      }
      return row;
    })
    .sort((a, b) => a.partition - b.partition);
  return { topic, partitions, lag: partitions.reduce((sum, p) => sum + p.lag, 0) };
}

export interface RawMember {
  memberId: string;
  clientId: string;
  clientHost: string;
  memberAssignment: Uint8Array | null;
}

export function memberViews(members: RawMember[]): GroupMemberView[] {
  return members
    .map((m) => ({
      memberId: m.memberId,
      clientId: m.clientId,
      // The coordinator reports the host as "/127.0.0.1"; the slash is Java's InetAddress text.
      host: m.clientHost.replace(/^\//, ''),
      assignment: decodeMemberAssignment(m.memberAssignment),
    }))
    .sort((a, b) => (a.memberId < b.memberId ? -1 : a.memberId > b.memberId ? 1 : 0));
}

/** The overview from its measured parts: everything but the totals, which are derived here. */
export function overview(parts: Omit<OperationsOverview, 'totals'>): OperationsOverview {
  const watermarks = parts.input.partitions.map((p) => p.watermarkMs).filter((w): w is number => w !== null);
  return {
    ...parts,
    totals: {
      lag: parts.input.lag + (parts.partials?.lag ?? 0),
      members: parts.members.length,
      lowestWatermarkMs: watermarks.length > 0 ? Math.min(...watermarks) : null,
    },
  };
}
