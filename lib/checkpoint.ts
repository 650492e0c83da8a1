/**
 * The worker's per-partition checkpoint, stored as the metadata of the consumer-group offset it
 * commits inside each Kafka transaction (so output and checkpoint commit together or not at all).
 *
 * The committed offset is where a restarted worker starts reading: the first reading of the
 * oldest window still open. `resumeAt` is the offset after the last reading processed; readings
 * between the two are replayed into the engine to rebuild the open windows, not processed anew.
 */
import { z } from 'zod';
import type { EngineCheckpoint } from './engine/windowEngine';

export interface PartitionCheckpoint extends EngineCheckpoint {
  /** Offset after the last reading processed. */
  resumeAt: number;
}

const checkpointSchema = z.object({
  v: z.literal(1),
  c: z.number().int().nonnegative(),
  w: z.number().nullable(),
  m: z.number().nullable(),
});

export function encodeCheckpoint(cp: PartitionCheckpoint): string {
  return JSON.stringify({ v: 1, c: cp.resumeAt, w: cp.watermarkMs, m: cp.maxEventTimeMs });
}

/** Null for an offset committed without a checkpoint (nothing to replay). */
export function decodeCheckpoint(metadata: string | null | undefined): PartitionCheckpoint | null {
  if (!metadata) return null;
  let parsed: unknown;
  try {
    parsed = JSON.parse(metadata);
  } catch {
    return null;
  }
  const result = checkpointSchema.safeParse(parsed);
  if (!result.success) return null;
  return { resumeAt: result.data.c, watermarkMs: result.data.w, maxEventTimeMs: result.data.m };
}
