/** The socket.io feed: its handshake and the events the server emits. */
import { z } from 'zod';
import type { AlertEvent } from './alerts';
import type { RuntimeConfig } from './config';
import type { SimulatorStatus } from './simulator';
import type { Stats } from './stats';
import type { WindowResultRecord } from './windows';

/**
 * A window as pushed to browsers: the output record plus `seq`, its place in this web server's
 * feed, which a reconnecting client hands back (with the feed's `epoch`) to get only what it missed.
 */
export type FeedWindow = WindowResultRecord & {
  seq: number;
  /** When the worker closed the window (epoch ms): its output record's timestamp. */
  closedAt: number;
};

/**
 * The socket.io handshake `auth` payload: where a reconnecting client resumes, and the read (or
 * control) token a client beyond loopback needs (server/web/http/access.ts).
 */
export const resumeSchema = z.strictObject({
  epoch: z.string().max(100).optional(),
  after: z.number().int().nonnegative().optional(),
  token: z.string().max(1_000).optional(),
});

/** Socket.io events the server emits. */
export interface ServerToClientEvents {
  /**
   * Sent on connect, before the first `windows`: the feed position the history brings the client
   * to. With `reread`, no windows come up to that position (a resume or catch-up longer than the
   * server sends): the client reads them over HTTP (GET /api/windows) instead.
   */
  feed: (position: { epoch: string; seq: number; reread?: boolean }) => void;
  windows: (records: FeedWindow[]) => void;
  config: (config: RuntimeConfig) => void;
  simulator: (status: SimulatorStatus) => void;
  stats: (stats: Stats) => void;
  /** New alert events (lib/alerts/evaluator.ts), oldest first, as they happen. */
  alerts: (events: AlertEvent[]) => void;
}

export type ClientToServerEvents = Record<string, never>;
