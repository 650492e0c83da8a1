/** socket.io: pushes windows, config, simulator state and stats to browsers. */
import type { Server as HttpServer } from 'node:http';
import { Server } from 'socket.io';
import type {
  ClientToServerEvents,
  RuntimeConfig,
  ServerToClientEvents,
  SimulatorStatus,
  Stats,
  WindowResultRecord,
} from '../lib/contract';
import type { Metrics } from './metrics';

/** Enough history to draw every chart at once without sending megabytes to each new browser. */
const HISTORY_BUDGET = 20_000;

export interface RealtimeSources {
  metrics: Metrics;
  history(perSensor: number): WindowResultRecord[];
  sensorCount(): number;
  historyPerSensor: number;
  config(): RuntimeConfig;
  simulator(): SimulatorStatus | null;
}

export class Realtime {
  readonly io: Server<ClientToServerEvents, ServerToClientEvents>;
  private timer: NodeJS.Timeout | null = null;
  private last = { at: Date.now(), readings: 0, windows: 0 };
  private latestStats: Stats | null = null;
  private lastSent = -1;

  constructor(
    httpServer: HttpServer,
    private readonly sources: RealtimeSources,
    options: { dev: boolean },
  ) {
    this.io = new Server(httpServer, {
      serveClient: false,
      // In dev, Next's hot reload upgrades on its own path; leave those requests alone.
      destroyUpgrade: !options.dev,
    });
    this.io.on('connection', (socket) => {
      socket.emit('config', sources.config());
      const simulator = sources.simulator();
      if (simulator) socket.emit('simulator', simulator);
      if (this.latestStats) socket.emit('stats', this.latestStats);
      const perSensor = Math.max(1, Math.min(sources.historyPerSensor, Math.floor(HISTORY_BUDGET / Math.max(1, sources.sensorCount()))));
      socket.emit('windows', sources.history(perSensor));
    });
  }

  start(): void {
    this.timer = setInterval(() => {
      this.io.emit('stats', this.computeStats());
      // The simulator's `sent` count moves all the time; refresh it with the stats, not per send.
      const simulator = this.sources.simulator();
      if (simulator && simulator.sent !== this.lastSent) {
        this.lastSent = simulator.sent;
        this.io.emit('simulator', simulator);
      }
    }, 1_000);
  }

  windows(records: WindowResultRecord[]): void {
    this.io.emit('windows', records);
  }

  config(config: RuntimeConfig): void {
    this.io.emit('config', config);
  }

  simulator(status: SimulatorStatus): void {
    this.io.emit('simulator', status);
  }

  async close(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await new Promise<void>((resolve) => this.io.close(() => resolve()));
  }

  private computeStats(): Stats {
    const m = this.sources.metrics;
    const now = Date.now();
    const seconds = Math.max(0.001, (now - this.last.at) / 1000);
    const stats: Stats = {
      at: now,
      kafkaConnected: m.kafkaConnected,
      readingsPerSecond: Math.round((m.readingsTotal - this.last.readings) / seconds),
      windowsPerSecond: Math.round((10 * (m.windowsTotal - this.last.windows)) / seconds) / 10,
      watermarkDelayMs: m.lowestWatermarkMs === null ? null : now - m.lowestWatermarkMs,
      readingsTotal: m.readingsTotal,
      windowsTotal: m.windowsTotal,
      lateTotal: m.lateTotal,
      invalidTotal: m.invalidTotal,
      lateBySensor: Object.fromEntries(m.lateBySensor),
      openWindows: m.openWindows,
      partitions: m.partitions,
    };
    this.last = { at: now, readings: m.readingsTotal, windows: m.windowsTotal };
    this.latestStats = stats;
    return stats;
  }
}
