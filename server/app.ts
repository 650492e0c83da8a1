/**
 * Composes one windowpane process from its roles: `web` (server/web/role.ts: Next.js, API,
 * socket.io, output consumer), `worker` (server/worker/role.ts: windowing) and `simulator`
 * (server/simulator/role.ts). All three by default; any subset with ROLES. What they share
 * (topics, broker health, runtime config, metrics) is started here first.
 */
import type { WorkerStats } from '../lib/contract';
import type { AppConfig } from './config';
import { createKafka } from './kafka/client';
import { connectUntilReachable } from './kafka/connect';
import { ensureTopics } from './kafka/topics';
import { log } from './log';
import { startMetricsServer } from './metrics/metricsServer';
import { createRegistry, registerProcessMetrics } from './metrics/registry';
import { ConfigStore } from './shared/configStore';
import { KafkaHealth } from './shared/kafkaHealth';
import type { RoleContext } from './shared/roleContext';
import { startSimulatorRole } from './simulator/role';
import { startWebRole } from './web/role';
import { startWorkerRole } from './worker/role';

export interface RunningApp {
  url: string | null;
  stop(): Promise<void>;
}

export async function startApp(
  config: AppConfig,
  brokers: string[],
  options: { dev?: boolean } = {},
): Promise<RunningApp> {
  const kafka = createKafka(brokers, 'windowpane', config.kafkaSecurity);
  const registry = createRegistry();
  const site = { host: config.host, allowedHosts: config.allowedHosts, allowedOrigins: config.allowedOrigins };
  const stops: (() => Promise<void>)[] = [];
  const onStop = (stop: () => Promise<void>) => void stops.push(stop);
  const stopAll = async () => {
    for (const stop of stops.reverse()) await stop().catch((e: Error) => log.warn({ error: e.message }, 'stop failed'));
  };

  try {
    const admin = kafka.admin();
    await connectUntilReachable(admin);
    await ensureTopics(admin, config);
    await admin.disconnect();

    const health = new KafkaHealth(kafka);
    await health.start();
    onStop(() => health.stop());

    const configStore = new ConfigStore(kafka, config);
    await configStore.start();
    onStop(() => configStore.stop());

    const context: RoleContext = { config, kafka, registry, site, health, configStore, onStop };
    // A web role in this process takes the worker's stats directly once it is up.
    let acceptLocalStats: ((report: WorkerStats) => void) | null = null;
    if (config.roles.includes('worker')) await startWorkerRole(context, (report) => acceptLocalStats?.(report));
    const simulator = config.roles.includes('simulator') ? await startSimulatorRole(context) : null;
    registerProcessMetrics(registry, {
      kafkaUp: () => health.connected,
      simulatorSent: simulator && (() => simulator.current.sent),
    });

    if (config.metricsPort !== null) {
      const metricsServer = await startMetricsServer(registry, config.metricsPort, site);
      onStop(() => metricsServer.close());
      log.info({ url: `http://${config.host}:${metricsServer.port}/metrics` }, 'metrics served');
    }

    let url: string | null = null;
    if (config.roles.includes('web')) {
      const web = await startWebRole(context, { dev: options.dev ?? false, simulator });
      acceptLocalStats = web.acceptLocalStats;
      url = web.url;
    }
    return { url, stop: stopAll };
  } catch (error) {
    await stopAll();
    throw error;
  }
}
