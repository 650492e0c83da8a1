/**
 * Records of the internal partials topic, between the two windowing stages: a partial window of one
 * input partition (keyed by sensor id, so each sensor's partials meet in one merge task), and a
 * watermark marker each input partition sends to every partials partition. Decimals travel as exact
 * parts. Only windowpane writes these; a record that does not parse is a bug, reported as such.
 */
import { z } from 'zod';
import { decimalFromParts, decimalParts } from './decimal';
import type { WindowResult } from './engine/windowEngine';

const parts = z.tuple([z.string(), z.number().int().nonnegative()]);
const partialSchema = z.object({
  t: z.literal('p'),
  src: z.number().int().nonnegative(),
  id: z.string(),
  ws: z.number(),
  we: z.number(),
  n: z.number().int().positive(),
  sum: parts,
  min: parts,
  max: parts,
});
const watermarkSchema = z.object({ t: z.literal('w'), src: z.number().int().nonnegative(), wm: z.number() });
const recordSchema = z.discriminatedUnion('t', [partialSchema, watermarkSchema]);

export type PartialsRecord = { kind: 'partial'; source: number; window: WindowResult } | { kind: 'watermark'; source: number; watermarkMs: number };

export function encodePartial(source: number, w: WindowResult): string {
  return JSON.stringify({
    t: 'p',
    src: source,
    id: w.sensorId,
    ws: w.windowStart,
    we: w.windowEnd,
    n: w.count,
    sum: decimalParts(w.sum),
    min: decimalParts(w.min),
    max: decimalParts(w.max),
  });
}

export function encodeWatermark(source: number, watermarkMs: number): string {
  return JSON.stringify({ t: 'w', src: source, wm: watermarkMs });
}

export function decodePartialsRecord(value: Buffer | null): PartialsRecord | { error: string } {
  let parsed: unknown;
  try {
    parsed = JSON.parse(value?.toString('utf8') ?? 'null');
  } catch {
    return { error: 'not JSON' };
  }
  const result = recordSchema.safeParse(parsed);
  if (!result.success) return { error: result.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ') };
  const r = result.data;
  if (r.t === 'w') return { kind: 'watermark', source: r.src, watermarkMs: r.wm };
  return {
    kind: 'partial',
    source: r.src,
    window: {
      sensorId: r.id,
      windowStart: r.ws,
      windowEnd: r.we,
      count: r.n,
      sum: decimalFromParts(...r.sum),
      min: decimalFromParts(...r.min),
      max: decimalFromParts(...r.max),
    },
  };
}
