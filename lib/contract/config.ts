/** The window settings: the config topic's record, PUT /api/config and what GET /api/config answers. */
import { z } from 'zod';
import { CALENDAR_UNITS, isTimeZone, type CalendarWindow } from '../calendarUnits';

const MAX_WINDOW_SECONDS = 86_400;
const MIN_WINDOW_SECONDS = 0.1;
const MAX_LATENESS_SECONDS = 3_600;

const calendarSchema = z.object({ unit: z.enum(CALENDAR_UNITS), timeZone: z.string() });

/** Config topic record value: the whole window-size history, so the latest record suffices. */
export const configRecordSchema = z.object({
  version: z.number().int().nonnegative(),
  schedule: z
    .array(
      z.object({
        fromMs: z.number().nullable(),
        windowMs: z.number().int().positive(),
        // A calendar-aligned size; windowMs is then its nominal length.
        calendar: calendarSchema.optional(),
      }),
    )
    .min(1),
  allowedLatenessMs: z.number().int().nonnegative(),
  updatedAt: z.number(),
});
export type ConfigRecord = z.infer<typeof configRecordSchema>;

/** A window size in seconds, as PUT /api/config and POST /api/rewindow take it. */
export const windowSecondsRule = z
  .number({ error: 'must be a number' })
  .refine(Number.isFinite, 'must be a finite number')
  .refine((v) => v >= MIN_WINDOW_SECONDS, `must be at least ${MIN_WINDOW_SECONDS}`)
  .refine((v) => v <= MAX_WINDOW_SECONDS, `must be at most ${MAX_WINDOW_SECONDS}`)
  .refine((v) => Math.abs(v * 1000 - Math.round(v * 1000)) < 1e-6, 'must be a whole number of milliseconds');

/** PUT /api/config body: any subset of the settable fields. */
export const configUpdateSchema = z
  .strictObject({
    windowSeconds: windowSecondsRule.optional(),
    calendar: z.enum(CALENDAR_UNITS, { error: `must be one of ${CALENDAR_UNITS.join(', ')}` }).optional(),
    timeZone: z
      .string({ error: 'must be a string' })
      .refine(isTimeZone, 'must be an IANA time zone name such as Europe/Helsinki or UTC')
      .optional(),
    allowedLatenessSeconds: z
      .number({ error: 'must be a number' })
      .refine((v) => v >= 0, 'must be 0 or more')
      .refine((v) => v <= MAX_LATENESS_SECONDS, `must be at most ${MAX_LATENESS_SECONDS}`)
      .refine((v) => Number.isInteger(v * 1000), 'must be a whole number of milliseconds')
      .optional(),
  })
  .refine((b) => b.windowSeconds !== undefined || b.calendar !== undefined || b.allowedLatenessSeconds !== undefined, {
    message: 'give at least one of windowSeconds, calendar, allowedLatenessSeconds',
  })
  .refine((b) => b.windowSeconds === undefined || b.calendar === undefined, {
    path: ['calendar'],
    message: 'give windowSeconds or calendar, not both',
  })
  .refine((b) => (b.calendar === undefined) === (b.timeZone === undefined), {
    path: ['timeZone'],
    message: 'goes with calendar: give both or neither',
  });
export type ConfigUpdate = z.infer<typeof configUpdateSchema>;

/** GET /api/config and the socket.io `config` event. */
export interface RuntimeConfig {
  /** For a calendar size, its nominal length (a day: 86 400, whatever the clocks do). */
  windowSeconds: number;
  /** The calendar period in force, or null for a fixed size. */
  calendar: CalendarWindow | null;
  allowedLatenessSeconds: number;
  /** Event time (ms) from which the current size applies; null when it always has. */
  effectiveFrom: number | null;
  /** A size change scheduled for a later event time, if any. */
  pending: { windowSeconds: number; calendar: CalendarWindow | null; effectiveFrom: number } | null;
  schedule: { fromMs: number | null; windowSeconds: number; calendar: CalendarWindow | null }[];
  version: number;
  updatedAt: number;
  /** The aggregates each window carries beyond count, sum, min, max and mean (WINDOW_AGGREGATES). */
  aggregates: string[];
  /** The quantile sketch's relative accuracy: a p50…p99 is within this fraction of the exact quantile. */
  quantileRelativeAccuracy: number;
}
