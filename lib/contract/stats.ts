/** Counters: what each worker publishes to the stats topic, and the group's sum pushed to browsers. */
import { z } from 'zod';

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
