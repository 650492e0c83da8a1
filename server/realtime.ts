/**
 * socket.io: pushes windows, config, simulator state and stats to browsers.
 *
 * socket.io delivers at most once, so every pushed window carries `seq`, its place in this
 * server's feed. A client reconnects with `auth: {epoch, after}` and gets exactly the windows it
 * missed (or, if they are no longer kept or the server restarted, the history again; clients
 * replace a window they already have). A client that does not keep up is not written to while
 * its send buffer is full; it catches up from the feed once it has drained, so one slow browser
 * neither slows the others nor grows server memory without bound.
 */
import type { Server as HttpServer } from 'node:http';
import { Server, type Socket } from 'socket.io';
import {
  resumeSchema,
  type ClientToServerEvents,
  type FeedWindow,
  type RuntimeConfig,
  type ServerToClientEvents,
  type SimulatorStatus,
  type Stats,
} from '../lib/contract';
import { checkSite, type SitePolicy } from './http/sitePolicy';
import { log } from './log';

/** Enough history to draw every chart at once without sending megabytes to each new browser. */
const HISTORY_BUDGET = 20_000;
/** Packets waiting in a client's send buffer before we stop writing to it. */
const MAX_PENDING_PACKETS = 50;

export interface WindowFeedSource {
  readonly epoch: string;
  readonly position: number;
  readonly sensorCount: number;
  snapshot(perSensor: number): { records: FeedWindow[]; seq: number };
  since(after: number): FeedWindow[] | null;
}

export interface RealtimeSources {
  /** Called about once a second. */
  stats(): Stats;
  feed: WindowFeedSource;
  historyPerSensor: number;
  config(): RuntimeConfig;
  simulator(): SimulatorStatus | null;
}

type ClientSocket = Socket<ClientToServerEvents, ServerToClientEvents>;

interface ClientState {
  /** Feed position this client has everything up to. */
  delivered: number;
  /** True while we skip it because its send buffer is full. */
  behind: boolean;
}

export class Realtime {
  readonly io: Server<ClientToServerEvents, ServerToClientEvents>;
  private timer: NodeJS.Timeout | null = null;
  private latestStats: Stats | null = null;
  private lastSent = -1;
  private readonly clients = new Map<ClientSocket, ClientState>();
  private drops = 0;

  constructor(
    httpServer: HttpServer,
    private readonly sources: RealtimeSources,
    private readonly options: {
      dev: boolean;
      site: SitePolicy;
      /** Window close → push, in seconds. */
      pushDelay: { observe(seconds: number): void };
    },
  ) {
    this.io = new Server(httpServer, {
      serveClient: false,
      // In dev, Next's hot reload upgrades on its own path; leave those requests alone.
      destroyUpgrade: !options.dev,
      // Only pages served here (or listed in ALLOWED_ORIGINS), under a name we serve, may open a socket.
      allowRequest: (req, callback) => {
        const decision = checkSite(req.headers, options.site, { origin: true });
        callback(decision.ok ? null : decision.message, decision.ok);
      },
    });
    this.io.on('connection', (socket) => this.onConnection(socket));
  }

  start(): void {
    this.timer = setInterval(() => {
      this.latestStats = this.sources.stats();
      this.io.emit('stats', this.latestStats);
      // The simulator's `sent` count moves all the time; refresh it with the stats, not per send.
      const simulator = this.sources.simulator();
      if (simulator && simulator.sent !== this.lastSent) {
        this.lastSent = simulator.sent;
        this.io.emit('simulator', simulator);
      }
      for (const [socket, state] of this.clients) if (state.behind) this.catchUp(socket, state);
    }, 1_000);
  }

  get socketClients(): number {
    return this.clients.size;
  }

  /** Times a client was skipped because its send buffer was full. */
  get slowClientDrops(): number {
    return this.drops;
  }

  windows(records: FeedWindow[]): void {
    if (records.length === 0) return;
    const upTo = records[records.length - 1].seq;
    if (this.clients.size > 0) {
      const now = Date.now();
      for (const record of records) this.options.pushDelay.observe(Math.max(0, now - record.closedAt) / 1000);
    }
    for (const [socket, state] of this.clients) {
      if (state.behind) {
        this.catchUp(socket, state);
        continue;
      }
      if (pendingPackets(socket) > MAX_PENDING_PACKETS) {
        state.behind = true;
        this.drops++;
        continue;
      }
      socket.emit('windows', records.filter((r) => r.seq > state.delivered));
      state.delivered = upTo;
    }
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

  private onConnection(socket: ClientSocket): void {
    const { feed } = this.sources;
    socket.emit('config', this.sources.config());
    const simulator = this.sources.simulator();
    if (simulator) socket.emit('simulator', simulator);
    if (this.latestStats) socket.emit('stats', this.latestStats);

    const resume = resumeSchema.safeParse(socket.handshake.auth ?? {});
    if (!resume.success) log.warn({ reason: resume.error.issues[0]?.message }, 'socket.io resume point ignored');
    const { epoch, after } = resume.success ? resume.data : {};
    const missed = epoch === feed.epoch && after !== undefined ? feed.since(after) : null;
    if (missed !== null && after !== undefined) {
      socket.emit('feed', { epoch: feed.epoch, seq: after });
      socket.emit('windows', missed);
    } else {
      const perSensor = Math.max(1, Math.min(this.sources.historyPerSensor, Math.floor(HISTORY_BUDGET / Math.max(1, feed.sensorCount))));
      const snapshot = feed.snapshot(perSensor);
      socket.emit('feed', { epoch: feed.epoch, seq: snapshot.seq });
      socket.emit('windows', snapshot.records);
    }
    this.clients.set(socket, { delivered: feed.position, behind: false });
    socket.on('disconnect', () => this.clients.delete(socket));
  }

  private catchUp(socket: ClientSocket, state: ClientState): void {
    if (pendingPackets(socket) > 0) return;
    const missed = this.sources.feed.since(state.delivered);
    if (missed === null) {
      // Too far behind for the feed: let it reconnect and start from the history.
      socket.disconnect(true);
      return;
    }
    socket.emit('windows', missed);
    state.delivered = this.sources.feed.position;
    state.behind = false;
  }
}

function pendingPackets(socket: ClientSocket): number {
  return (socket.conn as unknown as { writeBuffer?: unknown[] }).writeBuffer?.length ?? 0;
}
