/**
 * socket.io: pushes windows, config, simulator state and stats to browsers.
 *
 * socket.io delivers at most once, so every pushed window carries `seq`, its place in this
 * server's feed. Each batch of windows is serialised once for every client that is up to date (a
 * room broadcast), and new clients get the history in groups, one serialisation per group: with
 * a thousand dashboards, encoding per client was what blocked the server. A client reconnects
 * with `auth: {epoch, after}` and gets exactly the windows it missed (or, if they are no longer
 * kept or the server restarted, the history again; clients replace a window they already have).
 * A client that does not keep up is not written to while its send buffer is full; it catches up
 * from the feed once it has drained, so one slow browser neither slows the others nor grows
 * server memory without bound.
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
} from '../../lib/contract';
import { checkSite } from '../shared/sitePolicy';
import { checkAccess, type AccessPolicy } from './http/access';
import { log } from '../log';

/**
 * Windows of history a new client gets: the newest few of every sensor (at least the latest),
 * enough to bridge the moment between the page's range request (GET /api/windows, where charts
 * read their history from) and the live feed. 20 000 meant 2.3 MB for each new dashboard.
 */
const HISTORY_BUDGET = 2_000;
/** New clients arriving within this long get their history together, serialised once. */
const ADMIT_EVERY_MS = 25;
/** The room of clients that have every window up to the last broadcast. */
const LIVE = 'live';
/** Packets waiting in a client's send buffer before we stop writing to it. */
const MAX_PENDING_PACKETS = 50;

interface WindowFeedSource {
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
  /** While behind: the feed position it has everything up to (in the live room: the broadcasts'). */
  delivered: number;
  /** True while we skip it because its send buffer is full (it is out of the live room then). */
  behind: boolean;
}

export class Realtime {
  readonly io: Server<ClientToServerEvents, ServerToClientEvents>;
  private timer: NodeJS.Timeout | null = null;
  private latestStats: Stats | null = null;
  private lastSent = -1;
  private readonly clients = new Map<ClientSocket, ClientState>();
  /** Fresh clients waiting for their history (see ADMIT_EVERY_MS). */
  private readonly joining = new Set<ClientSocket>();
  private admitTimer: NodeJS.Timeout | null = null;
  private drops = 0;

  constructor(
    httpServer: HttpServer,
    private readonly sources: RealtimeSources,
    private readonly options: {
      dev: boolean;
      /** Host and Origin (every handshake), and who may read the feed (access.ts). */
      site: AccessPolicy;
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
    // The feed is a read: beyond loopback it needs the read (or control) token, sent in `auth`.
    this.io.use((socket, next) => {
      const auth: unknown = socket.handshake.auth;
      const token = (auth as { token?: unknown } | null)?.token;
      const decision = checkAccess(socket.request, options.site, 'read', {
        token: typeof token === 'string' ? token : undefined,
      });
      if (decision.ok) return next();
      const refusal: Error & { data?: object } = new Error(decision.message);
      refusal.data = { status: decision.status, retryAfterSeconds: decision.retryAfterSeconds };
      next(refusal);
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
      for (const [socket, state] of this.clients)
        if (state.behind && this.catchUp(socket, state)) void socket.join(LIVE);
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
    if (this.clients.size > 0) {
      const now = Date.now();
      for (const record of records) this.options.pushDelay.observe(Math.max(0, now - record.closedAt) / 1000);
    }
    const caughtUp: ClientSocket[] = [];
    for (const [socket, state] of this.clients) {
      if (state.behind) {
        // It gets this batch from the feed now, so it joins the room after the broadcast.
        if (this.catchUp(socket, state)) caughtUp.push(socket);
        continue;
      }
      if (pendingPackets(socket) > MAX_PENDING_PACKETS) {
        state.behind = true;
        state.delivered = records[0].seq - 1;
        void socket.leave(LIVE);
        this.drops++;
      }
    }
    this.io.to(LIVE).emit('windows', records);
    for (const socket of caughtUp) void socket.join(LIVE);
  }

  config(config: RuntimeConfig): void {
    this.io.emit('config', config);
  }

  simulator(status: SimulatorStatus): void {
    this.io.emit('simulator', status);
  }

  async close(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    if (this.admitTimer) clearTimeout(this.admitTimer);
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
    socket.on('disconnect', () => {
      this.clients.delete(socket);
      this.joining.delete(socket);
    });
    if (missed !== null && after !== undefined) {
      socket.emit('feed', { epoch: feed.epoch, seq: after });
      socket.emit('windows', missed);
      this.clients.set(socket, { delivered: feed.position, behind: false });
      void socket.join(LIVE);
      return;
    }
    this.joining.add(socket);
    this.admitTimer ??= setTimeout(() => this.admit(), ADMIT_EVERY_MS);
  }

  /** Sends the clients that arrived since the last call one history, serialised once for all. */
  private admit(): void {
    this.admitTimer = null;
    const group = [...this.joining].filter((s) => s.connected);
    this.joining.clear();
    if (group.length === 0) return;
    const { feed, historyPerSensor } = this.sources;
    const perSensor = Math.max(
      1,
      Math.min(historyPerSensor, Math.floor(HISTORY_BUDGET / Math.max(1, feed.sensorCount))),
    );
    const snapshot = feed.snapshot(perSensor);
    const ids = group.map((s) => s.id);
    this.io.to(ids).emit('feed', { epoch: feed.epoch, seq: snapshot.seq });
    this.io.to(ids).emit('windows', snapshot.records);
    for (const socket of group) {
      this.clients.set(socket, { delivered: snapshot.seq, behind: false });
      void socket.join(LIVE);
    }
  }

  /** True when the client has every window now (it may rejoin the live room). */
  private catchUp(socket: ClientSocket, state: ClientState): boolean {
    if (pendingPackets(socket) > 0) return false;
    const missed = this.sources.feed.since(state.delivered);
    if (missed === null) {
      // Too far behind for the feed: let it reconnect and start from the history.
      socket.disconnect(true);
      return false;
    }
    socket.emit('windows', missed);
    state.delivered = this.sources.feed.position;
    state.behind = false;
    return true;
  }
}

function pendingPackets(socket: ClientSocket): number {
  return (socket.conn as unknown as { writeBuffer?: unknown[] }).writeBuffer?.length ?? 0;
}
