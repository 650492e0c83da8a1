/**
 * Composes one windowpane process from its roles: `web` (Next.js + API + socket.io + output
 * consumer), `worker` (windowing) and `simulator`. All three by default; any subset with ROLES.
 */
import { createServer, type Server as HttpServer } from 'node:http';
import path from 'node:path';
import next from 'next';
import { runtimeConfigOf } from '../lib/configView';
import { Alerts } from './web/alerts/alerts';
import type { AppConfig } from './config';
import { ConfigStore } from './shared/configStore';
import { createApiHandler } from './web/http/api';
import { createKafka } from './kafka/client';
import { ensureTopics } from './kafka/topics';
import { KafkaHealth } from './shared/kafkaHealth';
import { log } from './log';
import { PendingConfigTimer } from './web/pendingConfigTimer';
import { measureConsumerLag } from './kafka/consumerLag';
import { startMetricsServer } from './metrics/metricsServer';
import { createRegistry, registerProcessMetrics, renderMetrics } from './metrics/registry';
import { pushDelayHistogram, registerWebMetrics } from './web/webMetrics';
import { commitDelayHistogram, registerWorkerMetrics } from './worker/workerMetrics';
import { redriveCounter } from './web/operations/operationsMetrics';
import { alertMetrics } from './web/alerts/alertMetrics';
import { Operations } from './web/operations/operations';
import { Realtime } from './web/realtime';
import { createRewindowJobs } from './web/rewindow/rewindowSource';
import { Simulator } from './simulator/simulator';
import { StatsFeed } from './web/stats/statsFeed';
import { StatsPublisher } from './worker/statsPublisher';
import { StatsView } from './web/stats/statsView';
import { WindowHistory } from './web/history/windowHistory';
import { WindowRange } from './web/history/windowRange';
import { Worker } from './worker/worker';

export interface RunningApp {
  url: string | null;
  stop(): Promise<void>;
}

const PROJECT_ROOT = path.resolve(__dirname, '..');

export async function startApp(config: AppConfig, brokers: string[], options: { dev?: boolean } = {}): Promise<RunningApp> {
  const kafka = createKafka(brokers, 'windowpane', config.kafkaSecurity);
  const registry = createRegistry();
  const site = { host: config.host, allowedHosts: config.allowedHosts, allowedOrigins: config.allowedOrigins };
  const stops: (() => Promise<void>)[] = [];
  const stopAll = async () => {
    for (const stop of stops.reverse()) await stop().catch((e: Error) => log.warn({ error: e.message }, 'stop failed'));
  };

  try {
    const admin = kafka.admin();
    await admin.connect();
    await ensureTopics(admin, config);
    await admin.disconnect();

    const health = new KafkaHealth(kafka);
    await health.start();
    stops.push(() => health.stop());

    const configStore = new ConfigStore(kafka, config);
    await configStore.start();
    stops.push(() => configStore.stop());

    // Stats travel through a topic so that a web server shows workers running anywhere.
    let statsFeed: StatsFeed | null = null;
    if (config.roles.includes('web')) {
      statsFeed = new StatsFeed(kafka, config.statsTopic);
      await statsFeed.start();
      stops.push(() => statsFeed!.stop());
    }

    if (config.roles.includes('worker')) {
      const worker = new Worker(kafka, config, configStore, commitDelayHistogram(registry));
      registerWorkerMetrics(registry, worker);
      await worker.start();
      stops.push(() => worker.stop());
      const cluster = statsFeed?.cluster;
      const publisher = new StatsPublisher(kafka, config.statsTopic, (max) => worker.stats(max), cluster && ((report) => cluster.accept(report)));
      await publisher.start();
      stops.push(() => publisher.stop());
    }

    let simulator: Simulator | null = null;
    if (config.roles.includes('simulator')) {
      const sim = new Simulator(kafka, config);
      await sim.connect();
      stops.push(() => sim.close());
      if (config.simulator.autostart) sim.start();
      simulator = sim;
    }
    registerProcessMetrics(registry, { kafkaUp: () => health.connected, simulatorSent: simulator && (() => simulator!.current.sent) });

    if (config.metricsPort !== null) {
      const metricsServer = await startMetricsServer(registry, config.metricsPort, site);
      stops.push(() => metricsServer.close());
      log.info({ url: `http://${config.host}:${metricsServer.port}/metrics` }, 'metrics served');
    }

    let url: string | null = null;
    if (config.roles.includes('web')) {
      // Alert rules are read before the first window, and the evaluator hears every window the feed takes in.
      const alerts = new Alerts(kafka, config.alertRulesTopic, alertMetrics(registry));
      await alerts.start();
      stops.push(() => alerts.stop());
      const history = new WindowHistory(kafka, config);
      history.on('windows', (records) => alerts.windows(records));
      const windowMs = configStore.current.schedule.at(-1)!.windowMs;
      // At least the last 15 minutes, so a page opened after a restart has them at once.
      await history.start(Math.max(15 * 60_000, windowMs * config.historyPerSensor));
      const largestWindowMs = () => Math.max(...configStore.current.schedule.map((e) => e.windowMs));
      const windowRange = new WindowRange(kafka, config.outputTopic, history, () => largestWindowMs() + configStore.current.allowedLatenessMs + 60_000);
      stops.push(() => history.stop());
      const eventNow = () => Math.max(Date.now(), history.latestWindowEnd);
      const currentConfig = () => runtimeConfigOf(configStore.current, eventNow());

      // "What if" re-windowing reads the input topic on its own consumers; live state is not touched.
      const rewindowJobs = createRewindowJobs(kafka, config);
      stops.push(() => rewindowJobs.stop());

      const statsView = new StatsView(statsFeed!.cluster, () => health.connected);
      // The Operations view: group progress, dead letters and late readings, redrives.
      const operations = new Operations(kafka, config, redriveCounter(registry), () => statsView.latest ?? statsView.tick());
      await operations.start();
      stops.push(() => operations.stop());
      const lagAdmin = kafka.admin();
      await lagAdmin.connect();
      stops.push(() => lagAdmin.disconnect());
      const dev = options.dev ?? false;
      const httpServer: HttpServer = createServer();
      const nextApp = next({ dev, dir: PROJECT_ROOT, hostname: config.host, port: config.port, httpServer });
      await nextApp.prepare();
      const nextHandler = nextApp.getRequestHandler();
      const api = createApiHandler({
        getConfig: currentConfig,
        updateConfig: async (update) => {
          await configStore.update(update, Date.now(), history.latestWindowEnd);
          return currentConfig();
        },
        simulator: simulator && {
          status: () => simulator.current,
          start: (o) => simulator.start(o),
          stop: () => simulator.stop(),
        },
        recentWindows: (limit, sensorId) => history.recent(limit, sensorId).map(({ seq: _seq, closedAt: _closedAt, ...window }) => window),
        windowsInRange: (query) => windowRange.page(query),
        stats: () => statsView.latest ?? statsView.tick(),
        health: () => ({ status: health.connected ? 'ok' : 'degraded', kafka: health.connected, roles: config.roles }),
        metrics: () => renderMetrics(registry),
        control: { token: config.controlToken, ...site },
        operations,
        rewindow: rewindowJobs,
        alerts,
      });
      httpServer.on('request', (req, res) => {
        api(req, res)
          .then((handled) => (handled ? undefined : nextHandler(req, res)))
          .catch((error: Error) => {
            log.error({ url: req.url, error: error.message }, 'request failed');
            if (!res.headersSent) res.writeHead(500);
            res.end();
          });
      });
      if (dev) {
        const upgrade = nextApp.getUpgradeHandler();
        httpServer.on('upgrade', (req, socket, head) => {
          if (!req.url?.startsWith('/socket.io/')) void upgrade(req, socket, head);
        });
      }

      const realtime = new Realtime(
        httpServer,
        {
          stats: () => statsView.tick(),
          feed: history,
          historyPerSensor: config.historyPerSensor,
          config: currentConfig,
          simulator: () => simulator?.current ?? null,
        },
        { dev, site, pushDelay: pushDelayHistogram(registry) },
      );
      registerWebMetrics(registry, {
        get socketClients() {
          return realtime.socketClients;
        },
        get slowClientDrops() {
          return realtime.slowClientDrops;
        },
        inputTopic: config.inputTopic,
        consumerLag: () => measureConsumerLag(lagAdmin, config.workerGroupId, config.inputTopic),
      });
      history.on('windows', (records) => realtime.windows(records));
      alerts.on('events', (events) => realtime.io.emit('alerts', events));
      configStore.on('change', () => realtime.config(currentConfig()));
      simulator?.on('change', (status) => realtime.simulator(status));
      // A pending size change comes into force at its start time; tell browsers when it does.
      const configTicker = new PendingConfigTimer(currentConfig, (c) => realtime.config(c));
      configStore.on('change', () => configTicker.arm());
      configTicker.arm();
      realtime.start();
      stops.push(async () => {
        configTicker.stop();
        await realtime.close();
        await nextApp.close();
      });

      await new Promise<void>((resolve, reject) => {
        httpServer.once('error', reject);
        httpServer.listen(config.port, config.host, () => resolve());
      });
      const address = httpServer.address();
      const port = typeof address === 'object' && address ? address.port : config.port;
      url = `http://${config.host === '0.0.0.0' ? '127.0.0.1' : config.host}:${port}`;
      log.info({ url }, 'dashboard ready');
    }

    return { url, stop: stopAll };
  } catch (error) {
    await stopAll();
    throw error;
  }
}
