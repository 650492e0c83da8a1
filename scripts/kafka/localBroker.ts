/**
 * A real single-node Apache Kafka broker (KRaft, combined broker + controller) run as a JVM
 * process from Apache Kafka's own jars, fetched through Maven. Dev tooling: used by `npm start`,
 * `npm run kafka`, `npm test`, the bench and the fault tests; never by the server itself.
 *
 * Needs Java 17+ and Maven (`mvn`) on PATH. Node built-ins only (kafkajs is loaded lazily for
 * the readiness check).
 */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { ChildProcess } from 'node:child_process';
import { LOG4J2_PROPERTIES, newClusterId, serverProperties } from './brokerConfig';
import { formatStorage, spawnBroker, staleBrokerPid, tail, type BrokerFiles } from './brokerProcess';
import { checkJava, ensureKafkaJars, KAFKA_VERSION, missingToolError, projectRoot, type Log } from './jars';
import { isKafkaListening, kafkaAdminReady, portInUse } from './probes';

interface LocalBrokerOptions {
  /** PLAINTEXT listener port on 127.0.0.1 (default 9092). */
  port?: number;
  /** KRaft CONTROLLER listener port on 127.0.0.1 (default port + 1, i.e. 9093). */
  controllerPort?: number;
  /** Where server.properties, the Kafka logs and broker.log live (default <projectRoot>/.data/kafka). */
  dataDir?: string;
  /** Jar directory; by default ensureKafkaJars() is called to get it. */
  libsDir?: string;
  /** Progress messages (default: none). */
  log?: Log;
  /** How long to wait for the broker to accept a kafkajs admin connection (default 60 000 ms). */
  startTimeoutMs?: number;
}

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

const noop: Log = () => {};

/**
 * Starts a single-node KRaft broker on 127.0.0.1:port and resolves once it
 * accepts a kafkajs admin connection.
 */
export async function startLocalBroker(opts: LocalBrokerOptions = {}): Promise<LocalBroker> {
  const log = opts.log ?? noop;
  const port = opts.port ?? 9092;
  const controllerPort = opts.controllerPort ?? port + 1;
  const dataDir = resolve(opts.dataDir ?? join(projectRoot, '.data', 'kafka'));
  const startTimeoutMs = opts.startTimeoutMs ?? 60_000;
  const brokers = `127.0.0.1:${port}`;
  if (port === controllerPort) throw new Error(`Kafka port and controller port must differ (both ${port}).`);

  const pidFile = join(dataDir, 'broker.pid');
  const stalePid = staleBrokerPid(pidFile);
  const staleHint = stalePid
    ? ` ${pidFile} names pid ${stalePid}, still running: probably a broker left over from an earlier run (kill ${stalePid}).`
    : '';
  if (await isKafkaListening(port)) {
    throw new Error(
      `A Kafka broker is already running on 127.0.0.1:${port}; stop it or use another port (--port).${staleHint}`,
    );
  }
  for (const [p, what] of [
    [port, 'Kafka'],
    [controllerPort, 'Kafka controller'],
  ] as const) {
    if (await portInUse(p)) {
      throw new Error(`Port ${p} (wanted for the ${what} listener) is already in use by another process.${staleHint}`);
    }
  }

  const libs = opts.libsDir ? resolve(opts.libsDir) : await ensureKafkaJars({ log });
  checkJava();

  const logDir = join(dataDir, 'kraft-logs');
  const files: BrokerFiles = {
    dataDir,
    libs,
    propsFile: join(dataDir, 'server.properties'),
    log4jFile: join(dataDir, 'log4j2.properties'),
    logFile: join(dataDir, 'broker.log'),
    pidFile,
  };
  const { logFile } = files;
  const node = { nodeId: 1, port, controllerPort };
  mkdirSync(logDir, { recursive: true });
  writeFileSync(files.propsFile, serverProperties({ node, voters: [node], logDir, kafkaVersion: KAFKA_VERSION }));
  writeFileSync(files.log4jFile, LOG4J2_PROPERTIES);

  if (!existsSync(join(logDir, 'meta.properties'))) {
    const clusterId = newClusterId();
    log(`Formatting Kafka storage in ${logDir} (cluster id ${clusterId}) ...`);
    formatStorage(files, clusterId);
  }

  const { child, exited, spawnError, stop } = spawnBroker(files, log);

  log(`Starting Kafka ${KAFKA_VERSION} on ${brokers} (pid ${child.pid}, log ${logFile}) ...`);
  const t0 = Date.now();
  const deadline = t0 + startTimeoutMs;
  let lastExit: string | undefined;
  void exited.then(() => {
    lastExit = `exit code ${child.exitCode ?? '-'}, signal ${child.signalCode ?? '-'}`;
  });
  for (;;) {
    const err = await Promise.race([spawnError, new Promise<undefined>((r) => setTimeout(r, 0))]);
    if (err) throw missingToolError(`Could not start \`java\`: ${err.message}`);
    if (lastExit !== undefined) {
      throw new Error(`The Kafka broker exited during startup (${lastExit}). Tail of ${logFile}:\n${tail(logFile)}`);
    }
    if (Date.now() > deadline) {
      await stop();
      throw new Error(
        `The Kafka broker did not accept connections on ${brokers} within ${Math.round(startTimeoutMs / 1000)} s. ` +
          `Tail of ${logFile}:\n${tail(logFile)}`,
      );
    }
    if ((await portInUse(port)) && (await kafkaAdminReady(brokers))) break;
    await new Promise((r) => setTimeout(r, 500));
  }
  log(`Kafka is ready on ${brokers} (${((Date.now() - t0) / 1000).toFixed(1)} s).`);

  return { brokers, stop, process: child, dataDir, logFile };
}
