/**
 * The dashboard's live state outside React: one socket.io connection (reconnecting on its own),
 * the window history per sensor, and the latest config, simulator status, stats and alerts.
 * React reads it with useSyncExternalStore (useWindowpane.ts): `getSnapshot` returns the same
 * object until something changed, and window batches are applied at most every FLUSH_INTERVAL_MS
 * so a busy feed does not re-render the page per batch.
 */
import { io, type Socket } from 'socket.io-client';
import type {
  AlertEvent,
  ClientToServerEvents,
  RuntimeConfig,
  ServerToClientEvents,
  SimulatorStatus,
  Stats,
  WindowResultRecord,
} from '@/lib/contract';
import { LatencySample } from '@/lib/stats/latency';
import { alertsApi } from '@/components/alerts/alertsApi';
import { controlsApi } from '@/components/dashboard/controlsApi';
import { mergeWindows, type WindowsBySensor } from '@/components/dashboard/windowsBySensor';
import { askForToken, forgetToken, savedToken } from '@/components/shared/controlToken';

const WINDOWS_PER_SENSOR = 120;
const FLUSH_INTERVAL_MS = 250;
const MAX_ALERT_EVENTS = 500;
/** Windows read over HTTP when the server asks for a re-read (GET /api/windows' largest `limit`). */
const REREAD_WINDOWS = 10_000;
/** After a refusal for MAX_CLIENTS, when to try again (the server does not reconnect refused clients). */
const REFUSED_RETRY_MS = 15_000;

export type ConnectionState = 'connected' | 'disconnected';

export interface WindowsState {
  bySensor: WindowsBySensor;
  /** Distinct windows this page has received (replacements are not counted again). */
  received: number;
  /** windowEnd (epoch ms) of the newest window received; 0 before any. */
  latestWindowEnd: number;
}

export interface DeliveryLatency {
  p50: number;
  p99: number;
}

export interface LiveState {
  connection: ConnectionState;
  /** Why the server refused the connection (e.g. MAX_CLIENTS reached); null when it did not. */
  refusal: string | null;
  windows: WindowsState;
  config: RuntimeConfig | null;
  simulator: SimulatorStatus | null;
  stats: Stats | null;
  /** Window close → arrival on this page, over the last 2 000 live windows; null before any. */
  latency: DeliveryLatency | null;
  /** The newest alert events (at most MAX_ALERT_EVENTS), newest first. */
  alerts: readonly AlertEvent[];
}

export const INITIAL_STATE: LiveState = {
  connection: 'disconnected',
  refusal: null,
  windows: { bySensor: new Map(), received: 0, latestWindowEnd: 0 },
  config: null,
  simulator: null,
  stats: null,
  latency: null,
  alerts: [],
};

/** Newest first, each event once (by id), at most MAX_ALERT_EVENTS. */
export function withEvents(held: readonly AlertEvent[], added: readonly AlertEvent[]): readonly AlertEvent[] {
  const seen = new Set(held.map((e) => e.id));
  const fresh = added.filter((e) => !seen.has(e.id)).reverse();
  return fresh.length === 0 ? held : [...fresh, ...held].slice(0, MAX_ALERT_EVENTS);
}

export class LiveStore {
  private state: LiveState = INITIAL_STATE;
  private readonly listeners = new Set<() => void>();
  private buffer: WindowResultRecord[] = [];
  private flushTimer: ReturnType<typeof setTimeout> | null = null;
  private lastFlush = 0;
  private stopSocket: (() => void) | null = null;

  readonly subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  readonly getSnapshot = (): LiveState => this.state;

  private set(change: Partial<LiveState>): void {
    this.state = { ...this.state, ...change };
    for (const listener of this.listeners) listener();
  }

  /** Config from an HTTP answer, which can arrive before the socket's; an older version never wins. */
  acceptConfig(next: RuntimeConfig): void {
    const held = this.state.config;
    if (!held || held.version <= next.version) this.set({ config: next });
  }

  acceptSimulator(status: SimulatorStatus): void {
    this.set({ simulator: status });
  }

  start(): void {
    if (this.stopSocket) return;
    // Resume point: after a reconnect the server sends only the windows this page missed.
    const resume: { epoch?: string; after?: number } = {};
    let live = true;
    let sentToken: string | null = null;
    const socket: Socket<ServerToClientEvents, ClientToServerEvents> = io({
      reconnection: true,
      reconnectionDelay: 500,
      reconnectionDelayMax: 5_000,
      // Beyond loopback the feed needs the read (or control) token the page holds.
      auth: (cb) => {
        sentToken = savedToken();
        cb({ ...resume, ...(sentToken ? { token: sentToken } : {}) });
      },
    });
    // Refused for want of a token: the server does not retry, so ask (once for the whole page) and reconnect.
    socket.on('connect_error', (error: Error & { data?: { status?: number } }) => {
      if (error.data?.status !== 401) return;
      forgetToken(sentToken);
      void askForToken(error.message, { read: true }).then((given) => given && live && socket.connect());
    });
    // Refused because the server holds MAX_CLIENTS connections: say so, and try again later.
    let retryTimer: ReturnType<typeof setTimeout> | undefined;
    socket.on('connect_error', (error: Error & { data?: { reason?: string } }) => {
      if (error.data?.reason !== 'too_many_clients') return;
      this.set({ refusal: error.message });
      clearTimeout(retryTimer);
      retryTimer = setTimeout(() => live && socket.connect(), REFUSED_RETRY_MS);
    });
    socket.on('connect', () => this.set({ connection: 'connected', refusal: null }));
    socket.on('disconnect', () => this.set({ connection: 'disconnected' }));
    // Close → arrival, for windows pushed live (the history sent on connect is not live).
    const sample = new LatencySample();
    let catchingUp = true;
    socket.on('feed', ({ epoch, seq, reread }) => {
      resume.epoch = epoch;
      resume.after = seq;
      catchingUp = true;
      // Missed more windows than the server sends over the socket: read the latest over HTTP.
      if (reread) void controlsApi.latestWindows(REREAD_WINDOWS).then((r) => live && r.ok && this.push(r.data));
    });
    socket.on('windows', (records) => {
      const now = Date.now();
      for (const r of records) if (r.seq > (resume.after ?? 0)) resume.after = r.seq;
      if (!catchingUp) for (const r of records) sample.add(now - r.closedAt);
      catchingUp = false;
      this.push(records);
    });
    const latencyTimer = setInterval(() => {
      const p50 = sample.percentile(50);
      const p99 = sample.percentile(99);
      if (p50 !== null && p99 !== null) this.set({ latency: { p50, p99 } });
    }, 2_000);
    socket.on('config', (config) => this.set({ config }));
    socket.on('simulator', (simulator) => this.set({ simulator }));
    socket.on('stats', (stats) => this.set({ stats }));
    // Pushed oldest first; the page keeps them newest first.
    socket.on('alerts', (events) => this.set({ alerts: withEvents(this.state.alerts, events) }));

    // The socket sends config and simulator on connect too; these cover a slow or absent socket.
    void controlsApi.getConfig().then((r) => live && r.ok && !this.state.config && this.set({ config: r.data }));
    void controlsApi
      .getSimulator()
      .then((r) => live && r.ok && !this.state.simulator && this.set({ simulator: r.data }));
    void alertsApi
      .getEvents(MAX_ALERT_EVENTS)
      .then((r) => live && r.ok && this.set({ alerts: withEvents(this.state.alerts, [...r.data.events].reverse()) }));

    this.stopSocket = () => {
      live = false;
      clearInterval(latencyTimer);
      clearTimeout(retryTimer);
      socket.removeAllListeners();
      socket.disconnect();
    };
  }

  stop(): void {
    this.stopSocket?.();
    this.stopSocket = null;
    if (this.flushTimer !== null) clearTimeout(this.flushTimer);
    this.flushTimer = null;
  }

  private push(records: WindowResultRecord[]): void {
    if (!Array.isArray(records) || records.length === 0) return;
    for (const r of records) this.buffer.push(r);
    if (this.flushTimer !== null) return;
    const wait = Math.max(0, this.lastFlush + FLUSH_INTERVAL_MS - Date.now());
    this.flushTimer = setTimeout(() => this.flush(), wait);
  }

  private flush(): void {
    this.flushTimer = null;
    this.lastFlush = Date.now();
    const records = this.buffer;
    this.buffer = [];
    if (records.length === 0) return;
    const held = this.state.windows;
    const merged = mergeWindows(held.bySensor, records, WINDOWS_PER_SENSOR);
    this.set({
      windows: {
        bySensor: merged.windows,
        received: held.received + merged.inserted,
        latestWindowEnd: Math.max(held.latestWindowEnd, merged.latestWindowEnd),
      },
    });
  }
}
