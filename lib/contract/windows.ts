/** The output topic's record: what the worker emits for each closed window. */
import { z } from 'zod';

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
  // The extra aggregates a definition chooses (lib/aggregates/choice.ts); absent when not chosen.
  variance: z.number().optional(),
  stddev: z.number().optional(),
  first: z.number().optional(),
  last: z.number().optional(),
  p50: z.number().optional(),
  p90: z.number().optional(),
  p95: z.number().optional(),
  p99: z.number().optional(),
});
export type WindowResultRecord = z.infer<typeof windowResultSchema>;
