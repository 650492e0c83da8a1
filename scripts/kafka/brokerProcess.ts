/**
 * The broker's JVM process: formatting its storage, spawning it, its pid file, stopping it,
 * and killing it when this Node process goes away.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, openSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { missingToolError, type Log } from './jars';

export interface BrokerFiles {
  /** Working directory of the JVM. */
  dataDir: string;
  /** Jar directory. */
  libs: string;
  propsFile: string;
  log4jFile: string;
  /** The broker's stdout/stderr; the previous run's is kept as `<logFile>.1`. */
  logFile: string;
  pidFile: string;
}

export interface BrokerProcess {
  /** Unref()'d: it does not keep Node alive on its own. */
  child: ChildProcess;
  /** Resolves when the child has exited (or had already). */
  exited: Promise<void>;
  /** Resolves if `java` could not be started at all. */
  spawnError: Promise<Error>;
  /** SIGTERM (and SIGCONT, should it be paused), wait for exit (SIGKILL after ~15 s). Idempotent. */
  stop(): Promise<void>;
}

// ---------------------------------------------------------------------------
// kill the children when this Node process goes away
// ---------------------------------------------------------------------------

const liveBrokers = new Set<ChildProcess>();
let hooksInstalled = false;

/** Sends `signal`, then SIGCONT: a broker paused with SIGSTOP (fault tests) would otherwise never act on it. */
function signalBroker(child: ChildProcess, signal: NodeJS.Signals): void {
  try {
    child.kill(signal);
    if (signal !== 'SIGKILL') child.kill('SIGCONT');
  } catch {
    /* already gone */
  }
}

function killAllBrokers(signal: NodeJS.Signals): void {
  for (const child of liveBrokers) signalBroker(child, signal);
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
// helpers
// ---------------------------------------------------------------------------

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The pid in the pid file, if that process is still running (a broker left over from an earlier run). */
export function staleBrokerPid(pidFile: string): number | undefined {
  try {
    const pid = Number(readFileSync(pidFile, 'utf8').trim());
    return pid > 0 && processAlive(pid) ? pid : undefined;
  } catch {
    return undefined;
  }
}

/** The last lines of the broker's log, for error messages. */
export function tail(file: string, lines = 40): string {
  try {
    return readFileSync(file, 'utf8').split('\n').slice(-lines).join('\n').trim();
  } catch {
    return '(no broker log)';
  }
}

/** Runs a short-lived `java` tool; asynchronous so that a cluster's nodes can be formatted at once. */
function runJava(args: string[], what: string): Promise<void> {
  return new Promise((res, rej) => {
    const child = spawn('java', args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    const keep = (b: Buffer) => {
      output = (output + b.toString()).slice(-64 * 1024);
    };
    child.stdout!.on('data', keep);
    child.stderr!.on('data', keep);
    child.once('error', (e) => rej(missingToolError(`Could not run \`java\`: ${e.message}`)));
    child.once('close', (code) => {
      if (code === 0) res();
      else rej(new Error(`${what} failed (exit ${code}):\n${output.trim()}`));
    });
  });
}

const log4jOpt = (files: BrokerFiles) => `-Dlog4j2.configurationFile=${files.log4jFile}`;
const classpath = (files: BrokerFiles) => join(files.libs, '*');

// ---------------------------------------------------------------------------
// format / spawn / stop
// ---------------------------------------------------------------------------

/** `kafka-storage format` for a new log directory (a no-op on one already formatted). */
export function formatStorage(files: BrokerFiles, clusterId: string): Promise<void> {
  return runJava(
    [
      '-Xmx256m',
      // A short-lived tool: skip the optimising JIT and the parallel GC threads (several nodes format at once).
      '-XX:TieredStopAtLevel=1',
      '-XX:+UseSerialGC',
      log4jOpt(files),
      '-cp',
      classpath(files),
      'kafka.tools.StorageTool',
      'format',
      '--ignore-formatted',
      '--cluster-id',
      clusterId,
      '--config',
      files.propsFile,
    ],
    'Formatting Kafka storage (kafka-storage format)',
  );
}

/** Starts `java ... kafka.Kafka`; does not wait for it to be ready. */
export function spawnBroker(files: BrokerFiles, log: Log): BrokerProcess {
  const { logFile, pidFile } = files;
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
        log4jOpt(files),
        '-cp',
        classpath(files),
        'kafka.Kafka',
        files.propsFile,
      ],
      {
        cwd: files.dataDir,
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
  // A child that never started emits 'error' and no 'exit'.
  void spawnError.then(() => liveBrokers.delete(child));
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
      signalBroker(child, 'SIGTERM');
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

  return { child, exited, spawnError, stop };
}
