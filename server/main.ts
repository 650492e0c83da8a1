/**
 * Entry point of a windowpane process: runs the roles named in ROLES (web, worker, simulator;
 * all by default) against KAFKA_BROKERS. Run directly, KAFKA_BROKERS is required; `npm start`
 * (scripts/start.ts) runs this with a local broker of its own when it is unset.
 */
import { constants as osConstants } from 'node:os';
import { ConfigError, loadConfig, type AppConfig } from './config';
import { startApp, type RunningApp } from './app';
import { describeKafkaStartFailure } from './kafka/connect';
import { log } from './log';
import { assertPortFree, StartRefused } from './shared/portCheck';

/** Kafka provided from outside the server, stopped after the app has stopped. */
export interface FallbackKafka {
  brokers: string[];
  stop(): Promise<void>;
}

export interface RunOptions {
  dev: boolean;
  onReady?: (url: string) => void;
  /** Called when KAFKA_BROKERS is unset; without it, KAFKA_BROKERS is required. */
  fallbackKafka?: (config: AppConfig) => Promise<FallbackKafka>;
}

interface NamedStop {
  name: string;
  stop: () => Promise<void>;
}

export async function runWindowpane(options: RunOptions): Promise<void> {
  const { dev } = options;
  const config = loadConfig();
  if (!config.kafkaBrokers && !options.fallbackKafka) {
    throw new ConfigError(
      'KAFKA_BROKERS',
      'required when server/main.ts runs directly (npm start starts a local broker for you)',
    );
  }
  if (config.roles.includes('web')) await assertPortFree(config.port, config.host, 'PORT');
  if (config.metricsPort !== null) await assertPortFree(config.metricsPort, config.host, 'METRICS_PORT');
  const stops: NamedStop[] = [];
  stopOnSignals(stops, config.shutdownTimeoutMs);

  let brokers = config.kafkaBrokers;
  if (!brokers) {
    const kafka = await options.fallbackKafka!(config);
    stops.push({ name: 'local Kafka broker', stop: () => kafka.stop() });
    brokers = kafka.brokers;
  }

  const app: RunningApp = await startApp(config, brokers, { dev });
  stops.push({ name: 'app', stop: () => app.stop() });
  if (app.url) {
    process.stdout.write(`\nwindowpane is running: ${app.url}\n\n`);
    options.onReady?.(app.url);
  }
}

/**
 * On SIGINT/SIGTERM runs `stops` last-first, then exits 0. Orchestrators SIGKILL soon after
 * SIGTERM, and kafkajs disconnects can hang while Kafka is unreachable, so after `timeoutMs`
 * the process exits 1 anyway.
 */
function stopOnSignals(stops: NamedStop[], timeoutMs: number): void {
  let firstSignalAt: number | undefined;
  const shutdown = async (signal: NodeJS.Signals) => {
    if (firstSignalAt !== undefined) {
      // tsx relays a terminal's Ctrl-C to its child too, so one Ctrl-C can arrive twice within
      // milliseconds: only a signal a moment later is someone asking to stop waiting.
      if (Date.now() - firstSignalAt < 1_000) return;
      // 128 + signal number, as a shell reports death by that signal (130 SIGINT, 143 SIGTERM).
      log.warn({ signal }, 'second signal during shutdown; exiting now');
      process.exit(128 + osConstants.signals[signal]);
    }
    firstSignalAt = Date.now();
    log.info({ signal, timeoutMs }, 'shutting down');
    let running: string | undefined;
    const timer = setTimeout(() => {
      log.error({ timeoutMs, stillRunning: running }, 'shutdown timed out; exiting anyway');
      process.exit(1);
    }, timeoutMs);
    // Both outcomes exit explicitly; the timer alone must not hold a finished process open.
    timer.unref();
    for (const { name, stop } of [...stops].reverse()) {
      running = name;
      await stop().catch((error: Error) => log.warn({ stop: name, error: error.message }, 'stop failed'));
    }
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
}

export function runOrExit(options: RunOptions): void {
  runWindowpane(options).catch((error: Error) => {
    const kafkaFailure = describeKafkaStartFailure(error);
    if (error instanceof ConfigError) log.error(`invalid configuration: ${error.message}`);
    else if (error instanceof StartRefused) log.error(error.message);
    else if (kafkaFailure) log.error(kafkaFailure);
    else log.error({ error: error.message, stack: error.stack }, 'windowpane failed to start');
    process.exit(1);
  });
}

if (require.main === module) runOrExit({ dev: process.argv.includes('--dev') });
