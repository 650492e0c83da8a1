/** "What if" re-windowing: POST /api/rewindow, GET and DELETE /api/rewindow/<id>. */
import { z } from 'zod';
import { wholeWindowRange } from '../rewindow/plan';
import { windowSecondsRule } from './config';
import type { WindowResultRecord } from './windows';

/** A "what if" re-windowing covers at most this much event time (24 h): it reads the input topic back. */
const MAX_REWINDOW_RANGE_MS = 24 * 3_600_000;
/** Windows per sensor a re-window may produce (24 h of 1 s windows fit): more is no chart. */
const MAX_REWINDOW_WINDOWS_PER_SENSOR = 100_000;

const rewindowTime = z
  .number({ error: 'must be a time in epoch milliseconds' })
  .refine(
    (n) => Number.isSafeInteger(n) && n >= 0 && n <= 8_640_000_000_000_000,
    'must be a time in epoch milliseconds',
  );

/**
 * POST /api/rewindow body: recompute the windows of [from, to) (epoch ms, event time) at another
 * size from the input topic. Only whole windows inside the range are computed (see
 * lib/rewindow/plan.ts wholeWindowRange), so at least one must fit.
 */
export const rewindowRequestSchema = z
  .strictObject({
    from: rewindowTime,
    to: rewindowTime,
    windowSeconds: windowSecondsRule,
    sensorId: z
      .string({ error: 'must be a string' })
      .min(1, 'must not be empty')
      .max(256, 'must be at most 256 characters')
      .optional(),
  })
  .superRefine((r, ctx) => {
    // zod runs this even when a field broke its own rule: then that rule's message is the one to read.
    if (!rewindowTime.safeParse(r.from).success || !rewindowTime.safeParse(r.to).success) return;
    if (r.to <= r.from) return void ctx.addIssue({ code: 'custom', path: ['to'], message: 'must be after from' });
    if (r.to - r.from > MAX_REWINDOW_RANGE_MS) {
      return void ctx.addIssue({ code: 'custom', path: ['to'], message: 'must be at most 24 hours after from' });
    }
    if (!windowSecondsRule.safeParse(r.windowSeconds).success) return;
    const windowMs = Math.round(r.windowSeconds * 1000);
    const whole = wholeWindowRange(r.from, r.to, windowMs);
    if (whole === null) {
      const message = 'must leave at least one whole window between from and to (windows are aligned to the epoch)';
      ctx.addIssue({ code: 'custom', path: ['windowSeconds'], message });
    } else if ((whole.toMs - whole.fromMs) / windowMs > MAX_REWINDOW_WINDOWS_PER_SENSOR) {
      const message =
        `gives more than ${MAX_REWINDOW_WINDOWS_PER_SENSOR} windows per sensor in that range; ` +
        'choose a larger size or a shorter range';
      ctx.addIssue({ code: 'custom', path: ['windowSeconds'], message });
    }
  });
export type RewindowRequest = z.infer<typeof rewindowRequestSchema>;

export type RewindowStatus = 'running' | 'done' | 'cancelled' | 'failed';

export interface RewindowProgress {
  readRecords: number;
  /** Records between the start and end offsets: an estimate (an upper bound) from offsets. */
  totalRecords: number;
  /** 0–1; 1 once done. */
  fraction: number;
}

/** Records read that are in no recomputed window. */
export interface RewindowSkipped {
  /** Refused by the decoder, as the worker would (dead-lettered live). */
  invalid: number;
  /** Valid, with an event time outside the whole windows of the range (the margin read before it, later readings). */
  outsideRange: number;
  /** Valid and in the range, of another sensor than the one asked for. */
  otherSensors: number;
}

/** POST /api/rewindow (202), GET and DELETE /api/rewindow/<id>. */
export interface RewindowJob {
  id: string;
  status: RewindowStatus;
  request: RewindowRequest;
  /** The whole windows inside [request.from, request.to): the event times the result covers. */
  range: { from: number; to: number };
  startedAt: number;
  finishedAt: number | null;
  progress: RewindowProgress;
  /** When done: every window of the range (of `sensorId` if given), ordered by start, then sensor. */
  result?: { windows: WindowResultRecord[]; skipped: RewindowSkipped };
  /** When failed: why, as a sentence. */
  error?: string;
}
