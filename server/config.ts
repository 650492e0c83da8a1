/**
 * The one place that reads the environment: one zod schema, every variable documented in the
 * README's configuration table. Units are converted here, once (seconds in the environment become
 * milliseconds in AppConfig). A bad value stops start-up with one line naming the variable and the
 * rule it breaks.
 */
import { z } from 'zod';
import {
  DEFAULT_RELATIVE_ACCURACY,
  parseAggregateList,
  RELATIVE_ACCURACY_RANGE,
  type AggregateChoice,
} from '../lib/aggregates/choice';
import { CALENDAR_UNITS, isTimeZone, type CalendarUnit, type CalendarWindow } from '../lib/calendarUnits';
import { TIME_FORMATS, type TimeFormat } from '../lib/input/eventTime';
import type { InputFormat } from '../lib/input/readingDecoder';
import type { KafkaSecurity } from './kafka/security';
import { parseWebhookAllowList, type WebhookAllowList } from '../lib/alerts/webhookTargets';

type Role = 'web' | 'worker' | 'simulator';

export interface AppConfig {
  /** Comma-separated bootstrap servers; undefined → start a local broker. */
  kafkaBrokers: string[] | undefined;
  port: number;
  host: string;
  inputTopic: string;
  /** Where a reading's fields are in the input record's JSON value, and how its time is written. */
  input: InputFormat;
  /**
   * The input is keyed by sensor id (every sensor's readings in one partition): windows are
   * finished in one stage, and a record whose key is not its sensor id is refused. Otherwise each
   * partition's partial windows are merged per sensor through `partialsTopic`.
   */
  keyedBySensor: boolean;
  /** Internal topic between the two windowing stages (partial windows and watermarks). */
  partialsTopic: string;
  outputTopic: string;
  configTopic: string;
  dlqTopic: string;
  /** Late readings are copied here; empty string: not written anywhere (still counted). */
  lateTopic: string;
  statsTopic: string;
  /** Compacted: one record per redriven dead letter, so a dead letter is redriven once unless asked again. */
  redriveTopic: string;
  /** Compacted: alert rules (key = rule id, tombstone = deleted), followed by every web server. */
  alertRulesTopic: string;
  inputPartitions: number;
  roles: Role[];
  /** The window size and allowed lateness a new deployment starts with (later changed at run time). */
  windowMs: number;
  /** WINDOW_CALENDAR and WINDOW_TIME_ZONE: a calendar period instead of `windowMs`; null when unset. */
  windowCalendar: CalendarWindow | null;
  allowedLatenessMs: number;
  idleTimeoutMs: number;
  /** How the worker decides that an input partition is idle rather than delayed (see server/worker/quietInputs.ts). */
  quietProbe: { intervalMs: number; timeoutMs: number; graceMs: number };
  maxFutureMs: number;
  historyPerSensor: number;
  /**
   * Sensors tracked: per window of a worker's input partition (readings of further new sensors are
   * dead-lettered `too_many_sensors`) and by each web server's feed and stats (further ones are not kept).
   */
  maxSensors: number;
  /** The aggregates each window carries beyond count, sum, min, max and mean, and the quantile sketch's accuracy. */
  aggregates: AggregateChoice;
  /** socket.io connections a web server holds at most; further ones are refused. */
  maxClients: number;
  workerGroupId: string;
  /** How long the group waits for a silent worker before giving its partitions to another. */
  workerSessionTimeoutMs: number;
  simulator: { autostart: boolean; sensors: number; ratePerSensor: number; seed: number };
  kafkaDataDir: string | undefined;
  kafkaSecurity: KafkaSecurity | undefined;
  /** Required as a bearer token by the control endpoints when set; also opens reads. */
  controlToken: string | undefined;
  /** Opens reads (GET endpoints, socket.io) to callers that are not local (server/web/http/access.ts). */
  readToken: string | undefined;
  /** Reads need no token from anyone. */
  publicRead: boolean;
  /** Failed token attempts are counted per the address a proxy put last in X-Forwarded-For. */
  trustProxy: boolean;
  /** Other origins whose pages may use the API controls and socket.io. */
  allowedOrigins: string[];
  /** Host names (Host header) this server answers besides loopback names, IP addresses and HOST. */
  allowedHosts: string[];
  /** Hosts and address blocks alert webhooks may call besides public addresses. */
  alertWebhookAllow: WebhookAllowList;
  /** Port of a metrics-only HTTP server (`/metrics`); null: none (a web process serves /metrics on PORT). */
  metricsPort: number | null;
  /** How long a graceful shutdown may take before the process exits anyway. */
  shutdownTimeoutMs: number;
}

export class ConfigError extends Error {
  constructor(variable: string, rule: string) {
    super(`${variable}: ${rule}`);
    this.name = 'ConfigError';
  }
}

type Env = Record<string, string | undefined>;

// One builder per kind of variable; unset and empty both mean "the default".
const raw = z.string().optional();
const isSet = (v: string | undefined): v is string => v !== undefined && v !== '';

function text(fallback: string) {
  return raw.transform((v) => (isSet(v) ? v : fallback));
}

function optionalText() {
  return raw.transform((v) => (isSet(v) ? v : undefined));
}

function number(fallback: number, rule: string, check: (n: number) => boolean) {
  return raw.transform((v, ctx) => {
    if (!isSet(v)) return fallback;
    const n = Number(v);
    if (Number.isFinite(n) && check(n)) return n;
    ctx.addIssue({ code: 'custom', message: `${rule} (got "${v}")` });
    return z.NEVER;
  });
}

const isInt = Number.isInteger;
const port = (fallback: number) => number(fallback, 'must be a port number', (n) => isInt(n) && n >= 0 && n < 65536);
const wholeAtLeast = (fallback: number, min: number) =>
  number(fallback, `must be a whole number ≥ ${min}`, (n) => isInt(n) && n >= min);
const msAtLeast = (fallback: number, min: number, rule = `must be a whole number of milliseconds ≥ ${min}`) =>
  number(fallback, rule, (n) => isInt(n) && n >= min);
/** Seconds in the environment, milliseconds from here on. */
const secondsAsMs = (fallbackSeconds: number, min: number, max: number, rule: string) =>
  number(fallbackSeconds, rule, (n) => n >= min && n <= max).transform((s) => Math.round(s * 1000));

function flag(fallback: boolean) {
  return raw.transform((v, ctx) => {
    if (!isSet(v)) return fallback;
    if (/^(1|true|yes|on)$/i.test(v)) return true;
    if (/^(0|false|no|off)$/i.test(v)) return false;
    ctx.addIssue({ code: 'custom', message: `must be true or false (got "${v}")` });
    return z.NEVER;
  });
}

function oneOf<T extends string>(values: readonly T[], fallback: T) {
  return raw.transform((v, ctx) => {
    if (!isSet(v)) return fallback;
    if ((values as readonly string[]).includes(v)) return v as T;
    ctx.addIssue({ code: 'custom', message: `must be one of ${values.join(', ')} (got "${v}")` });
    return z.NEVER;
  });
}

function fieldPath(fallback: string) {
  return raw.transform((v, ctx) => {
    if (!isSet(v)) return fallback;
    if (/^[^.]+(\.[^.]+)*$/.test(v)) return v;
    ctx.addIssue({ code: 'custom', message: `must be a field name or a dotted path such as device.id (got "${v}")` });
    return z.NEVER;
  });
}

/** A bearer token: at least 16 characters, so it cannot be guessed within the failed-attempt limit. */
const MIN_TOKEN_LENGTH = 16;
const token = optionalText().refine(
  (v) => v === undefined || v.length >= MIN_TOKEN_LENGTH,
  `must be at least ${MIN_TOKEN_LENGTH} characters (e.g. openssl rand -hex 16)`,
);

const list = raw.transform((v) =>
  (v ?? '')
    .split(',')
    .map((item) => item.trim())
    .filter(Boolean),
);

const aggregates = raw.transform((v, ctx) => {
  const chosen = parseAggregateList(v ?? '');
  if (typeof chosen !== 'string') return chosen;
  ctx.addIssue({ code: 'custom', message: chosen });
  return z.NEVER;
});

const ROLES: Role[] = ['web', 'worker', 'simulator'];
const SASL_MECHANISMS = ['plain', 'scram-sha-256', 'scram-sha-512'] as const;

const roles = raw.transform((v, ctx) => {
  const given = (isSet(v) ? v : ROLES.join(','))
    .split(',')
    .map((r) => r.trim())
    .filter(Boolean);
  const unknown = given.find((r) => !ROLES.includes(r as Role));
  if (unknown === undefined) return given as Role[];
  ctx.addIssue({ code: 'custom', message: `each role must be one of ${ROLES.join(', ')} (got "${unknown}")` });
  return z.NEVER;
});

/** Prometheus' convention for an exporter of its own; `off` turns it off. */
const DEFAULT_METRICS_PORT = 9464;
const metricsPort = raw.transform((v, ctx): number | 'off' | 'default' => {
  const given = v?.trim();
  if (!isSet(given)) return 'default';
  if (given.toLowerCase() === 'off') return 'off';
  const n = Number(given);
  if (isInt(n) && n >= 0 && n < 65536) return n;
  ctx.addIssue({ code: 'custom', message: `must be a port number or "off" (got "${v}")` });
  return z.NEVER;
});

const envSchema = z.object({
  KAFKA_BROKERS: list,
  PORT: port(3000),
  HOST: text('127.0.0.1'),
  INPUT_TOPIC: text('sensor-readings'),
  INPUT_ID_FIELD: fieldPath('id'),
  INPUT_TIME_FIELD: fieldPath('time'),
  INPUT_VALUE_FIELD: fieldPath('value'),
  INPUT_TIME_FORMAT: oneOf<TimeFormat>(TIME_FORMATS, 'epoch-seconds'),
  INPUT_KEYED_BY_SENSOR: flag(false),
  PARTIALS_TOPIC: optionalText(),
  OUTPUT_TOPIC: text('sensor-window-sums'),
  CONFIG_TOPIC: text('windowpane-config'),
  DLQ_TOPIC: text('sensor-readings-dlq'),
  LATE_TOPIC: text('sensor-readings-late'),
  STATS_TOPIC: text('windowpane-stats'),
  REDRIVE_TOPIC: text('windowpane-redrives'),
  ALERT_RULES_TOPIC: text('windowpane-alert-rules'),
  INPUT_PARTITIONS: wholeAtLeast(3, 1),
  ROLES: roles,
  WINDOW_SECONDS: secondsAsMs(5, 0.1, 86_400, 'must be between 0.1 and 86400'),
  ALLOWED_LATENESS_SECONDS: secondsAsMs(2, 0, 3_600, 'must be between 0 and 3600'),
  IDLE_TIMEOUT_MS: number(1_000, 'must be 0 or more', (n) => n >= 0),
  IDLE_GRACE_MS: msAtLeast(35_000, 0),
  MAX_FUTURE_SECONDS: secondsAsMs(5, 0, Number.MAX_SAFE_INTEGER / 1000, 'must be 0 or more'),
  HISTORY_WINDOWS: wholeAtLeast(120, 1),
  MAX_SENSORS: wholeAtLeast(100_000, 1),
  WINDOW_CALENDAR: raw.transform((v, ctx) => {
    if (!isSet(v)) return null;
    if ((CALENDAR_UNITS as readonly string[]).includes(v)) return v as CalendarUnit;
    ctx.addIssue({ code: 'custom', message: `must be one of ${CALENDAR_UNITS.join(', ')} (got "${v}")` });
    return z.NEVER;
  }),
  WINDOW_TIME_ZONE: text('UTC').refine(isTimeZone, 'must be an IANA time zone name such as Europe/Helsinki or UTC'),
  WINDOW_AGGREGATES: aggregates,
  QUANTILE_RELATIVE_ACCURACY: number(
    DEFAULT_RELATIVE_ACCURACY,
    `must be between ${RELATIVE_ACCURACY_RANGE.min} and ${RELATIVE_ACCURACY_RANGE.max}`,
    (n) => n >= RELATIVE_ACCURACY_RANGE.min && n <= RELATIVE_ACCURACY_RANGE.max,
  ),
  MAX_CLIENTS: wholeAtLeast(2_000, 1),
  WORKER_GROUP_ID: text('windowpane-worker'),
  WORKER_SESSION_TIMEOUT_MS: number(
    10_000,
    'must be a whole number ≥ 6000 (the broker minimum)',
    (n) => isInt(n) && n >= 6_000,
  ),
  SIMULATOR_AUTOSTART: flag(true),
  SIMULATOR_SENSORS: wholeAtLeast(3, 1),
  SIMULATOR_RATE: number(1, 'must be greater than 0', (n) => n > 0),
  SIMULATOR_SEED: number(1, 'must be an integer', isInt),
  KAFKA_DATA_DIR: optionalText(),
  KAFKA_SSL: flag(false),
  KAFKA_SSL_CA_FILE: optionalText(),
  KAFKA_SSL_CERT_FILE: optionalText(),
  KAFKA_SSL_KEY_FILE: optionalText(),
  KAFKA_SSL_REJECT_UNAUTHORIZED: flag(true),
  KAFKA_SASL_MECHANISM: optionalText().transform((v, ctx) => {
    if (v === undefined) return undefined;
    const mechanism = v.toLowerCase();
    if ((SASL_MECHANISMS as readonly string[]).includes(mechanism))
      return mechanism as (typeof SASL_MECHANISMS)[number];
    ctx.addIssue({ code: 'custom', message: `must be one of ${SASL_MECHANISMS.join(', ')} (got "${v}")` });
    return z.NEVER;
  }),
  KAFKA_SASL_USERNAME: optionalText(),
  KAFKA_SASL_PASSWORD: z.string().optional(),
  CONTROL_TOKEN: token,
  READ_TOKEN: token,
  PUBLIC_READ: flag(false),
  TRUST_PROXY: flag(false),
  ALLOWED_ORIGINS: list,
  ALLOWED_HOSTS: list,
  ALERT_WEBHOOK_ALLOW: list.transform((items, ctx) => {
    const allow = parseWebhookAllowList(items);
    if (typeof allow !== 'string') return allow;
    ctx.addIssue({ code: 'custom', message: allow });
    return z.NEVER;
  }),
  METRICS_PORT: metricsPort,
  SHUTDOWN_TIMEOUT_MS: msAtLeast(10_000, 100),
});

type ParsedEnv = z.output<typeof envSchema>;

function kafkaSecurity(e: ParsedEnv): KafkaSecurity | undefined {
  if (!e.KAFKA_SSL && !e.KAFKA_SASL_MECHANISM) return undefined;
  let sasl: KafkaSecurity['sasl'];
  if (e.KAFKA_SASL_MECHANISM) {
    if (!e.KAFKA_SASL_USERNAME) throw new ConfigError('KAFKA_SASL_USERNAME', 'is required with KAFKA_SASL_MECHANISM');
    if (e.KAFKA_SASL_PASSWORD === undefined)
      throw new ConfigError('KAFKA_SASL_PASSWORD', 'is required with KAFKA_SASL_MECHANISM');
    sasl = { mechanism: e.KAFKA_SASL_MECHANISM, username: e.KAFKA_SASL_USERNAME, password: e.KAFKA_SASL_PASSWORD };
  }
  return {
    ssl: e.KAFKA_SSL,
    caFile: e.KAFKA_SSL_CA_FILE,
    certFile: e.KAFKA_SSL_CERT_FILE,
    keyFile: e.KAFKA_SSL_KEY_FILE,
    rejectUnauthorized: e.KAFKA_SSL_REJECT_UNAUTHORIZED,
    sasl,
  };
}

export function loadConfig(env: Env = process.env): AppConfig {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    const [issue] = parsed.error.issues;
    throw new ConfigError(String(issue.path[0]), issue.message);
  }
  const e = parsed.data;
  const hasWeb = e.ROLES.includes('web');
  return {
    kafkaBrokers: e.KAFKA_BROKERS.length > 0 ? e.KAFKA_BROKERS : undefined,
    port: e.PORT,
    host: e.HOST,
    inputTopic: e.INPUT_TOPIC,
    input: {
      idField: e.INPUT_ID_FIELD,
      timeField: e.INPUT_TIME_FIELD,
      valueField: e.INPUT_VALUE_FIELD,
      timeFormat: e.INPUT_TIME_FORMAT,
    },
    keyedBySensor: e.INPUT_KEYED_BY_SENSOR,
    partialsTopic: e.PARTIALS_TOPIC ?? `${e.WORKER_GROUP_ID}-${e.INPUT_TOPIC}-partials`,
    outputTopic: e.OUTPUT_TOPIC,
    configTopic: e.CONFIG_TOPIC,
    dlqTopic: e.DLQ_TOPIC,
    lateTopic: e.LATE_TOPIC === 'none' ? '' : e.LATE_TOPIC,
    statsTopic: e.STATS_TOPIC,
    redriveTopic: e.REDRIVE_TOPIC,
    alertRulesTopic: e.ALERT_RULES_TOPIC,
    inputPartitions: e.INPUT_PARTITIONS,
    roles: e.ROLES,
    windowMs: e.WINDOW_SECONDS,
    windowCalendar: e.WINDOW_CALENDAR ? { unit: e.WINDOW_CALENDAR, timeZone: e.WINDOW_TIME_ZONE } : null,
    allowedLatenessMs: e.ALLOWED_LATENESS_SECONDS,
    idleTimeoutMs: e.IDLE_TIMEOUT_MS,
    quietProbe: { intervalMs: 1_000, timeoutMs: 2_000, graceMs: e.IDLE_GRACE_MS },
    maxFutureMs: e.MAX_FUTURE_SECONDS,
    historyPerSensor: e.HISTORY_WINDOWS,
    maxSensors: e.MAX_SENSORS,
    aggregates: { extras: e.WINDOW_AGGREGATES, relativeAccuracy: e.QUANTILE_RELATIVE_ACCURACY },
    maxClients: e.MAX_CLIENTS,
    workerGroupId: e.WORKER_GROUP_ID,
    workerSessionTimeoutMs: e.WORKER_SESSION_TIMEOUT_MS,
    simulator: {
      autostart: e.SIMULATOR_AUTOSTART,
      sensors: e.SIMULATOR_SENSORS,
      ratePerSensor: e.SIMULATOR_RATE,
      seed: e.SIMULATOR_SEED,
    },
    kafkaDataDir: e.KAFKA_DATA_DIR,
    kafkaSecurity: kafkaSecurity(e),
    controlToken: e.CONTROL_TOKEN,
    readToken: e.READ_TOKEN,
    publicRead: e.PUBLIC_READ,
    trustProxy: e.TRUST_PROXY,
    allowedOrigins: e.ALLOWED_ORIGINS,
    allowedHosts: e.ALLOWED_HOSTS.map((h) => h.toLowerCase()),
    alertWebhookAllow: e.ALERT_WEBHOOK_ALLOW,
    metricsPort:
      e.METRICS_PORT === 'off'
        ? null
        : e.METRICS_PORT === 'default'
          ? hasWeb
            ? null
            : DEFAULT_METRICS_PORT
          : e.METRICS_PORT,
    shutdownTimeoutMs: e.SHUTDOWN_TIMEOUT_MS,
  };
}
