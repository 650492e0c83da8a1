/**
 * Entry point of a windowpane process. Starts a local Kafka broker first when KAFKA_BROKERS
 * is not set, then the roles named in ROLES (web, worker, simulator; all by default).
 */
import { ConfigError, loadConfig } from './config';
import { startApp, type RunningApp } from './app';
import { log } from './log';

export async function runWindowpane(options: { dev: boolean; onReady?: (url: string) => void }): Promise<void> {
  const { dev } = options;
  const config = loadConfig();
  const stops: (() => Promise<void>)[] = [];
  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info('shutting down', { signal });
    for (const stop of stops.reverse()) await stop().catch(() => undefined);
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));

  let brokers = config.kafkaBrokers;
  if (!brokers) {
    const { startLocalBroker } = await import('./broker/localBroker');
    log.info('KAFKA_BROKERS not set: starting a local Kafka broker (first run downloads its jars through Maven)');
    const broker = await startLocalBroker({
      port: 9092,
      dataDir: config.kafkaDataDir,
      log: (msg) => log.info(msg, { component: 'local-kafka' }),
    });
    stops.push(() => broker.stop());
    brokers = [broker.brokers];
  }

  const app: RunningApp = await startApp(config, brokers, { dev });
  stops.push(() => app.stop());
  if (app.url) {
    process.stdout.write(`\nwindowpane is running: ${app.url}\n\n`);
    options.onReady?.(app.url);
  }
}

export function runOrExit(options: Parameters<typeof runWindowpane>[0]): void {
  runWindowpane(options).catch((error: Error) => {
    if (error instanceof ConfigError) log.error(`invalid configuration: ${error.message}`);
    else log.error('windowpane failed to start', { error: error.message, stack: error.stack });
    process.exit(1);
  });
}

if (require.main === module) runOrExit({ dev: process.argv.includes('--dev') });
