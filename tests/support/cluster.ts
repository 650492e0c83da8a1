/**
 * Who leads what in a (local) Kafka cluster: the leader of a topic partition, the coordinator of
 * a consumer group and the coordinator of a transactional id, as node ids, so that a failover
 * test can kill or pause exactly that node (startLocalCluster(...).node(id)).
 */
import type { Admin, Kafka } from 'kafkajs';

export interface PartitionState {
  /** undefined while the partition has no leader (-1 in the metadata). */
  leader: number | undefined;
  replicas: number[];
  isr: number[];
}

/** Leader, replicas and ISR of one partition, from a fresh metadata request. */
async function partitionState(admin: Admin, topic: string, partition = 0): Promise<PartitionState> {
  const { topics } = await admin.fetchTopicMetadata({ topics: [topic] });
  const p = topics.find((t) => t.name === topic)?.partitions.find((x) => x.partitionId === partition);
  if (!p) throw new Error(`No partition ${topic}-${partition} in the cluster's metadata`);
  return { leader: p.leader >= 0 ? p.leader : undefined, replicas: [...p.replicas], isr: [...p.isr] };
}

/** The node id leading `topic`-`partition` (undefined while it has no leader). */
export async function partitionLeader(admin: Admin, topic: string, partition = 0): Promise<number | undefined> {
  return (await partitionState(admin, topic, partition)).leader;
}

/** Polls the partition's metadata until `accept` likes it (e.g. a leader other than a killed node). */
export async function waitForPartition(
  admin: Admin,
  topic: string,
  partition: number,
  accept: (state: PartitionState) => boolean,
  timeoutMs = 60_000,
): Promise<PartitionState> {
  const deadline = Date.now() + timeoutMs;
  let last: PartitionState | string;
  for (;;) {
    try {
      last = await partitionState(admin, topic, partition);
      if (accept(last)) return last;
    } catch (e) {
      last = e instanceof Error ? e.message : String(e);
    }
    if (Date.now() > deadline)
      throw new Error(`${topic}-${partition} not as expected within ${timeoutMs} ms; last: ${JSON.stringify(last)}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

// ---------------------------------------------------------------------------
// coordinators, through kafkajs internals
// ---------------------------------------------------------------------------

/** FindCoordinator key types (kafkajs src/protocol/coordinatorTypes.js). */
const COORDINATOR_TYPE = { group: 0, transaction: 1 } as const;

/** The part of kafkajs 2.2.4's internal Cluster (src/cluster/index.js) used here. */
interface InternalCluster {
  connect(): Promise<void>;
  disconnect(): Promise<void>;
  /** Fills the broker pool (connect() reaches only a seed broker). */
  refreshMetadata(): Promise<void>;
  /**
   * Asks a broker (FindCoordinator) and retries, with the client's retry settings, while the
   * coordinator is not available (e.g. its internal topic is still being created). Unlike
   * findGroupCoordinator it does not connect to the coordinator, so it works while that is down.
   */
  findGroupCoordinatorMetadata(o: { groupId: string; coordinatorType: number }): Promise<{
    coordinator: { nodeId: number; host: string; port: number };
  }>;
}

/**
 * A new internal Cluster for `kafka`: the Kafka client keeps its factory under a private
 * symbol (src/index.js, PRIVATE.CREATE_CLUSTER), the one way to reach FindCoordinator for
 * transactional ids. Checked, so a kafkajs upgrade that moves it fails here, saying so.
 */
function internalCluster(kafka: Kafka): InternalCluster {
  const key = Object.getOwnPropertySymbols(kafka).find((s) => s.description === 'private:Kafka:createCluster');
  const create = key === undefined ? undefined : (kafka as unknown as Record<symbol, unknown>)[key];
  if (typeof create !== 'function') {
    throw new Error(
      'kafkajs internals changed: no private:Kafka:createCluster on the Kafka client (written for kafkajs 2.2.4)',
    );
  }
  const cluster = create({ allowAutoTopicCreation: false }) as Partial<InternalCluster>;
  if (typeof cluster.findGroupCoordinatorMetadata !== 'function' || typeof cluster.refreshMetadata !== 'function') {
    throw new Error(
      'kafkajs internals changed: its Cluster has no findGroupCoordinatorMetadata (written for kafkajs 2.2.4)',
    );
  }
  return cluster as InternalCluster;
}

async function findCoordinator(kafka: Kafka, key: string, coordinatorType: number): Promise<number> {
  const cluster = internalCluster(kafka);
  try {
    await cluster.connect();
    await cluster.refreshMetadata();
    const { coordinator } = await cluster.findGroupCoordinatorMetadata({ groupId: key, coordinatorType });
    return coordinator.nodeId;
  } finally {
    await cluster.disconnect().catch(() => {});
  }
}

/**
 * The node id coordinating consumer group `groupId`: the leader of its __consumer_offsets
 * partition. The first lookup creates __consumer_offsets (with the cluster's replication factor,
 * so all of its replicas must be up).
 */
export function groupCoordinator(kafka: Kafka, groupId: string): Promise<number> {
  return findCoordinator(kafka, groupId, COORDINATOR_TYPE.group);
}

/**
 * The node id coordinating transactional id `transactionalId`: the leader of its
 * __transaction_state partition (created by the first lookup, like __consumer_offsets).
 */
export function transactionCoordinator(kafka: Kafka, transactionalId: string): Promise<number> {
  return findCoordinator(kafka, transactionalId, COORDINATOR_TYPE.transaction);
}
