/**
 * `npm test`: type-checks, lints (ESLint, Prettier), builds the dashboard, starts a throwaway Kafka broker (unless
 * KAFKA_BROKERS is given), runs every vitest project against it, and prints one closing line
 * "N passed, N failed".
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ensureBrowser, runsBrowserProject } from './browser';
import { buildIfNeeded } from './nextBuild';

const ROOT = path.resolve(__dirname, '..');
const REPORT = path.join(ROOT, 'test-artifacts', 'vitest-report.json');

function run(command: string, args: string[], env: NodeJS.ProcessEnv = process.env): number {
  const result = spawnSync(command, args, { cwd: ROOT, stdio: 'inherit', env });
  return result.status ?? 1;
}

async function main(): Promise<number> {
  const extraArgs = process.argv.slice(2);
  // The long fault suite runs only when asked for (`npm run test:faults`).
  const projects = extraArgs.includes('--project')
    ? []
    : ['--project', 'unit', '--project', 'integration', '--project', 'e2e', '--project', 'bench'];
  console.log('› type-check');
  if (run(process.execPath, [require.resolve('typescript/bin/tsc'), '--noEmit', '-p', '.']) !== 0) return 1;
  console.log('› lint and format');
  if (run('npm', ['run', '--silent', 'lint']) !== 0) return 1;
  buildIfNeeded((msg) => console.log(`› ${msg}`));
  const vitestArgs = [...projects, ...extraArgs];
  // Found or installed before the broker starts, and handed to the e2e test and the bench as CHROMIUM_PATH.
  const chromium = runsBrowserProject(vitestArgs) ? await ensureBrowser((msg) => console.log(`› ${msg}`)) : undefined;

  let brokers = process.env.KAFKA_BROKERS;
  let stopBroker = async () => {};
  let dataDir: string | undefined;
  if (!brokers) {
    const { startLocalBroker } = await import('./kafka/localBroker');
    dataDir = mkdtempSync(path.join(tmpdir(), 'windowpane-test-kafka-'));
    console.log('› starting a throwaway Kafka broker on 127.0.0.1:19092');
    const broker = await startLocalBroker({ port: 19092, dataDir, log: (m) => console.log(`  ${m}`) });
    brokers = broker.brokers;
    stopBroker = () => broker.stop();
  }

  rmSync(REPORT, { force: true });
  let status: number;
  try {
    status = run(
      process.execPath,
      [
        path.join(path.dirname(require.resolve('vitest/package.json')), 'vitest.mjs'),
        'run',
        '--reporter=default',
        '--reporter=json',
        `--outputFile.json=${REPORT}`,
        ...vitestArgs,
      ],
      {
        ...process.env,
        KAFKA_BROKERS: brokers,
        NEXT_TELEMETRY_DISABLED: '1',
        ...(chromium ? { CHROMIUM_PATH: chromium } : {}),
      },
    );
  } finally {
    await stopBroker();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  }

  if (existsSync(REPORT)) {
    const report = JSON.parse(readFileSync(REPORT, 'utf8')) as {
      numPassedTests: number;
      numFailedTests: number;
      numPendingTests: number;
    };
    console.log(
      `\n${report.numPassedTests} passed, ${report.numFailedTests} failed${report.numPendingTests ? `, ${report.numPendingTests} skipped` : ''}`,
    );
  }
  return status;
}

main().then(
  (code) => process.exit(code),
  (error: Error) => {
    console.error(error.message);
    process.exit(1);
  },
);
