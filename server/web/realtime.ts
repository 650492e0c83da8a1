/**
 * socket.io: pushes windows, config, simulator state and stats to browsers.
 *
 * socket.io delivers at most once, so every pushed window carries `seq`, its place in this
 * server's feed. Each batch of windows is serialised once for every client that is up to date (a
 * room broadcast), and new clients get the history in groups, one serialisation per group: with
 * a thousand dashboards, encoding per client was what blocked the server. A client reconnects
 * with `auth: {epoch, after}` and gets exactly the windows it missed (or, if they are no longer
 * kept or the server restarted, the history again; clients replace a window they already have).
 * A client that does not keep up is not written to while its send buffer is full (windows, stats
 * and simulator status alike); it catches up from the feed once it has drained, so one slow browser
 * neither slows the others nor grows server memory without bound.
 *
 * Bounded against abuse (README, Security): at most `maxClients` connections (further ones get a
 * connect_error saying so); a resume or a catch-up of more than `maxResumeWindows` windows is not
 * sent: the client is told to re-read over HTTP (`feed` with `reread: true`, then GET /api/windows);
 * a client whose send buffer has not drained for `readDeadlineMs` (it stopped reading, even if it
 * still answers pings) is disconnected.
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

export interface RealtimeLimits {
  /** Connections held at most (MAX_CLIENTS). */
  maxClients: number;
  /** Windows a resume or catch-up sends at most; beyond it the client re-reads over HTTP. */
  maxResumeWindows: number;
  /** A client whose send buffer has not drained for this long is disconnected. */
  readDeadlineMs: number;
}

const DEFAULT_LIMITS: RealtimeLimits = { maxClients: 2_000, maxResumeWindows: HISTORY_BUDGET, readDeadlineMs: 30_000 };

/** The message a client past MAX_CLIENTS gets in its connect_error (the dashboard shows it). */
export const TOO_MANY_CLIENTS =
  'this server has as many dashboards connected as it serves (MAX_CLIENTS); try again later';

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

/** Since when a socket's send buffer has held packets without draining (absent: it is empty). */
type StuckSince = Map<ClientSocket, number>;

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
  private refused = 0;
  private rereads = 0;
  private readonly stuckSince: StuckSince = new Map();
  private readonly limits: RealtimeLimits;

  constructor(
    httpServer: HttpServer,
    private readonly sources: RealtimeSources,
    private readonly options: {
      dev: boolean;
      /** Host and Origin (every handshake), and who may read the feed (access.ts). */
      site: AccessPolicy;
      /** Window close → push, in seconds. */
      pushDelay: { observe(seconds: number): void };
      limits?: Partial<RealtimeLimits>;
    },
  ) {
    this.limits = { ...DEFAULT_LIMITS, ...options.limits };
    this.io = new Server(httpServer, {
      serveClient: false,
      // In dev, Next's hot reload upgrades on its own path; leave those requests alone.
      destroyUpgrade: !options.dev,
      // A connection that has not joined the feed by then is closed (it holds a place meanwhile).
      connectTimeout: 10_000,
      // Only pages served here (or listed in ALLOWED_ORIGINS), under a name we serve, may open a socket.
      allowRequest: (req, callback) => {
        // Connections still joining count too: at most twice MAX_CLIENTS in all (the namespace checks the rest).
        if (this.io.engine.clientsCount >= 2 * this.limits.maxClients) {
          this.refused++;
          return callback(TOO_MANY_CLIENTS, false);
        }
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
    // Past MAX_CLIENTS: refused with a message, and the connection closed once it has been sent.
    this.io.use((socket, next) => {
      if (this.io.of('/').sockets.size < this.limits.maxClients) return next();
      this.refused++;
      const refusal: Error & { data?: object } = new Error(TOO_MANY_CLIENTS);
      refusal.data = { reason: 'too_many_clients' };
      next(refusal);
      setImmediate(() => socket.conn.close());
    });
    this.io.on('connection', (socket) => this.onConnection(socket));
  }

  start(): void {
    this.timer = setInterval(() => {
      const slow = this.disconnectStalled(Date.now());
      this.latestStats = this.sources.stats();
      // Serialised once for every client that is reading; none for those whose buffer is full.
      const reading = slow.length > 0 ? this.io.except(slow) : this.io;
      reading.emit('stats', this.latestStats);
      // The simulator's `sent` count moves all the time; refresh it with the stats, not per send.
      const simulator = this.sources.simulator();
      if (simulator && simulator.sent !== this.lastSent) {
        this.lastSent = simulator.sent;
        reading.emit('simulator', simulator);
      }
      for (const [socket, state] of this.clients)
        if (state.behind && this.catchUp(socket, state)) void socket.join(LIVE);
    }, 1_000);
  }

  /**
   * Disconnects the clients whose last write has not completed for the read deadline (they stopped
   * reading: answering pings is not enough) and returns the ids of those not to write to now: a
   * write still under way since the last tick, or a full send buffer.
   */
  private disconnectStalled(now: number): string[] {
    const slow: string[] = [];
    for (const socket of this.io.of('/').sockets.values()) {
      if (transportWritable(socket)) {
        this.stuckSince.delete(socket);
        continue;
      }
      const since = this.stuckSince.get(socket) ?? now;
      this.stuckSince.set(socket, since);
      if (now - since >= this.limits.readDeadlineMs) {
        log.warn(
          { socket: socket.id, pending: pendingPackets(socket) },
          'socket.io client stopped reading; disconnected',
        );
        // Discarding what is buffered: a graceful close would wait for a drain that never comes.
        socket.conn.close(true);
      } else if (since < now || pendingPackets(socket) > MAX_PENDING_PACKETS) slow.push(socket.id);
    }
    return slow;
  }

  get socketClients(): number {
    return this.clients.size;
  }

  /** Times a client was skipped because its send buffer was full. */
  get slowClientDrops(): number {
    return this.drops;
  }

  /** Connections refused because MAX_CLIENTS were connected. */
  get refusedClients(): number {
    return this.refused;
  }

  /** Resumes and catch-ups answered with "re-read over HTTP" because they were too long. */
  get rereadsAsked(): number {
    return this.rereads;
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
    socket.conn.on('drain', () => this.stuckSince.delete(socket));
    socket.on('disconnect', () => {
      this.clients.delete(socket);
      this.joining.delete(socket);
      this.stuckSince.delete(socket);
    });
    if (epoch === feed.epoch && after !== undefined && this.tooFarBehind(after)) {
      this.askToReread(socket);
      this.clients.set(socket, { delivered: feed.position, behind: false });
      void socket.join(LIVE);
      return;
    }
    const missed = epoch === feed.epoch && after !== undefined ? feed.since(after) : null;
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

  /** More windows after feed position `after` than a resume or catch-up sends (seqs are consecutive). */
  private tooFarBehind(after: number): boolean {
    return this.sources.feed.position - after > this.limits.maxResumeWindows;
  }

  /** Brings the client to the feed's position without its windows: it reads what it missed over HTTP. */
  private askToReread(socket: ClientSocket): void {
    this.rereads++;
    socket.emit('feed', { epoch: this.sources.feed.epoch, seq: this.sources.feed.position, reread: true });
  }

  /** True when the client has every window now (it may rejoin the live room). */
  private catchUp(socket: ClientSocket, state: ClientState): boolean {
    if (pendingPackets(socket) > 0) return false;
    if (this.tooFarBehind(state.delivered)) {
      this.askToReread(socket);
      state.delivered = this.sources.feed.position;
      state.behind = false;
      return true;
    }
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

/** False while the transport is still writing what it was last given (engine.io takes no more until then). */
function transportWritable(socket: ClientSocket): boolean {
  return (socket.conn as unknown as { transport?: { writable?: boolean } }).transport?.writable !== false;
}

function pendingPackets(socket: ClientSocket): number {
  return (socket.conn as unknown as { writeBuffer?: unknown[] }).writeBuffer?.length ?? 0;
}
