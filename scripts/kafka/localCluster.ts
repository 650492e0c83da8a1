/**
 * A real local Apache Kafka cluster: N KRaft nodes, each a combined broker + controller, run as
 * JVM processes from Apache Kafka's own jars on 127.0.0.1, with a static voter set of all N nodes.
 * One node is what `npm start`, `npm test` and the bench use (through startLocalBroker); several
 * are for failover tests (`npm run kafka -- --nodes 3`, or startLocalCluster() from a test).
 *
 * Ports: node i (1..N) takes the client port P+i-1 and the controller port C+i-1, where C is
 * P+N unless given (one node: 9092 and 9093). Data: <dataDir> for one node (as it always was),
 * <dataDir>/node-<id> for each node of a cluster; every node formatted with the same cluster id.
 *
 * Needs Java 17+ and Maven (`mvn`) on PATH. Node built-ins only (kafkajs is loaded lazily for
 * the readiness checks).
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { ChildProcess } from 'node:child_process';
import {
  clusterLayout,
  LOG4J2_PROPERTIES,
  newClusterId,
  serverProperties,
  type KraftNode,
  type PropertyValue,
} from './brokerConfig';
import {
  formatStorage,
  spawnBroker,
  staleBrokerPid,
  tail,
  type BrokerFiles,
  type BrokerProcess,
} from './brokerProcess';
import { checkJava, ensureKafkaJars, KAFKA_VERSION, missingToolError, projectRoot, type Log } from './jars';
import { isKafkaListening, kafkaClusterView, portInUse } from './probes';

export interface LocalClusterOptions {
  /** Number of nodes (default 1). */
  nodes?: number;
  /** First client (PLAINTEXT) port on 127.0.0.1 (default 9092); node i listens on port + i - 1. */
  port?: number;
  /** First CONTROLLER port (default port + nodes); node i listens on controllerPort + i - 1. */
  controllerPort?: number;
  /**
   * Where server.properties, the Kafka logs and broker.log live: directly in it for one node,
   * in node-<id> for each node of a cluster (default <projectRoot>/.data/kafka for one node,
   * <projectRoot>/.data/kafka-<N>-nodes for N).
   */
  dataDir?: string;
  /** Jar directory; by default ensureKafkaJars() is called to get it. */
  libsDir?: string;
  /** Progress messages (default: none). */
  log?: Log;
  /** How long to wait for every node to be ready (default 60 s, plus 30 s per node after the first). */
  startTimeoutMs?: number;
  /** Extra server.properties settings for every node (e.g. a shorter broker.session.timeout.ms). */
  brokerProperties?: Readonly<Record<string, PropertyValue>>;
}

interface LocalClusterNode extends KraftNode {
  /** "127.0.0.1:<port>". */
  readonly address: string;
  /** The node's directory (server.properties, kraft-logs/, broker.log, broker.pid). */
  readonly dir: string;
  /** The node's stdout/stderr log; the previous run's is kept as `<logFile>.1`. */
  readonly logFile: string;
  /** The current `java ... kafka.Kafka` child (a new one after restart()). Unref()'d. */
  readonly process: ChildProcess;
  /** The JVM has not exited (a paused one counts as running). */
  readonly running: boolean;
  /** Paused with SIGSTOP and not resumed yet. */
  readonly paused: boolean;
  /** Sends a signal that ends the JVM (default SIGKILL: a crash) and resolves once it has exited. */
  kill(signal?: NodeJS.Signals): Promise<void>;
  /** SIGSTOP: the JVM freezes, its sockets stay open (a hung node rather than a dead one). */
  pause(): void;
  /** SIGCONT after pause(). */
  resume(): void;
  /**
   * Starts the node again with its data (stopping it first if it still runs) and resolves once it
   * answers and is registered with the cluster again.
   */
  restart(opts?: { timeoutMs?: number }): Promise<void>;
  /** SIGTERM (a controlled shutdown), wait for exit (SIGKILL after ~15 s). */
  stop(): Promise<void>;
}

export interface LocalCluster {
  /** Bootstrap list for clients: "127.0.0.1:P,127.0.0.1:P+1,...". */
  brokers: string;
  clusterId: string;
  dataDir: string;
  nodes: LocalClusterNode[];
  /** The node with this id (1..N). */
  node(nodeId: number): LocalClusterNode;
  /** Stops every node at once (a lone survivor of sequential stops would wait for a quorum it lacks). */
  stop(): Promise<void>;
}

const noop: Log = () => {};
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Awaits `p` with a ref()'d timer running: the JVM children are unref()'d, so waiting on them alone would let Node exit. */
async function keepingNodeAlive<T>(p: Promise<T>): Promise<T> {
  const timer = setInterval(() => {}, 60_000);
  try {
    return await p;
  } finally {
    clearInterval(timer);
  }
}

/** The cluster id in a formatted log directory's meta.properties, if it has one. */
function formattedClusterId(logDir: string): string | undefined {
  try {
    return /^cluster\.id=(.+)$/m.exec(readFileSync(join(logDir, 'meta.properties'), 'utf8'))?.[1].trim();
  } catch {
    return undefined;
  }
}

/** One running (or last run) JVM of a node, with what became of it. */
interface Run {
  bp: BrokerProcess;
  exit?: string;
  spawnError?: Error;
}

function startRun(files: BrokerFiles, log: Log): Run {
  const bp = spawnBroker(files, log);
  const run: Run = { bp };
  void bp.exited.then(() => {
    run.exit = `exit code ${bp.child.exitCode ?? '-'}, signal ${bp.child.signalCode ?? '-'}`;
  });
  void bp.spawnError.then((e) => {
    run.spawnError = e;
  });
  return run;
}

/**
 * Starts an N-node KRaft cluster on 127.0.0.1 and resolves once every node answers and
 * sees all N brokers registered, with an active controller.
 */
export async function startLocalCluster(opts: LocalClusterOptions = {}): Promise<LocalCluster> {
  const log = opts.log ?? noop;
  const count = opts.nodes ?? 1;
  const layout = clusterLayout({ nodes: count, port: opts.port ?? 9092, controllerPort: opts.controllerPort });
  const single = count === 1;
  const dataDir = resolve(opts.dataDir ?? join(projectRoot, '.data', single ? 'kafka' : `kafka-${count}-nodes`));
  const startTimeoutMs = opts.startTimeoutMs ?? 60_000 + 30_000 * (count - 1);
  const brokers = layout.map((n) => `127.0.0.1:${n.port}`).join(',');
  const what = single ? 'The Kafka broker' : `Kafka node`;

  const nodeDir = (id: number) => (single ? dataDir : join(dataDir, `node-${id}`));
  const filesOf = (id: number, libs: string): BrokerFiles => {
    const dir = nodeDir(id);
    return {
      dataDir: dir,
      libs,
      propsFile: join(dir, 'server.properties'),
      log4jFile: join(dir, 'log4j2.properties'),
      logFile: join(dir, 'broker.log'),
      pidFile: join(dir, 'broker.pid'),
    };
  };

  // Nothing of ours may be running on these ports already.
  for (const n of layout) {
    const pidFile = join(nodeDir(n.nodeId), 'broker.pid');
    const stalePid = staleBrokerPid(pidFile);
    const staleHint = stalePid
      ? ` ${pidFile} names pid ${stalePid}, still running: probably a broker left over from an earlier run (kill ${stalePid}).`
      : '';
    if (await isKafkaListening(n.port)) {
      throw new Error(
        `A Kafka broker is already running on 127.0.0.1:${n.port}; stop it or use another port (--port).${staleHint}`,
      );
    }
    for (const [p, role] of [
      [n.port, 'Kafka'],
      [n.controllerPort, 'Kafka controller'],
    ] as const) {
      if (await portInUse(p)) {
        throw new Error(
          `Port ${p} (wanted for the ${role} listener) is already in use by another process.${staleHint}`,
        );
      }
    }
  }

  // A data directory holds one cluster of one size: its static voter set is in every node's log.
  const logDirOf = (id: number) => join(nodeDir(id), 'kraft-logs');
  if (!single && existsSync(dataDir)) {
    const extra = readdirSync(dataDir)
      .map((f) => /^node-(\d+)$/.exec(f))
      .filter(
        (m): m is RegExpExecArray =>
          m !== null && Number(m[1]) > count && existsSync(join(dataDir, m[0], 'kraft-logs', 'meta.properties')),
      );
    if (extra.length > 0) {
      throw new Error(
        `${dataDir} holds a cluster of more than ${count} nodes (${extra.map((m) => m[0]).join(', ')}); ` +
          `use the same --nodes, another --data-dir, or delete ${dataDir}.`,
      );
    }
  }
  const existingIds = layout.map((n) => formattedClusterId(logDirOf(n.nodeId)));
  const knownIds = [...new Set(existingIds.filter((id): id is string => id !== undefined))];
  if (knownIds.length > 1 || (knownIds.length === 1 && existingIds.includes(undefined))) {
    const state = layout.map((n, i) => `node-${n.nodeId}: ${existingIds[i] ?? 'not formatted'}`).join(', ');
    throw new Error(
      `The nodes in ${dataDir} are not all formatted for one cluster (${state}): made for another number of nodes, ` +
        `or a node's data was removed? Delete ${dataDir} to start afresh.`,
    );
  }

  const libs = opts.libsDir ? resolve(opts.libsDir) : await ensureKafkaJars({ log });
  checkJava();

  for (const n of layout) {
    const files = filesOf(n.nodeId, libs);
    mkdirSync(logDirOf(n.nodeId), { recursive: true });
    writeFileSync(
      files.propsFile,
      serverProperties({
        node: n,
        voters: layout,
        logDir: logDirOf(n.nodeId),
        kafkaVersion: KAFKA_VERSION,
        overrides: opts.brokerProperties,
      }),
    );
    writeFileSync(files.log4jFile, LOG4J2_PROPERTIES);
  }
  let clusterId = knownIds[0];
  if (clusterId === undefined) {
    clusterId = newClusterId();
    log(
      single
        ? `Formatting Kafka storage in ${logDirOf(1)} (cluster id ${clusterId}) ...`
        : `Formatting Kafka storage of ${count} nodes in ${join(dataDir, 'node-*')} (cluster id ${clusterId}) ...`,
    );
    const id = clusterId;
    const t0 = Date.now();
    await Promise.all(layout.map((n) => formatStorage(filesOf(n.nodeId, libs), id)));
    if (!single) log(`Formatted ${count} nodes in ${((Date.now() - t0) / 1000).toFixed(1)} s.`);
  }

  /** Waits until `ready()`, failing early if one of `runs` exits or cannot start. */
  const waitUntil = async (
    runs: { nodeId: number; run: Run; logFile: string }[],
    timeoutMs: number,
    ready: () => Promise<boolean>,
    timeoutMessage: () => Promise<string>,
  ): Promise<void> => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      await sleep(0);
      for (const { nodeId, run, logFile } of runs) {
        if (run.spawnError) throw missingToolError(`Could not start \`java\`: ${run.spawnError.message}`);
        if (run.exit !== undefined) {
          const who = single ? what : `${what} ${nodeId}`;
          throw new Error(`${who} exited during startup (${run.exit}). Tail of ${logFile}:\n${tail(logFile)}`);
        }
      }
      if (Date.now() > deadline) throw new Error(await timeoutMessage());
      if (await ready()) return;
      await sleep(500);
    }
  };

  /** The node answers on its own port, and the cluster it sees has `expected` registered with a controller. */
  const nodeSees = async (n: KraftNode, expected: readonly number[]): Promise<boolean> => {
    if (!(await portInUse(n.port))) return false;
    const view = await kafkaClusterView(`127.0.0.1:${n.port}`);
    return view !== undefined && view.controller !== undefined && expected.every((id) => view.brokerIds.includes(id));
  };

  const allIds = layout.map((n) => n.nodeId);
  const nodes: LocalClusterNode[] = [];
  const firstStarts: (() => Run)[] = [];
  for (const n of layout) {
    const files = filesOf(n.nodeId, libs);
    let run: Run | undefined;
    let paused = false;
    const isRunning = () =>
      run !== undefined &&
      run.bp.child.exitCode === null &&
      run.bp.child.signalCode === null &&
      run.spawnError === undefined;
    const spawnNode = (verb: string) => {
      run = startRun(files, log);
      paused = false;
      const pid = run.bp.child.pid;
      log(
        single
          ? `${verb} Kafka ${KAFKA_VERSION} on ${brokers} (pid ${pid}, log ${files.logFile}) ...`
          : `${verb} Kafka ${KAFKA_VERSION} node ${n.nodeId} on 127.0.0.1:${n.port}, controller 127.0.0.1:${n.controllerPort} (pid ${pid}, log ${files.logFile}) ...`,
      );
      return run;
    };
    const node: LocalClusterNode = {
      ...n,
      address: `127.0.0.1:${n.port}`,
      dir: nodeDir(n.nodeId),
      logFile: files.logFile,
      get process() {
        if (!run) throw new Error(`Kafka node ${n.nodeId} has not been started`);
        return run.bp.child;
      },
      get running() {
        return isRunning();
      },
      get paused() {
        return paused && isRunning();
      },
      async kill(signal: NodeJS.Signals = 'SIGKILL') {
        if (!run || !isRunning()) return;
        const { child, exited } = run.bp;
        child.kill(signal);
        if (paused && signal !== 'SIGKILL') child.kill('SIGCONT');
        await keepingNodeAlive(exited);
      },
      pause() {
        if (!run || !isRunning()) throw new Error(`Kafka node ${n.nodeId} is not running`);
        run.bp.child.kill('SIGSTOP');
        paused = true;
      },
      resume() {
        if (!run || !isRunning()) return;
        run.bp.child.kill('SIGCONT');
        paused = false;
      },
      async restart({ timeoutMs = 60_000 } = {}) {
        await node.stop();
        const current = spawnNode('Restarting');
        const t0 = Date.now();
        await waitUntil(
          [{ nodeId: n.nodeId, run: current, logFile: files.logFile }],
          timeoutMs,
          () => nodeSees(n, [n.nodeId]),
          async () => {
            await node.stop();
            return `Kafka node ${n.nodeId} was not registered again within ${Math.round(timeoutMs / 1000)} s. Tail of ${files.logFile}:\n${tail(files.logFile)}`;
          },
        );
        log(`Kafka node ${n.nodeId} is back on 127.0.0.1:${n.port} (${((Date.now() - t0) / 1000).toFixed(1)} s).`);
      },
      async stop() {
        if (!run) return;
        paused = false;
        await run.bp.stop();
      },
    };
    nodes.push(node);
    firstStarts.push(() => spawnNode('Starting'));
  }

  const stopAll = async () => {
    await Promise.all(nodes.map((node) => node.stop()));
  };

  const t0 = Date.now();
  const runs = nodes.map((node, i) => ({ nodeId: node.nodeId, run: firstStarts[i](), logFile: node.logFile }));
  try {
    await waitUntil(
      runs,
      startTimeoutMs,
      async () => (await Promise.all(layout.map((n) => nodeSees(n, allIds)))).every(Boolean),
      async () => {
        const seconds = Math.round(startTimeoutMs / 1000);
        if (single) {
          return `The Kafka broker did not accept connections on ${brokers} within ${seconds} s. Tail of ${nodes[0].logFile}:\n${tail(nodes[0].logFile)}`;
        }
        const views = await Promise.all(layout.map((n) => kafkaClusterView(`127.0.0.1:${n.port}`)));
        const state = layout
          .map((n, i) => {
            const v = views[i];
            return `node ${n.nodeId}: ${v ? `sees brokers [${v.brokerIds.join(',')}], controller ${v.controller ?? 'none'}` : 'not answering'}`;
          })
          .join('; ');
        const tails = nodes.map((node) => `--- tail of ${node.logFile}:\n${tail(node.logFile, 15)}`).join('\n');
        return `The Kafka cluster on ${brokers} did not have all ${count} brokers registered within ${seconds} s (${state}).\n${tails}`;
      },
    );
  } catch (e) {
    await stopAll();
    throw e;
  }
  const took = ((Date.now() - t0) / 1000).toFixed(1);
  log(
    single
      ? `Kafka is ready on ${brokers} (${took} s).`
      : `Kafka cluster of ${count} nodes is ready on ${brokers} (${took} s).`,
  );

  return {
    brokers,
    clusterId,
    dataDir,
    nodes,
    node(nodeId: number) {
      const node = nodes.find((x) => x.nodeId === nodeId);
      if (!node) throw new Error(`No Kafka node ${nodeId} (this cluster has nodes ${allIds.join(', ')})`);
      return node;
    },
    stop: stopAll,
  };
}
