/**
 * A real single-node Apache Kafka broker (KRaft, combined broker + controller) run as a JVM
 * process from Apache Kafka's own jars, fetched through Maven. Dev tooling: used by `npm start`,
 * `npm run kafka`, `npm test`, the bench and the fault tests; never by the server itself.
 *
 * It is a local cluster of one node (./localCluster.ts), kept in the data directory's top
 * level as it always was. Needs Java 17+ and Maven (`mvn`) on PATH.
 */
import type { ChildProcess } from 'node:child_process';
import { startLocalCluster, type LocalClusterOptions } from './localCluster';

/** A cluster's options for one node: its ports (controller default port + 1), data dir, jars, log, timeout. */
type LocalBrokerOptions = Omit<LocalClusterOptions, 'nodes' | 'brokerProperties'>;

export interface LocalBroker {
  /** Bootstrap address for clients, e.g. "127.0.0.1:9092". */
  brokers: string;
  /** SIGTERM, wait for exit (SIGKILL after ~15 s). Idempotent. */
  stop(): Promise<void>;
  /** The `java ... kafka.Kafka` child. It is unref()'d: it does not keep Node alive on its own. */
  process: ChildProcess;
  /** The data directory in use (holds server.properties and broker.log). */
  dataDir: string;
  /** Path of the broker's stdout/stderr log. */
  logFile: string;
}

/**
 * Starts a single-node KRaft broker on 127.0.0.1:port and resolves once it
 * accepts a kafkajs admin connection.
 */
export async function startLocalBroker(opts: LocalBrokerOptions = {}): Promise<LocalBroker> {
  const port = opts.port ?? 9092;
  const controllerPort = opts.controllerPort ?? port + 1;
  if (port === controllerPort) throw new Error(`Kafka port and controller port must differ (both ${port}).`);
  const cluster = await startLocalCluster({ ...opts, nodes: 1, port, controllerPort });
  const [node] = cluster.nodes;
  return {
    brokers: cluster.brokers,
    stop: () => node.stop(),
    process: node.process,
    dataDir: cluster.dataDir,
    logFile: node.logFile,
  };
}
