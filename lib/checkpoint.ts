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
import { parseRecord } from './parseRecord';

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

/** The metadata as `schema` reads it; null when there is none or it is something else. */
function parseMetadata<T>(metadata: string | null | undefined, schema: z.ZodType<T>): T | null {
  const parsed = parseRecord(metadata, schema);
  return parsed.ok ? parsed.value : null;
}

/** Null for an offset committed without a checkpoint (nothing to replay). */
export function decodeCheckpoint(metadata: string | null | undefined): PartitionCheckpoint | null {
  const cp = parseMetadata(metadata, checkpointSchema);
  return cp && { resumeAt: cp.c, watermarkMs: cp.w, maxEventTimeMs: cp.m };
}

/** The merge stage's checkpoint: where to resume, and each input partition's watermark then. */
export interface MergePartitionCheckpoint {
  resumeAt: number;
  sourceWatermarks: (number | null)[];
}

const mergeCheckpointSchema = z.object({
  v: z.literal(1),
  k: z.literal('merge'),
  c: z.number().int().nonnegative(),
  s: z.array(z.number().nullable()),
});

/** Kafka keeps at most 4 096 bytes of offset metadata by default: about 250 input partitions here. */
export function encodeMergeCheckpoint(cp: MergePartitionCheckpoint): string {
  return JSON.stringify({ v: 1, k: 'merge', c: cp.resumeAt, s: cp.sourceWatermarks });
}

export function decodeMergeCheckpoint(metadata: string | null | undefined): MergePartitionCheckpoint | null {
  const cp = parseMetadata(metadata, mergeCheckpointSchema);
  return cp && { resumeAt: cp.c, sourceWatermarks: cp.s };
}
