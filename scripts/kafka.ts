/**
 * Runs a local Apache Kafka broker (KRaft), or a cluster of N of them, in the foreground.
 *
 *   npx tsx scripts/kafka.ts [--port 9092] [--controller-port 9093] [--data-dir DIR]
 *   npx tsx scripts/kafka.ts --nodes 3 [--port 9092]   # 3 nodes: clients 9092-9094, controllers 9095-9097
 *   npx tsx scripts/kafka.ts --fetch-only     # only download the jars (CI cache warm-up)
 *
 * Needs Java 17+ and Maven. Ctrl-C stops the broker(s).
 */
import { parseArgs } from 'node:util';
import { ensureKafkaJars, KAFKA_VERSION } from './kafka/jars';
import { startLocalCluster } from './kafka/localCluster';

const usage = `Usage: tsx scripts/kafka.ts [--nodes N] [--port P] [--controller-port C] [--data-dir DIR] [--fetch-only]

  --nodes N            KRaft nodes, each a combined broker + controller (default 1). With 3 or more,
                       new and internal topics get 3 replicas and min.insync.replicas=2.
  --port P             first client port (default 9092): node i (1..N) listens on P+i-1
  --controller-port C  first controller port (default P+N): node i's controller listens on C+i-1
                       e.g. --nodes 3 --port 9092: clients 9092,9093,9094; controllers 9095,9096,9097
  --data-dir DIR       default .data/kafka (one node) or .data/kafka-<N>-nodes; a cluster keeps
                       node i's data in DIR/node-<i>
  --fetch-only         only download the Kafka jars`;

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      nodes: { type: 'string' },
      port: { type: 'string' },
      'controller-port': { type: 'string' },
      'data-dir': { type: 'string' },
      'fetch-only': { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
    strict: true,
  });
  if (values.help) {
    console.log(usage);
    return;
  }
  const log = (msg: string) => console.log(`[kafka] ${msg}`);
  const num = (name: string, v: string | undefined): number | undefined => {
    if (v === undefined) return undefined;
    const n = Number(v);
    if (!Number.isInteger(n) || n <= 0 || n > 65535) throw new Error(`--${name} must be a port number, got "${v}"`);
    return n;
  };

  if (values['fetch-only']) {
    const libs = await ensureKafkaJars({ log });
    log(`Apache Kafka ${KAFKA_VERSION} jars in ${libs}`);
    return;
  }

  const nodes = values.nodes === undefined ? 1 : Number(values.nodes);
  if (!Number.isInteger(nodes) || nodes < 1)
    throw new Error(`--nodes must be a positive integer, got "${values.nodes}"`);
  const port = num('port', values.port) ?? 9092;
  const controllerPort = num('controller-port', values['controller-port']);
  if (nodes === 1 && port === controllerPort)
    throw new Error(`Kafka port and controller port must differ (both ${port}).`);
  const cluster = await startLocalCluster({ nodes, port, controllerPort, dataDir: values['data-dir'], log });
  for (const node of cluster.nodes) node.process.ref(); // stay in the foreground while the brokers run
  const single = nodes === 1;

  console.log(`\nKafka ${KAFKA_VERSION} bootstrap: ${cluster.brokers}`);
  if (single) console.log(`Broker log: ${cluster.nodes[0].logFile}`);
  else {
    console.log(`Cluster id ${cluster.clusterId}, ${nodes} nodes (broker + controller each):`);
    for (const n of cluster.nodes) {
      console.log(
        `  node ${n.nodeId}: 127.0.0.1:${n.port}, controller 127.0.0.1:${n.controllerPort}, pid ${n.process.pid}, log ${n.logFile}`,
      );
    }
  }
  console.log('Press Ctrl-C to stop.\n');

  let stopping = false;
  let firstSignalAt = 0;
  const shutdown = (sig: string) => {
    if (stopping) {
      // tsx relays the terminal's SIGINT to this process as well, so one Ctrl-C can
      // arrive twice: only a second Ctrl-C a moment later means "kill it now".
      if (Date.now() - firstSignalAt < 1500) return;
      log(`${sig} again: killing the broker${single ? '' : 's'}.`);
      for (const node of cluster.nodes) if (node.running) node.process.kill('SIGKILL');
      process.exit(130);
    }
    stopping = true;
    firstSignalAt = Date.now();
    log(`${sig}: stopping the broker${single ? '' : 's'} ...`);
    cluster.stop().then(
      () => {
        log(single ? 'Broker stopped.' : 'Brokers stopped.');
        process.exit(0);
      },
      (e) => {
        console.error(e);
        process.exit(1);
      },
    );
  };
  for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(sig, () => shutdown(sig));

  // One node: its exit ends the run. A cluster carries on without a node that died (or was
  // killed by hand to watch a failover) until none is left.
  for (const node of cluster.nodes) {
    node.process.once('exit', (code, signal) => {
      if (stopping) return;
      const left = cluster.nodes.filter((n) => n !== node && n.running).length;
      if (single || left === 0) {
        const who = single ? 'The broker' : `Node ${node.nodeId}, the last one running,`;
        console.error(`[kafka] ${who} exited unexpectedly (code ${code}, signal ${signal}); see ${node.logFile}`);
        process.exit(1);
      }
      console.error(
        `[kafka] Node ${node.nodeId} exited unexpectedly (code ${code}, signal ${signal}); see ${node.logFile}. ` +
          `${left} of ${nodes} nodes still run.`,
      );
    });
  }
}

main().catch((e) => {
  console.error(`[kafka] ${e instanceof Error ? e.message : e}`);
  process.exit(1);
});
