'use client';
/**
 * The dashboard's live state: one socket.io connection (reconnecting on its own), the window
 * history per sensor, and the latest config, simulator status and stats. Window batches are
 * buffered and applied to React state at most every FLUSH_INTERVAL_MS.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
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
import { LatencySample } from '../lib/stats/latency';
import { api } from './api';
import { mergeWindows, type WindowsBySensor } from './windowStore';

const WINDOWS_PER_SENSOR = 120;
const FLUSH_INTERVAL_MS = 250;
const MAX_ALERT_EVENTS = 500;

/** Newest first, each event once (by id), at most MAX_ALERT_EVENTS. */
function withEvents(held: readonly AlertEvent[], added: readonly AlertEvent[]): AlertEvent[] {
  const seen = new Set(held.map((e) => e.id));
  const fresh = added.filter((e) => !seen.has(e.id)).reverse();
  return fresh.length === 0 ? (held as AlertEvent[]) : [...fresh, ...held].slice(0, MAX_ALERT_EVENTS);
}

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

export interface Windowpane {
  connection: ConnectionState;
  windows: WindowsState;
  config: RuntimeConfig | null;
  simulator: SimulatorStatus | null;
  stats: Stats | null;
  /** Window close → arrival on this page, over the last 2 000 live windows; null before any. */
  latency: DeliveryLatency | null;
  /** The newest alert events (at most MAX_ALERT_EVENTS), newest first. */
  alerts: readonly AlertEvent[];
  /** For answers to HTTP calls, which can arrive before the matching socket event. */
  acceptConfig(config: RuntimeConfig): void;
  acceptSimulator(status: SimulatorStatus): void;
}

const EMPTY_WINDOWS: WindowsState = { bySensor: new Map(), received: 0, latestWindowEnd: 0 };

function useThrottledWindows() {
  const [windows, setWindows] = useState<WindowsState>(EMPTY_WINDOWS);
  const buffer = useRef<WindowResultRecord[]>([]);
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const lastFlush = useRef(0);

  const flush = useCallback(() => {
    timer.current = null;
    lastFlush.current = Date.now();
    const records = buffer.current;
    buffer.current = [];
    if (records.length === 0) return;
    setWindows((prev) => {
      const merged = mergeWindows(prev.bySensor, records, WINDOWS_PER_SENSOR);
      return {
        bySensor: merged.windows,
        received: prev.received + merged.inserted,
        latestWindowEnd: Math.max(prev.latestWindowEnd, merged.latestWindowEnd),
      };
    });
  }, []);

  const push = useCallback(
    (records: WindowResultRecord[]) => {
      if (!Array.isArray(records) || records.length === 0) return;
      for (const r of records) buffer.current.push(r);
      if (timer.current !== null) return;
      const wait = Math.max(0, lastFlush.current + FLUSH_INTERVAL_MS - Date.now());
      timer.current = setTimeout(flush, wait);
    },
    [flush],
  );

  const cancel = useCallback(() => {
    if (timer.current !== null) clearTimeout(timer.current);
    timer.current = null;
  }, []);

  return { windows, push, cancel };
}

export function useWindowpane(): Windowpane {
  const [connection, setConnection] = useState<ConnectionState>('disconnected');
  const [config, setConfig] = useState<RuntimeConfig | null>(null);
  const [simulator, setSimulator] = useState<SimulatorStatus | null>(null);
  const [stats, setStats] = useState<Stats | null>(null);
  const [latency, setLatency] = useState<DeliveryLatency | null>(null);
  const [alerts, setAlerts] = useState<readonly AlertEvent[]>([]);
  const { windows, push, cancel } = useThrottledWindows();

  useEffect(() => {
    // Resume point: after a reconnect the server sends only the windows this page missed.
    const resume: { epoch?: string; after?: number } = {};
    const socket: Socket<ServerToClientEvents, ClientToServerEvents> = io({
      reconnection: true,
      reconnectionDelay: 500,
      reconnectionDelayMax: 5_000,
      auth: (cb) => cb({ ...resume }),
    });
    socket.on('connect', () => setConnection('connected'));
    socket.on('disconnect', () => setConnection('disconnected'));
    // Close → arrival, for windows pushed live (the history sent on connect is not live).
    const sample = new LatencySample();
    let catchingUp = true;
    socket.on('feed', ({ epoch, seq }) => {
      resume.epoch = epoch;
      resume.after = seq;
      catchingUp = true;
    });
    socket.on('windows', (records) => {
      const now = Date.now();
      for (const r of records) if (r.seq > (resume.after ?? 0)) resume.after = r.seq;
      if (!catchingUp) for (const r of records) sample.add(now - r.closedAt);
      catchingUp = false;
      push(records);
    });
    const latencyTimer = setInterval(() => {
      const p50 = sample.percentile(50);
      const p99 = sample.percentile(99);
      if (p50 !== null && p99 !== null) setLatency({ p50, p99 });
    }, 2_000);
    socket.on('config', setConfig);
    socket.on('simulator', setSimulator);
    socket.on('stats', setStats);
    // Pushed oldest first; the page keeps them newest first.
    socket.on('alerts', (events) => setAlerts((held) => withEvents(held, events)));

    // The socket sends config and simulator on connect too; these cover a slow or absent socket.
    let live = true;
    void api.getConfig().then((r) => live && r.ok && setConfig((c) => c ?? r.value));
    void api.getSimulator().then((r) => live && r.ok && setSimulator((s) => s ?? r.value));
    void api.getAlerts(MAX_ALERT_EVENTS).then((r) => live && r.ok && setAlerts((held) => withEvents(held, [...r.value.events].reverse())));

    return () => {
      live = false;
      clearInterval(latencyTimer);
      cancel();
      socket.removeAllListeners();
      socket.disconnect();
    };
  }, [push, cancel]);

  const acceptConfig = useCallback((next: RuntimeConfig) => {
    setConfig((c) => (c && c.version > next.version ? c : next));
  }, []);

  return {
    connection,
    windows,
    config,
    simulator,
    stats,
    latency,
    alerts,
    acceptConfig,
    acceptSimulator: setSimulator,
  };
}
