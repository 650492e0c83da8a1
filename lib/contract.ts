/**
 * The wire contract shared by the server, the dashboard and the tests: one schema per
 * message (HTTP bodies, Kafka config/output records, socket.io payloads).
 */
import { z } from 'zod';
import { SIMULATED_VALUES, type SimulatedValues } from './simulation';
import { ALERT_METRICS, ALERT_OPS, MAX_ALERT_FOR_WINDOWS, MAX_ALERT_RULES } from './alerts/vocabulary';

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
  /** New alert events (lib/alerts/evaluator.ts), oldest first, as they happen. */
  alerts: (events: AlertEvent[]) => void;
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

// ── Operations view (GET /api/operations, /api/dead-letters, /api/late; POST /api/dead-letters/redrive) ──

/** One partition the worker group consumes: where the group is, where the log ends, and its watermark. */
export interface PartitionProgress {
  partition: number;
  /** The group's committed offset; null when it has committed nothing here. */
  committed: number | null;
  /** The last stable offset (what read_committed consumers can reach). */
  end: number;
  /** Records from the committed offset (or the log start) to the end. */
  lag: number;
  /** The watermark in the committed checkpoint (epoch ms); null without one. */
  watermarkMs: number | null;
  /** Merge stage only: each input partition's watermark as the checkpoint holds it. */
  sourceWatermarksMs?: (number | null)[];
}

export interface TopicProgress {
  topic: string;
  partitions: PartitionProgress[];
  /** Sum of the partitions' lag. */
  lag: number;
}

export interface GroupMemberView {
  memberId: string;
  clientId: string;
  host: string;
  /** Partitions the group gave this member; null when its assignment could not be decoded (e.g. mid-rebalance). */
  assignment: { topic: string; partitions: number[] }[] | null;
}

/** GET /api/operations */
export interface OperationsOverview {
  at: number;
  groupId: string;
  /** The group's state as the coordinator reports it (Stable, PreparingRebalance, Empty, …). */
  state: string;
  input: TopicProgress;
  /** The partials topic, when the group reads it (input not keyed by sensor). */
  partials: TopicProgress | null;
  members: GroupMemberView[];
  totals: {
    lag: number;
    members: number;
    /** Lowest input-partition watermark among the committed checkpoints. */
    lowestWatermarkMs: number | null;
  };
  /** The group's counters (as GET /api/stats); the page differences two samples for per-second rates. */
  counters: { at: number; windowsTotal: number; lateTotal: number; invalidTotal: number } | null;
}

/** Bytes as text when they are valid UTF-8, else base64. */
export interface BytesView {
  encoding: 'utf8' | 'base64';
  data: string;
  /** Size of the original bytes. */
  bytes: number;
  /** Only the first bytes are shown (the full record is in the topic, and a redrive sends all of it). */
  truncated: boolean;
}

/** A record set aside (dead letter or late reading), as GET /api/dead-letters and /api/late list it. */
export interface AsideRecordView {
  topic: string;
  partition: number;
  offset: string;
  timestamp: number;
  reason: string | null;
  /** Where the record was read from (its headers); null fields when a header is missing. */
  source: { topic: string | null; partition: number | null; offset: string | null };
  key: BytesView | null;
  value: BytesView | null;
  /** Dead letters: when this record was last redriven (epoch ms); null when never. */
  redrivenAt?: number | null;
}

export interface AsideRecordsPage {
  /** Null when the topic is turned off (LATE_TOPIC=none). */
  topic: string | null;
  /** Newest first. */
  records: AsideRecordView[];
}

const MAX_REDRIVE_RECORDS = 100;

/** POST /api/dead-letters/redrive body. */
export const redriveRequestSchema = z
  .strictObject({
    records: z
      .array(
        z.strictObject({
          partition: z.number({ error: 'must be a number' }).int('must be an integer').min(0, 'must be 0 or more'),
          offset: z.string({ error: 'must be a string of digits' }).regex(/^\d{1,19}$/, 'must be a string of digits'),
          /** Replaces the original value ("fixed"); the original is sent when absent. */
          value: z.string({ error: 'must be a string' }).optional(),
        }),
        { error: 'must be an array' },
      )
      .min(1, 'must hold at least 1 record')
      .max(MAX_REDRIVE_RECORDS, `must hold at most ${MAX_REDRIVE_RECORDS} records`),
    /** Redrive records even when they were redriven before. */
    again: z.boolean({ error: 'must be true or false' }).optional(),
  })
  .superRefine((body, ctx) => {
    const seen = new Set<string>();
    body.records.forEach((r, i) => {
      const id = `${r.partition}/${r.offset}`;
      if (seen.has(id)) ctx.addIssue({ code: 'custom', path: ['records', i], message: `repeats partition ${r.partition} offset ${r.offset}` });
      seen.add(id);
    });
  });
export type RedriveRequest = z.infer<typeof redriveRequestSchema>;

export type RedriveResult =
  | { partition: number; offset: string; status: 'redriven'; replaced: boolean; to: { topic: string; partition: number; offset: string } | null }
  | { partition: number; offset: string; status: 'refused'; reason: string };

/** POST /api/dead-letters/redrive answer: all records are redriven (200), or none is (4xx, `error` says why). */
export interface RedriveOutcome {
  error?: string;
  redriven: number;
  refused: number;
  results: RedriveResult[];
}

/** A "what if" re-windowing covers at most this much event time (24 h): it reads the input topic back. */
export const MAX_REWINDOW_RANGE_MS = 24 * 3_600_000;
/** Windows per sensor a re-window may produce (24 h of 1 s windows fit): more is no chart. */
export const MAX_REWINDOW_WINDOWS_PER_SENSOR = 100_000;

const rewindowTime = z
  .number({ error: 'must be a time in epoch milliseconds' })
  .refine((n) => Number.isSafeInteger(n) && n >= 0 && n <= 8_640_000_000_000_000, 'must be a time in epoch milliseconds');

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
    sensorId: z.string({ error: 'must be a string' }).min(1, 'must not be empty').max(256, 'must be at most 256 characters').optional(),
  })
  .superRefine((r, ctx) => {
    // zod runs this even when a field broke its own rule: then that rule's message is the one to read.
    if (!rewindowTime.safeParse(r.from).success || !rewindowTime.safeParse(r.to).success) return;
    if (r.to <= r.from) return void ctx.addIssue({ code: 'custom', path: ['to'], message: 'must be after from' });
    if (r.to - r.from > MAX_REWINDOW_RANGE_MS) return void ctx.addIssue({ code: 'custom', path: ['to'], message: 'must be at most 24 hours after from' });
    if (!windowSecondsRule.safeParse(r.windowSeconds).success) return;
    const windowMs = Math.round(r.windowSeconds * 1000);
    const first = Math.ceil(r.from / windowMs) * windowMs;
    const last = Math.floor(r.to / windowMs) * windowMs;
    if (last <= first) ctx.addIssue({ code: 'custom', path: ['windowSeconds'], message: 'must leave at least one whole window between from and to (windows are aligned to the epoch)' });
    else if ((last - first) / windowMs > MAX_REWINDOW_WINDOWS_PER_SENSOR) {
      ctx.addIssue({ code: 'custom', path: ['windowSeconds'], message: `gives more than ${MAX_REWINDOW_WINDOWS_PER_SENSOR} windows per sensor in that range; choose a larger size or a shorter range` });
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

// ── Alerts (GET/PUT/DELETE /api/alert-rules, GET /api/alerts, the socket.io `alerts` event) ──

export { ALERT_METRICS, ALERT_OPS, MAX_ALERT_FOR_WINDOWS, MAX_ALERT_RULES };

/** Ids travel in URL paths and Kafka keys: short and plain. */
export const alertRuleIdSchema = z
  .string({ error: 'must be a string' })
  .regex(/^[A-Za-z0-9._-]{1,64}$/, 'must be 1–64 letters, digits, ".", "_" or "-"');

/** Only http(s): a webhook is a POST the web server makes, never a file:, data: or other scheme. */
const webhookUrlRule = z
  .string({ error: 'must be a string' })
  .max(2_000, 'must be at most 2000 characters')
  .refine((text) => {
    try {
      const url = new URL(text);
      return (url.protocol === 'http:' || url.protocol === 'https:') && url.hostname !== '';
    } catch {
      return false;
    }
  }, 'must be an http:// or https:// URL');

/** PUT /api/alert-rules/<id> body: the rule without its id (the path names it). */
export const alertRuleBodySchema = z.strictObject({
  /** The path's id may be repeated here; it must then be the same. */
  id: alertRuleIdSchema.optional(),
  name: z.string({ error: 'must be a string' }).trim().min(1, 'must not be empty').max(100, 'must be at most 100 characters'),
  /** Absent: every sensor. */
  sensorId: z.string({ error: 'must be a string' }).min(1, 'must not be empty').max(256, 'must be at most 256 characters').optional(),
  metric: z.enum(ALERT_METRICS, { error: `must be one of ${ALERT_METRICS.join(', ')}` }),
  op: z.enum(ALERT_OPS, { error: `must be one of ${ALERT_OPS.join(', ')}` }),
  threshold: z.number({ error: 'must be a number' }).refine(Number.isFinite, 'must be a finite number'),
  forWindows: z
    .number({ error: 'must be a number' })
    .int('must be a whole number')
    .min(1, 'must be at least 1')
    .max(MAX_ALERT_FOR_WINDOWS, `must be at most ${MAX_ALERT_FOR_WINDOWS}`),
  webhookUrl: webhookUrlRule.optional(),
});
export type AlertRuleBody = z.infer<typeof alertRuleBodySchema>;

/** A rule as the alert-rules topic holds it (value; the key is the id) and GET /api/alert-rules lists it. */
export const alertRuleSchema = alertRuleBodySchema.extend({
  id: alertRuleIdSchema,
  /** When it was last created or replaced (epoch ms). */
  updatedAt: z.number(),
});
export type AlertRule = z.infer<typeof alertRuleSchema>;
export type AlertMetric = AlertRule['metric'];
export type AlertOp = AlertRule['op'];

/**
 * What the evaluator (lib/alerts/evaluator.ts) emits. `alert`: the rule's condition has held for
 * `forWindows` consecutive windows of the sensor (once per run). `resolved`: a firing run ended —
 * `reason` says whether the condition stopped holding, a window was missing (`gap`), or the rule
 * was changed or deleted (`rule`). Window fields and `value` are those of the window that decided
 * it (for `rule`, the run's last window). `id` is the same on every web server that saw the same
 * windows, so a webhook receiver can drop the copies several web servers send.
 */
export interface AlertEvent {
  id: string;
  kind: 'alert' | 'resolved';
  reason?: 'condition' | 'gap' | 'rule';
  ruleId: string;
  ruleName: string;
  /** e.g. "mean > 80 for 3 windows". */
  condition: string;
  sensorId: string;
  windowStart: number;
  windowEnd: number;
  value: number;
  /** When the event was emitted (epoch ms). */
  firedAt: number;
}

/** GET /api/alert-rules */
export interface AlertRulesList {
  rules: AlertRule[];
  max: number;
}

/** GET /api/alerts: newest first. */
export interface AlertEventsPage {
  events: AlertEvent[];
}
