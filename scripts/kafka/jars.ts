/**
 * Apache Kafka's jars for the local broker, fetched through Maven. The Kafka version is pinned
 * once, in scripts/kafka/pom.xml (property `kafka.version`); KAFKA_VERSION is read from there.
 */
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export type Log = (msg: string) => void;

const noop: Log = () => {};
const JAR_MARKER = '.complete';

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
const KAFKA_POM: string = join(projectRoot, 'scripts', 'kafka', 'pom.xml');

function readKafkaVersion(): string {
  const pom = readFileSync(KAFKA_POM, 'utf8');
  const m = /<kafka\.version>\s*([^<\s]+)\s*<\/kafka\.version>/.exec(pom);
  if (!m) throw new Error(`localBroker: no <kafka.version> property in ${KAFKA_POM}`);
  return m[1];
}

/** Apache Kafka version of the local broker; pinned in scripts/kafka/pom.xml. */
export const KAFKA_VERSION: string = readKafkaVersion();

export function missingToolError(what: string): Error {
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
