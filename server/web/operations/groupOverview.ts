/**
 * Reads the worker group as the Operations view shows it (GET /api/operations): committed offsets
 * with their checkpoints, end offsets (read_committed: the last stable offset), and the group's
 * members. Admin requests only, no consumer, so a page refreshing every few seconds costs the
 * cluster a handful of metadata requests. Shaping is in lib/operations/groupOverview.ts.
 */
import type { Admin } from 'kafkajs';
import type { OperationsOverview, TopicProgress } from '../../../lib/contract';
import { memberViews, overview, topicProgress, type Stage } from '../../../lib/operations/groupOverview';
import { kafkaRetry } from '../../kafka/retriable';

export interface GroupTopics {
  groupId: string;
  inputTopic: string;
  /** Null when the group does not read it (input keyed by sensor). */
  partialsTopic: string | null;
}

async function progressOf(admin: Admin, groupId: string, topic: string, stage: Stage): Promise<TopicProgress> {
  const [[committed], ends] = await Promise.all([
    kafkaRetry(`committed offsets of ${groupId} on ${topic}`, () => admin.fetchOffsets({ groupId, topics: [topic] })),
    kafkaRetry(`offsets of ${topic}`, () => admin.fetchTopicOffsets(topic)),
  ]);
  return topicProgress(topic, stage, committed?.partitions ?? [], ends);
}

export async function readGroupOverview(
  admin: Admin,
  topics: GroupTopics,
  counters: OperationsOverview['counters'],
  now = Date.now,
): Promise<OperationsOverview> {
  const { groupId, inputTopic, partialsTopic } = topics;
  const [input, partials, groups] = await Promise.all([
    progressOf(admin, groupId, inputTopic, 'partition'),
    partialsTopic === null ? Promise.resolve(null) : progressOf(admin, groupId, partialsTopic, 'merge'),
    kafkaRetry(`members of ${groupId}`, () => admin.describeGroups([groupId])),
  ]);
  const group = groups.groups.find((g) => g.groupId === groupId);
  return overview({
    at: now(),
    groupId,
    // A group the coordinator has never seen is reported as "Dead" with no members.
    state: group?.state ?? 'Unknown',
    input,
    partials,
    members: memberViews(group?.members ?? []),
    counters,
  });
}
