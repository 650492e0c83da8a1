/**
 * The wire contract shared by the server, the dashboard and the tests: one schema per
 * message (HTTP bodies, Kafka config/output records, socket.io payloads).
 */
import { z } from 'zod';
import { SIMULATED_VALUES, type SimulatedValues } from './simulation';

const MAX_WINDOW_SECONDS = 86_400;
const MIN_WINDOW_SECONDS = 0.1;
const MAX_LATENESS_SECONDS = 3_600;
const MAX_SENSORS = 100_000;
const MAX_RATE_PER_SENSOR = 1_000;

/**
 * Output topic record value (times in epoch ms); the Kafka key is `sensorId`. The aggregates'
 * JSON text is exact (lib/windowRecord.ts); parsed here, in JavaScript, they are the nearest doubles.
 */
export const windowResultSchema = z.object({
  sensorId: z.string(),
  windowStart: z.number(),
  windowEnd: z.number(),
  count: z.number().int().positive(),
  sum: z.number(),
  min: z.number(),
  max: z.number(),
  mean: z.number(),
});
export type WindowResultRecord = z.infer<typeof windowResultSchema>;

/** Config topic record value: the whole window-size history, so the latest record suffices. */
export const configRecordSchema = z.object({
  version: z.number().int().nonnegative(),
  schedule: z
    .array(z.object({ fromMs: z.number().nullable(), windowMs: z.number().int().positive() }))
    .min(1),
  allowedLatenessMs: z.number().int().nonnegative(),
  updatedAt: z.number(),
});
export type ConfigRecord = z.infer<typeof configRecordSchema>;

const windowSecondsRule = z
  .number({ error: 'must be a number' })
  .refine(Number.isFinite, 'must be a finite number')
  .refine((v) => v >= MIN_WINDOW_SECONDS, `must be at least ${MIN_WINDOW_SECONDS}`)
  .refine((v) => v <= MAX_WINDOW_SECONDS, `must be at most ${MAX_WINDOW_SECONDS}`)
  .refine((v) => Math.abs(v * 1000 - Math.round(v * 1000)) < 1e-6, 'must be a whole number of milliseconds');

/** PUT /api/config body: any subset of the settable fields. */
export const configUpdateSchema = z
  .strictObject({
    windowSeconds: windowSecondsRule.optional(),
    allowedLatenessSeconds: z
      .number({ error: 'must be a number' })
      .refine((v) => v >= 0, 'must be 0 or more')
      .refine((v) => v <= MAX_LATENESS_SECONDS, `must be at most ${MAX_LATENESS_SECONDS}`)
      .refine((v) => Number.isInteger(v * 1000), 'must be a whole number of milliseconds')
      .optional(),
  })
  .refine((b) => b.windowSeconds !== undefined || b.allowedLatenessSeconds !== undefined, {
    message: 'give at least one of windowSeconds, allowedLatenessSeconds',
  });
export type ConfigUpdate = z.infer<typeof configUpdateSchema>;

/** GET /api/config and the socket.io `config` event. */
export interface RuntimeConfig {
  windowSeconds: number;
  allowedLatenessSeconds: number;
  /** Event time (ms) from which the current size applies; null when it always has. */
  effectiveFrom: number | null;
  /** A size change scheduled for a later event time, if any. */
  pending: { windowSeconds: number; effectiveFrom: number } | null;
  schedule: { fromMs: number | null; windowSeconds: number }[];
  version: number;
  updatedAt: number;
}

/** POST /api/simulator/start body (all optional). */
export const simulatorStartSchema = z.strictObject({
  sensors: z
    .number({ error: 'must be a number' })
    .int('must be an integer')
    .min(1, 'must be at least 1')
    .max(MAX_SENSORS, `must be at most ${MAX_SENSORS}`)
    .optional(),
  ratePerSensor: z
    .number({ error: 'must be a number' })
    .refine((v) => v > 0, 'must be greater than 0')
    .refine((v) => v <= MAX_RATE_PER_SENSOR, `must be at most ${MAX_RATE_PER_SENSOR}`)
    .optional(),
  jitterSeconds: z
    .number({ error: 'must be a number' })
    .min(0, 'must be 0 or more')
    .max(60, 'must be at most 60')
    .optional(),
  lateShare: z
    .number({ error: 'must be a number' })
    .min(0, 'must be between 0 and 1')
    .max(1, 'must be between 0 and 1')
    .optional(),
  seed: z.number({ error: 'must be a number' }).int('must be an integer').optional(),
  /** Poisson counts (the seed's flow) or temperature-like decimals. */
  values: z.enum(SIMULATED_VALUES, { error: `must be one of ${SIMULATED_VALUES.join(', ')}` }).optional(),
  /** Key each record by its sensor id; off by default, as most producers send no key. */
  keyed: z.boolean({ error: 'must be true or false' }).optional(),
});
export type SimulatorStart = z.infer<typeof simulatorStartSchema>;

/** GET /api/simulator and the socket.io `simulator` event. */
export interface SimulatorStatus {
  running: boolean;
  sensors: number;
  ratePerSensor: number;
  jitterSeconds: number;
  lateShare: number;
  seed: number;
  values: SimulatedValues;
  keyed: boolean;
  sent: number;
  startedAt: number | null;
}

/**
 * What each worker process publishes to the stats topic about once a second: its counters since
 * it started. Web servers add these up, so the dashboard shows the whole group wherever it runs.
 */
export const workerStatsSchema = z.object({
  instance: z.string().min(1).max(200),
  at: z.number(),
  partitions: z.array(z.number().int().nonnegative()),
  readingsTotal: z.number().nonnegative(),
  windowsTotal: z.number().nonnegative(),
  lateTotal: z.number().nonnegative(),
  invalidTotal: z.number().nonnegative(),
  /** The sensors with the most late readings, at most WORKER_STATS_MAX_SENSORS of them. */
  lateBySensor: z.record(z.string(), z.number().nonnegative()),
  openWindows: z.number().nonnegative(),
  lowestWatermarkMs: z.number().nullable(),
});
export type WorkerStats = z.infer<typeof workerStatsSchema>;

/** The socket.io `stats` event, about once a second. */
export interface Stats {
  at: number;
  kafkaConnected: boolean;
  readingsPerSecond: number;
  windowsPerSecond: number;
  /** Wall-clock time minus the lowest partition watermark (ms); null before any reading. */
  watermarkDelayMs: number | null;
  readingsTotal: number;
  windowsTotal: number;
  lateTotal: number;
  invalidTotal: number;
  lateBySensor: Record<string, number>;
  openWindows: number;
  partitions: number[];
  /** Worker processes heard from in the last 10 s. */
  workers: number;
}

/**
 * A window as pushed to browsers: the output record plus `seq`, its place in this web server's
 * feed, which a reconnecting client hands back (with the feed's `epoch`) to get only what it missed.
 */
export type FeedWindow = WindowResultRecord & {
  seq: number;
  /** When the worker closed the window (epoch ms): its output record's timestamp. */
  closedAt: number;
};

/** The socket.io handshake `auth` payload of a reconnecting client. */
export const resumeSchema = z.strictObject({
  epoch: z.string().max(100).optional(),
  after: z.number().int().nonnegative().optional(),
});

/** Socket.io events the server emits. */
export interface ServerToClientEvents {
  /** Sent on connect, before the first `windows`: the feed position the history brings the client to. */
  feed: (position: { epoch: string; seq: number }) => void;
  windows: (records: FeedWindow[]) => void;
  config: (config: RuntimeConfig) => void;
  simulator: (status: SimulatorStatus) => void;
  stats: (stats: Stats) => void;
}

export type ClientToServerEvents = Record<string, never>;

/** Turns a zod error into one line naming each field and the rule it broke. */
export function describeIssues(error: z.ZodError): string {
  return error.issues
    .map((issue) => {
      if (issue.code === 'unrecognized_keys') return `${issue.keys.join(', ')}: unknown field`;
      const field = issue.path.length ? issue.path.join('.') : 'body';
      return `${field}: ${issue.message}`;
    })
    .join('; ');
}
