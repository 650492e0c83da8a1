/**
 * The web role: Next.js, the HTTP API and socket.io on one port, fed by its own read_committed
 * consumer of the output topic, the workers' stats topic, the alert rules and the Operations view.
 */
import { createServer, type Server as HttpServer } from 'node:http';
import path from 'node:path';
import next from 'next';
import { FailedAttempts } from '../../lib/access/failedAttempts';
import { runtimeConfigOf, scheduleOf } from '../../lib/configView';
import { longestWindowMs } from '../../lib/engine/schedule';
import type { WorkerStats } from '../../lib/contract';
import { measureConsumerLag } from '../kafka/consumerLag';
import { log } from '../log';
import { renderMetrics } from '../metrics/registry';
import type { RoleContext } from '../shared/roleContext';
import type { Simulator } from '../simulator/simulator';
import { alertMetrics } from './alerts/alertMetrics';
import { Alerts } from './alerts/alerts';
import { WindowHistory } from './history/windowHistory';
import { WindowRange } from './history/windowRange';
import type { AccessPolicy } from './http/access';
import { createApiHandler } from './http/api';
import { securityHeaders } from './http/securityHeaders';
import { redriveCounter } from './operations/operationsMetrics';
import { Operations } from './operations/operations';
import { PendingConfigTimer } from './pendingConfigTimer';
import { Realtime } from './realtime';
import { createRewindowJobs } from './rewindow/rewindowSource';
import { StatsFeed } from './stats/statsFeed';
import { StatsView } from './stats/statsView';
import { pushDelayHistogram, registerWebMetrics } from './webMetrics';

const PROJECT_ROOT = path.resolve(__dirname, '..', '..');

export interface WebRole {
  /** The dashboard's address. */
  url: string;
  /** Takes a worker's stats report from this process without the round trip through the stats topic. */
  acceptLocalStats(report: WorkerStats): void;
}

export async function startWebRole(
  context: RoleContext,
  options: { dev: boolean; simulator: Simulator | null },
): Promise<WebRole> {
  const { kafka, config, configStore, registry, site, health, onStop } = context;
  const { dev, simulator } = options;

  // Stats travel through a topic so that a web server shows workers running anywhere.
  const statsFeed = new StatsFeed(kafka, config.statsTopic, config.maxSensors);
  await statsFeed.start();
  onStop(() => statsFeed.stop());

  // Alert rules are read before the first window, and the evaluator hears every window the feed takes in.
  const alerts = new Alerts(kafka, config.alertRulesTopic, alertMetrics(registry), {
    allow: config.alertWebhookAllow,
  });
  await alerts.start();
  onStop(() => alerts.stop());
  const history = new WindowHistory(kafka, config);
  history.on('windows', (records) => alerts.windows(records));
  const windowMs = configStore.current.schedule.at(-1)!.windowMs;
  // At least the last 15 minutes, so a page opened after a restart has them at once.
  await history.start(Math.max(15 * 60_000, windowMs * config.historyPerSensor));
  const largestWindowMs = () => Math.max(...scheduleOf(configStore.current).map(longestWindowMs));
  const windowRange = new WindowRange(
    kafka,
    config.outputTopic,
    history,
    () => largestWindowMs() + configStore.current.allowedLatenessMs + 60_000,
  );
  onStop(() => history.stop());
  const eventNow = () => Math.max(Date.now(), history.latestWindowEnd);
  const currentConfig = () => runtimeConfigOf(configStore.current, eventNow(), config.aggregates);

  // "What if" re-windowing reads the input topic on its own consumers; live state is not touched.
  const rewindowJobs = createRewindowJobs(kafka, config);
  onStop(() => rewindowJobs.stop());

  const statsView = new StatsView(statsFeed.cluster, () => health.connected);
  // The Operations view: group progress, dead letters and late readings, redrives.
  const operations = new Operations(
    kafka,
    config,
    redriveCounter(registry),
    () => statsView.latest ?? statsView.tick(),
  );
  await operations.start();
  onStop(() => operations.stop());
  const lagAdmin = kafka.admin();
  await lagAdmin.connect();
  onStop(() => lagAdmin.disconnect());

  // Who may read and who may control, for HTTP and socket.io alike; wrong tokens counted across both.
  const access: AccessPolicy = {
    ...site,
    token: config.controlToken,
    readToken: config.readToken,
    publicRead: config.publicRead,
    trustProxy: config.trustProxy,
    failedAttempts: new FailedAttempts(),
  };
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
    recentWindows: (limit, sensorId) =>
      history.recent(limit, sensorId).map(({ seq: _seq, closedAt: _closedAt, ...window }) => window),
    windowsInRange: (query) => windowRange.page(query),
    stats: () => statsView.latest ?? statsView.tick(),
    health: () => ({ status: health.connected ? 'ok' : 'degraded', kafka: health.connected, roles: config.roles }),
    metrics: () => renderMetrics(registry),
    control: access,
    operations,
    rewindow: rewindowJobs,
    alerts,
    alertWebhookAllow: config.alertWebhookAllow,
  });
  const headers = securityHeaders(dev);
  httpServer.on('request', (req, res) => {
    for (const [name, value] of Object.entries(headers)) res.setHeader(name, value);
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
    { dev, site: access, pushDelay: pushDelayHistogram(registry), limits: { maxClients: config.maxClients } },
  );
  registerWebMetrics(registry, {
    get socketClients() {
      return realtime.socketClients;
    },
    get slowClientDrops() {
      return realtime.slowClientDrops;
    },
    refusedClients: () => realtime.refusedClients,
    rereadsAsked: () => realtime.rereadsAsked,
    untrackedSensorWindows: () => history.untrackedWindows,
    rangeTopicReads: () => windowRange.topicReads,
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
  onStop(async () => {
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
  const url = `http://${config.host === '0.0.0.0' ? '127.0.0.1' : config.host}:${port}`;
  log.info({ url }, 'dashboard ready');
  return { url, acceptLocalStats: (report) => statsFeed.cluster.accept(report) };
}
