/** The output topic's record: what the worker emits for each closed window. */
import { z } from 'zod';
import { EXTRA_AGGREGATES, type ExtraAggregate } from '../aggregates/choice';

/** The extra aggregates a definition chooses (lib/aggregates/choice.ts); each absent when not chosen. */
const extraAggregates = Object.fromEntries(EXTRA_AGGREGATES.map((a) => [a, z.number().optional()])) as Record<
  ExtraAggregate,
  z.ZodOptional<z.ZodNumber>
>;

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
  ...extraAggregates,
});
export type WindowResultRecord = z.infer<typeof windowResultSchema>;
