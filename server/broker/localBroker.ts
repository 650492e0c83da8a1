/**
 * A real single-node Apache Kafka broker (KRaft, combined broker + controller)
 * run as a JVM process from Apache Kafka's own jars, fetched through Maven.
 *
 * Needs Java 17+ and Maven (`mvn`) on PATH. The Kafka version is pinned once,
 * in scripts/kafka/pom.xml (property `kafka.version`); KAFKA_VERSION is read
 * from there.
 *
 * Used by `npm start`, by test setup and by CI. Node built-ins only (kafkajs is
 * loaded lazily for the readiness check).
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import {
  closeSync,
  existsSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { connect as netConnect, type Socket } from 'node:net';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export type Log = (msg: string) => void;

export interface LocalBrokerOptions {
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
const JAR_MARKER = '.complete';

// ---------------------------------------------------------------------------
// project root and pinned version
// ---------------------------------------------------------------------------

function findProjectRoot(): string {
  const starts: string[] = [];
  try {
    starts.push(dirname(fileURLToPath(import.meta.url)));
  } catch {
    /* bundled or unusual loader: fall back to cwd */
  }
  starts.push(process.cwd());
  for (const start of starts) {
    let dir = resolve(start);
    for (;;) {
      const pkg = join(dir, 'package.json');
      if (existsSync(pkg)) {
        try {
          if (JSON.parse(readFileSync(pkg, 'utf8')).name === 'windowpane') return dir;
        } catch {
          /* unreadable package.json: keep going up */
        }
      }
      const parent = dirname(dir);
      if (parent === dir) break;
      dir = parent;
    }
  }
  throw new Error('localBroker: cannot find the project root (a package.json with name "windowpane")');
}

export const projectRoot: string = findProjectRoot();

/** The Maven project whose only job is to fetch the broker jars. */
export const KAFKA_POM: string = join(projectRoot, 'scripts', 'kafka', 'pom.xml');

function readKafkaVersion(): string {
  const pom = readFileSync(KAFKA_POM, 'utf8');
  const m = /<kafka\.version>\s*([^<\s]+)\s*<\/kafka\.version>/.exec(pom);
  if (!m) throw new Error(`localBroker: no <kafka.version> property in ${KAFKA_POM}`);
  return m[1];
}

/** Apache Kafka version of the local broker; pinned in scripts/kafka/pom.xml. */
export const KAFKA_VERSION: string = readKafkaVersion();

// ---------------------------------------------------------------------------
// jars
// ---------------------------------------------------------------------------

function missingToolError(what: string): Error {
  return new Error(
    `${what}\n` +
      `The local Kafka broker runs Apache Kafka ${KAFKA_VERSION} as a JVM process: it needs Java 17+ (\`java\`) ` +
      `and Maven (\`mvn\`, to fetch the jars) on PATH, e.g. \`apt-get install openjdk-17-jre-headless maven\`.\n` +
      `The other way is to run Kafka in a container with \`docker compose up\` and point the app at it.`,
  );
}

function javaMajorVersion(): number | undefined {
  const r = spawnSync('java', ['-version'], { encoding: 'utf8' });
  if (r.error || r.status !== 0) return undefined;
  const out = `${r.stderr ?? ''}${r.stdout ?? ''}`;
  const m = /version "(\d+)(?:\.(\d+))?/.exec(out);
  if (!m) return undefined;
  const major = Number(m[1]);
  return major === 1 && m[2] ? Number(m[2]) : major; // "1.8.0" -> 8
}

/** Throws a clear error unless Java 17+ is on PATH. */
export function checkJava(): void {
  const major = javaMajorVersion();
  if (major === undefined) throw missingToolError('`java` was not found (or `java -version` failed).');
  if (major < 17) throw missingToolError(`\`java\` on PATH is Java ${major}; Kafka ${KAFKA_VERSION} needs Java 17+.`);
}

function checkMaven(): void {
  const r = spawnSync('mvn', ['-v'], { encoding: 'utf8' });
  if (r.error || r.status !== 0) throw missingToolError('`mvn` (Maven) was not found (or `mvn -v` failed).');
}

function jarsComplete(dir: string): boolean {
  try {
    return (
      readFileSync(join(dir, JAR_MARKER), 'utf8').trim() === KAFKA_VERSION &&
      readdirSync(dir).some((f) => f.startsWith('kafka_2.13-') && f.endsWith('.jar'))
    );
  } catch {
    return false;
  }
}

/**
 * Makes sure the broker jars are on disk and returns their directory
 * (default `<projectRoot>/.kafka/<KAFKA_VERSION>/libs`). Runs Maven only when the
 * directory is missing or incomplete (a marker file is written after success).
 */
export async function ensureKafkaJars(opts: { cacheDir?: string; log?: Log } = {}): Promise<string> {
  const log = opts.log ?? noop;
  const libs = resolve(opts.cacheDir ?? join(projectRoot, '.kafka', KAFKA_VERSION, 'libs'));
  if (jarsComplete(libs)) return libs;

  checkJava();
  checkMaven();

  // Download into a private temp dir, then move it into place, so that a
  // half-finished or concurrent fetch never looks complete.
  const tmp = `${libs}.tmp-${process.pid}-${randomBytes(3).toString('hex')}`;
  mkdirSync(dirname(libs), { recursive: true });
  rmSync(tmp, { recursive: true, force: true });
  log(`Fetching Apache Kafka ${KAFKA_VERSION} jars with Maven into ${libs} ...`);
  const t0 = Date.now();
  const args = ['-q', '-B', '-f', KAFKA_POM, 'dependency:copy-dependencies', `-DoutputDirectory=${tmp}`];
  const { code, output } = await new Promise<{ code: number | null; output: string }>((res, rej) => {
    const child = spawn('mvn', args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    const keep = (b: Buffer) => {
      output = (output + b.toString()).slice(-20_000);
    };
    child.stdout!.on('data', keep);
    child.stderr!.on('data', keep);
    child.on('error', (e) => rej(missingToolError(`Could not run \`mvn\`: ${e.message}`)));
    child.on('close', (c) => res({ code: c, output }));
  });
  if (code !== 0) {
    rmSync(tmp, { recursive: true, force: true });
    throw new Error(`Fetching the Kafka jars failed: mvn ${args.join(' ')} exited with ${code}\n${output.trim()}`);
  }
  writeFileSync(join(tmp, JAR_MARKER), `${KAFKA_VERSION}\n`);

  if (jarsComplete(libs)) {
    // Another process finished first.
    rmSync(tmp, { recursive: true, force: true });
  } else {
    rmSync(libs, { recursive: true, force: true });
    try {
      renameSync(tmp, libs);
    } catch (e) {
      rmSync(tmp, { recursive: true, force: true });
      if (!jarsComplete(libs)) throw e;
    }
  }
  log(`Kafka jars ready in ${((Date.now() - t0) / 1000).toFixed(1)} s.`);
  return libs;
}

// ---------------------------------------------------------------------------
// probing ports
// ---------------------------------------------------------------------------

function tcpConnect(port: number, timeoutMs: number): Promise<Socket | undefined> {
  return new Promise((res) => {
    const sock = netConnect({ host: '127.0.0.1', port });
    const done = (ok: boolean) => {
      sock.removeAllListeners('connect');
      sock.removeAllListeners('error');
      sock.setTimeout(0);
      if (ok) return res(sock);
      sock.destroy();
      res(undefined);
    };
    sock.setTimeout(timeoutMs, () => done(false));
    sock.once('connect', () => done(true));
    sock.once('error', () => done(false));
  });
}

async function portInUse(port: number): Promise<boolean> {
  const s = await tcpConnect(port, 1000);
  s?.destroy();
  return s !== undefined;
}

/** True when something speaking the Kafka protocol answers an ApiVersions v0 request on 127.0.0.1:port. */
export async function isKafkaListening(port: number, timeoutMs = 2000): Promise<boolean> {
  const sock = await tcpConnect(port, timeoutMs);
  if (!sock) return false;
  return new Promise((res) => {
    const correlationId = 0x5eed;
    // size | api_key=18 (ApiVersions) | api_version=0 | correlation_id | client_id (nullable string: -1)
    const req = Buffer.alloc(4 + 2 + 2 + 4 + 2);
    req.writeInt32BE(req.length - 4, 0);
    req.writeInt16BE(18, 4);
    req.writeInt16BE(0, 6);
    req.writeInt32BE(correlationId, 8);
    req.writeInt16BE(-1, 12);
    let buf = Buffer.alloc(0);
    const finish = (v: boolean) => {
      clearTimeout(timer);
      sock.destroy();
      res(v);
    };
    const timer = setTimeout(() => finish(false), timeoutMs);
    sock.on('data', (d: Buffer) => {
      buf = Buffer.concat([buf, d]);
      if (buf.length >= 8) finish(buf.readInt32BE(4) === correlationId);
    });
    sock.on('error', () => finish(false));
    sock.on('close', () => finish(false));
    sock.write(req);
  });
}

async function kafkaAdminReady(brokers: string): Promise<boolean> {
  const mod: any = await import('kafkajs');
  const kafkajs = mod.Kafka ? mod : mod.default;
  const kafka = new kafkajs.Kafka({
    clientId: 'windowpane-local-broker-probe',
    brokers: [brokers],
    logLevel: kafkajs.logLevel.NOTHING,
    connectionTimeout: 2000,
    requestTimeout: 5000,
    retry: { retries: 0 },
  });
  const admin = kafka.admin();
  try {
    await admin.connect();
    const cluster = await admin.describeCluster();
    return cluster.brokers.length > 0 && cluster.controller !== null && cluster.controller !== -1;
  } catch {
    return false;
  } finally {
    await admin.disconnect().catch(() => {});
  }
}

// ---------------------------------------------------------------------------
// broker process bookkeeping (kill the child when this Node process goes away)
// ---------------------------------------------------------------------------

const liveBrokers = new Set<ChildProcess>();
let hooksInstalled = false;

function killAllBrokers(signal: NodeJS.Signals): void {
  for (const child of liveBrokers) {
    try {
      child.kill(signal);
    } catch {
      /* already gone */
    }
  }
}

function installExitHooks(): void {
  if (hooksInstalled) return;
  hooksInstalled = true;
  // Normal exit (including process.exit() from someone else's signal handler):
  // SIGTERM lets the broker shut down cleanly on its own after we are gone.
  process.on('exit', () => killAllBrokers('SIGTERM'));
  for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    const onSignal = () => {
      // Someone else handles this signal (e.g. a graceful shutdown that calls
      // stop() and then exits): leave it to them; the 'exit' hook is the backstop.
      if (process.listenerCount(sig) > 1) return;
      // We are the only listener, and adding a listener disabled Node's default
      // "die on signal": stop the brokers, then re-raise so the parent exits as
      // it would have without us.
      killAllBrokers('SIGTERM');
      process.removeListener(sig, onSignal);
      process.kill(process.pid, sig);
    };
    process.on(sig, onSignal);
  }
}

// ---------------------------------------------------------------------------
// configuration
// ---------------------------------------------------------------------------

/** A Kafka cluster id: 16 random bytes, base64url without padding (like `kafka-storage random-uuid`). */
function newClusterId(): string {
  for (;;) {
    const id = randomBytes(16).toString('base64url');
    if (!id.startsWith('-')) return id;
  }
}

function serverProperties(o: { port: number; controllerPort: number; logDir: string }): string {
  const props: Record<string, string | number | boolean> = {
    // KRaft, combined broker + controller, static single-voter quorum. The static
    // voter set (rather than a dynamic quorum formatted with --standalone) keeps
    // working when the controller port changes between runs.
    'process.roles': 'broker,controller',
    'node.id': 1,
    'controller.quorum.voters': `1@127.0.0.1:${o.controllerPort}`,
    'controller.listener.names': 'CONTROLLER',
    listeners: `PLAINTEXT://127.0.0.1:${o.port},CONTROLLER://127.0.0.1:${o.controllerPort}`,
    // 127.0.0.1 rather than localhost: Node may resolve localhost to ::1 first.
    'advertised.listeners': `PLAINTEXT://127.0.0.1:${o.port}`,
    'inter.broker.listener.name': 'PLAINTEXT',
    'listener.security.protocol.map': 'PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT',
    'log.dirs': o.logDir,
    'num.partitions': 3,
    'default.replication.factor': 1,
    'auto.create.topics.enable': false,
    // Single node: internal topics must not ask for 3 replicas (kafkajs#1752).
    'offsets.topic.replication.factor': 1,
    'offsets.topic.num.partitions': 10,
    'transaction.state.log.replication.factor': 1,
    'transaction.state.log.min.isr': 1,
    'transaction.state.log.num.partitions': 10,
    'share.coordinator.state.topic.replication.factor': 1,
    'share.coordinator.state.topic.min.isr': 1,
    'group.initial.rebalance.delay.ms': 0,
    'num.network.threads': 2,
    'num.io.threads': 4,
    'num.recovery.threads.per.data.dir': 1,
    'log.retention.hours': 24,
    'log.segment.bytes': 64 * 1024 * 1024,
  };
  return (
    `# Generated by server/broker/localBroker.ts for Apache Kafka ${KAFKA_VERSION}; rewritten on every start.\n` +
    Object.entries(props)
      .map(([k, v]) => `${k}=${v}`)
      .join('\n') +
    '\n'
  );
}

// Log4j 2 (Kafka 4.x) configuration: everything to stdout, which goes to broker.log.
const LOG4J2_PROPERTIES = `# Generated by server/broker/localBroker.ts
status = warn
appender.stdout.type = Console
appender.stdout.name = STDOUT
appender.stdout.layout.type = PatternLayout
appender.stdout.layout.pattern = [%d] %p %m (%c)%n
rootLogger.level = INFO
rootLogger.appenderRef.stdout.ref = STDOUT
logger.stateChange.name = state.change.logger
logger.stateChange.level = WARN
logger.request.name = kafka.request.logger
logger.request.level = WARN
logger.clients.name = org.apache.kafka.clients
logger.clients.level = WARN
logger.storage.name = org.apache.kafka.storage.internals
logger.storage.level = WARN
logger.unifiedLog.name = kafka.log
logger.unifiedLog.level = WARN
`;

function tail(file: string, lines = 40): string {
  try {
    return readFileSync(file, 'utf8').split('\n').slice(-lines).join('\n').trim();
  } catch {
    return '(no broker log)';
  }
}

function runJavaSync(args: string[], what: string): void {
  const r = spawnSync('java', args, { encoding: 'utf8', maxBuffer: 16 * 1024 * 1024 });
  if (r.error) throw missingToolError(`Could not run \`java\`: ${r.error.message}`);
  if (r.status !== 0) {
    throw new Error(`${what} failed (exit ${r.status}):\n${`${r.stdout ?? ''}\n${r.stderr ?? ''}`.trim()}`);
  }
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e: any) {
    return e?.code === 'EPERM';
  }
}

// ---------------------------------------------------------------------------
// start / stop
// ---------------------------------------------------------------------------

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
  const stalePid = (() => {
    try {
      const pid = Number(readFileSync(pidFile, 'utf8').trim());
      return pid > 0 && processAlive(pid) ? pid : undefined;
    } catch {
      return undefined;
    }
  })();
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
  const classpath = join(libs, '*');

  const logDir = join(dataDir, 'kraft-logs');
  const propsFile = join(dataDir, 'server.properties');
  const log4jFile = join(dataDir, 'log4j2.properties');
  const logFile = join(dataDir, 'broker.log');
  mkdirSync(logDir, { recursive: true });
  writeFileSync(propsFile, serverProperties({ port, controllerPort, logDir }));
  writeFileSync(log4jFile, LOG4J2_PROPERTIES);
  const log4jOpt = `-Dlog4j2.configurationFile=${log4jFile}`;

  if (!existsSync(join(logDir, 'meta.properties'))) {
    const clusterId = newClusterId();
    log(`Formatting Kafka storage in ${logDir} (cluster id ${clusterId}) ...`);
    runJavaSync(
      [
        '-Xmx256m',
        log4jOpt,
        '-cp',
        classpath,
        'kafka.tools.StorageTool',
        'format',
        '--ignore-formatted',
        '--cluster-id',
        clusterId,
        '--config',
        propsFile,
      ],
      'Formatting Kafka storage (kafka-storage format)',
    );
  }

  // Keep the previous run's log as broker.log.1.
  try {
    if (statSync(logFile).size > 0) renameSync(logFile, `${logFile}.1`);
  } catch {
    /* no previous log */
  }
  const fd = openSync(logFile, 'a');
  let child: ChildProcess;
  try {
    child = spawn(
      'java',
      [
        '-Xms256m',
        '-Xmx512m',
        '-XX:+UseG1GC',
        '-XX:MaxGCPauseMillis=20',
        '-XX:+ExitOnOutOfMemoryError',
        '-Djava.awt.headless=true',
        log4jOpt,
        '-cp',
        classpath,
        'kafka.Kafka',
        propsFile,
      ],
      {
        cwd: dataDir,
        stdio: ['ignore', fd, fd],
        // Own process group: a terminal Ctrl-C reaches only the Node parent, which
        // then decides when to stop the broker (after its own clients disconnect).
        detached: true,
      },
    );
  } finally {
    closeSync(fd);
  }
  const spawnError = new Promise<Error>((res) => child.once('error', res));
  const exited = new Promise<void>((res) => {
    if (child.exitCode !== null || child.signalCode !== null) res();
    else child.once('exit', () => res());
  });
  child.unref();
  liveBrokers.add(child);
  installExitHooks();
  void exited.then(() => {
    liveBrokers.delete(child);
    try {
      if (readFileSync(pidFile, 'utf8').trim() === String(child.pid)) rmSync(pidFile, { force: true });
    } catch {
      /* gone */
    }
  });
  if (child.pid) writeFileSync(pidFile, `${child.pid}\n`);

  let stopping: Promise<void> | undefined;
  const stop = (): Promise<void> => {
    stopping ??= (async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      let timer: NodeJS.Timeout | undefined;
      const killed = await Promise.race([
        exited.then(() => false),
        new Promise<boolean>((res) => {
          timer = setTimeout(() => res(true), 15_000);
        }),
      ]);
      clearTimeout(timer);
      if (killed) {
        log('Kafka broker did not stop within 15 s; sending SIGKILL.');
        child.kill('SIGKILL');
        await exited;
      }
    })();
    return stopping;
  };

  log(`Starting Kafka ${KAFKA_VERSION} on ${brokers} (pid ${child.pid}, log ${logFile}) ...`);
  const t0 = Date.now();
  const deadline = t0 + startTimeoutMs;
  let lastExit: string | undefined;
  void exited.then(() => {
    lastExit = `exit code ${child.exitCode ?? '-'}, signal ${child.signalCode ?? '-'}`;
  });
  for (;;) {
    const err = await Promise.race([spawnError, new Promise<undefined>((r) => setTimeout(r, 0))]);
    if (err) {
      liveBrokers.delete(child);
      throw missingToolError(`Could not start \`java\`: ${err.message}`);
    }
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
