/**
 * `npm start`: builds the dashboard if needed, then runs windowpane (and a local Kafka broker
 * when KAFKA_BROKERS is unset). `npm run dev` skips the build and hot-reloads instead.
 */
import { spawn } from 'node:child_process';
import { log } from '../server/log';
import { runOrExit } from '../server/main';
import { buildIfNeeded } from './nextBuild';

const dev = process.argv.includes('--dev');
process.env.NEXT_TELEMETRY_DISABLED = '1';
if (!dev) buildIfNeeded();

function openBrowser(url: string): void {
  if (process.env.CI || process.env.BROWSER === 'none' || !process.stdout.isTTY) return;
  const opener = process.platform === 'darwin' ? 'open' : process.platform === 'win32' ? 'start' : 'xdg-open';
  spawn(opener, [url], { stdio: 'ignore', detached: true })
    .on('error', () => undefined)
    .unref();
}

runOrExit({
  dev,
  onReady: openBrowser,
  // runWindowpane stops the broker after the app, within the same shutdown deadline.
  fallbackKafka: async (config) => {
    // Loaded only when needed: it reads scripts/kafka/pom.xml as it loads.
    const { startLocalBroker } = await import('./kafka/localBroker');
    log.info('KAFKA_BROKERS not set: starting a local Kafka broker (first run downloads its jars through Maven)');
    const broker = await startLocalBroker({
      port: 9092,
      dataDir: config.kafkaDataDir,
      log: (msg) => log.info({ component: 'local-kafka' }, msg),
    });
    return { brokers: [broker.brokers], stop: () => broker.stop() };
  },
});
