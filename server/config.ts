/**
 * The one place that reads the environment. Every variable is documented in the README's
 * configuration table; a bad value stops start-up with a message naming it.
 */
import { TIME_FORMATS, type TimeFormat } from '../lib/input/eventTime';
import type { InputFormat } from '../lib/input/readingDecoder';
import type { KafkaSecurity } from './kafka/security';

export type Role = 'web' | 'worker' | 'simulator';

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
  inputPartitions: number;
  roles: Role[];
  windowSeconds: number;
  allowedLatenessSeconds: number;
  idleTimeoutMs: number;
  maxFutureSeconds: number;
  historyPerSensor: number;
  workerGroupId: string;
  /** How long the group waits for a silent worker before giving its partitions to another. */
  workerSessionTimeoutMs: number;
  simulator: { autostart: boolean; sensors: number; ratePerSensor: number; seed: number };
  kafkaDataDir: string | undefined;
  kafkaSecurity: KafkaSecurity | undefined;
  /** Required as a bearer token by the control endpoints when set. */
  controlToken: string | undefined;
  /** Other origins whose pages may use the API controls and socket.io. */
  allowedOrigins: string[];
  /** Host names (Host header) this server answers besides loopback names, IP addresses and HOST. */
  allowedHosts: string[];
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

function num(env: Env, name: string, fallback: number, check: (n: number) => boolean, rule: string): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isFinite(n) || !check(n)) throw new ConfigError(name, `${rule} (got "${raw}")`);
  return n;
}

function bool(env: Env, name: string, fallback: boolean): boolean {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (/^(1|true|yes|on)$/i.test(raw)) return true;
  if (/^(0|false|no|off)$/i.test(raw)) return false;
  throw new ConfigError(name, `must be true or false (got "${raw}")`);
}

const ROLES: Role[] = ['web', 'worker', 'simulator'];
const SASL_MECHANISMS = ['plain', 'scram-sha-256', 'scram-sha-512'] as const;

function kafkaSecurity(env: Env): KafkaSecurity | undefined {
  const ssl = bool(env, 'KAFKA_SSL', false);
  const mechanism = env.KAFKA_SASL_MECHANISM?.toLowerCase();
  if (!ssl && !mechanism) return undefined;
  let sasl: KafkaSecurity['sasl'];
  if (mechanism) {
    if (!(SASL_MECHANISMS as readonly string[]).includes(mechanism)) {
      throw new ConfigError('KAFKA_SASL_MECHANISM', `must be one of ${SASL_MECHANISMS.join(', ')} (got "${env.KAFKA_SASL_MECHANISM}")`);
    }
    if (!env.KAFKA_SASL_USERNAME) throw new ConfigError('KAFKA_SASL_USERNAME', 'is required with KAFKA_SASL_MECHANISM');
    if (env.KAFKA_SASL_PASSWORD === undefined) throw new ConfigError('KAFKA_SASL_PASSWORD', 'is required with KAFKA_SASL_MECHANISM');
    sasl = { mechanism: mechanism as (typeof SASL_MECHANISMS)[number], username: env.KAFKA_SASL_USERNAME, password: env.KAFKA_SASL_PASSWORD };
  }
  return {
    ssl,
    caFile: env.KAFKA_SSL_CA_FILE || undefined,
    certFile: env.KAFKA_SSL_CERT_FILE || undefined,
    keyFile: env.KAFKA_SSL_KEY_FILE || undefined,
    rejectUnauthorized: bool(env, 'KAFKA_SSL_REJECT_UNAUTHORIZED', true),
    sasl,
  };
}

export function loadConfig(env: Env = process.env): AppConfig {
  const brokers = env.KAFKA_BROKERS?.split(',').map((b) => b.trim()).filter(Boolean);
  const roles = (env.ROLES ?? ROLES.join(',')).split(',').map((r) => r.trim()).filter(Boolean);
  for (const role of roles) {
    if (!ROLES.includes(role as Role)) throw new ConfigError('ROLES', `each role must be one of ${ROLES.join(', ')} (got "${role}")`);
  }
  const isInt = Number.isInteger;
  return {
    kafkaBrokers: brokers && brokers.length > 0 ? brokers : undefined,
    port: num(env, 'PORT', 3000, (n) => isInt(n) && n >= 0 && n < 65536, 'must be a port number'),
    host: env.HOST || '127.0.0.1',
    inputTopic: env.INPUT_TOPIC || 'sensor-readings',
    input: inputFormat(env),
    keyedBySensor: bool(env, 'INPUT_KEYED_BY_SENSOR', false),
    partialsTopic: env.PARTIALS_TOPIC || `${env.WORKER_GROUP_ID || 'windowpane-worker'}-${env.INPUT_TOPIC || 'sensor-readings'}-partials`,
    outputTopic: env.OUTPUT_TOPIC || 'sensor-window-sums',
    configTopic: env.CONFIG_TOPIC || 'windowpane-config',
    dlqTopic: env.DLQ_TOPIC || 'sensor-readings-dlq',
    lateTopic: env.LATE_TOPIC === 'none' ? '' : env.LATE_TOPIC || 'sensor-readings-late',
    statsTopic: env.STATS_TOPIC || 'windowpane-stats',
    inputPartitions: num(env, 'INPUT_PARTITIONS', 3, (n) => isInt(n) && n >= 1, 'must be a whole number ≥ 1'),
    roles: roles as Role[],
    windowSeconds: num(env, 'WINDOW_SECONDS', 5, (n) => n >= 0.1 && n <= 86_400, 'must be between 0.1 and 86400'),
    allowedLatenessSeconds: num(env, 'ALLOWED_LATENESS_SECONDS', 2, (n) => n >= 0 && n <= 3_600, 'must be between 0 and 3600'),
    idleTimeoutMs: num(env, 'IDLE_TIMEOUT_MS', 1_000, (n) => n >= 0, 'must be 0 or more'),
    maxFutureSeconds: num(env, 'MAX_FUTURE_SECONDS', 5, (n) => n >= 0, 'must be 0 or more'),
    historyPerSensor: num(env, 'HISTORY_WINDOWS', 120, (n) => isInt(n) && n >= 1, 'must be a whole number ≥ 1'),
    workerGroupId: env.WORKER_GROUP_ID || 'windowpane-worker',
    workerSessionTimeoutMs: num(env, 'WORKER_SESSION_TIMEOUT_MS', 10_000, (n) => isInt(n) && n >= 6_000, 'must be a whole number ≥ 6000 (the broker minimum)'),
    simulator: {
      autostart: bool(env, 'SIMULATOR_AUTOSTART', true),
      sensors: num(env, 'SIMULATOR_SENSORS', 3, (n) => isInt(n) && n >= 1, 'must be a whole number ≥ 1'),
      ratePerSensor: num(env, 'SIMULATOR_RATE', 1, (n) => n > 0, 'must be greater than 0'),
      seed: num(env, 'SIMULATOR_SEED', 1, isInt, 'must be an integer'),
    },
    kafkaDataDir: env.KAFKA_DATA_DIR || undefined,
    kafkaSecurity: kafkaSecurity(env),
    controlToken: env.CONTROL_TOKEN || undefined,
    allowedOrigins: list(env.ALLOWED_ORIGINS),
    allowedHosts: list(env.ALLOWED_HOSTS).map((h) => h.toLowerCase()),
    metricsPort: metricsPort(env, roles.includes('web')),
    shutdownTimeoutMs: num(env, 'SHUTDOWN_TIMEOUT_MS', 10_000, (n) => isInt(n) && n >= 100, 'must be a whole number of milliseconds ≥ 100'),
  };
}

function fieldPath(env: Env, name: string, fallback: string): string {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (!/^[^.]+(\.[^.]+)*$/.test(raw)) throw new ConfigError(name, `must be a field name or a dotted path such as device.id (got "${raw}")`);
  return raw;
}

function inputFormat(env: Env): InputFormat {
  const timeFormat = env.INPUT_TIME_FORMAT || 'epoch-seconds';
  if (!(TIME_FORMATS as readonly string[]).includes(timeFormat)) {
    throw new ConfigError('INPUT_TIME_FORMAT', `must be one of ${TIME_FORMATS.join(', ')} (got "${timeFormat}")`);
  }
  return {
    idField: fieldPath(env, 'INPUT_ID_FIELD', 'id'),
    timeField: fieldPath(env, 'INPUT_TIME_FIELD', 'time'),
    valueField: fieldPath(env, 'INPUT_VALUE_FIELD', 'value'),
    timeFormat: timeFormat as TimeFormat,
  };
}

function list(raw: string | undefined): string[] {
  return (raw ?? '').split(',').map((item) => item.trim()).filter(Boolean);
}

/** Prometheus' convention for an exporter of its own; `off` turns it off. */
const DEFAULT_METRICS_PORT = 9464;

function metricsPort(env: Env, hasWeb: boolean): number | null {
  const raw = env.METRICS_PORT?.trim();
  if (raw === undefined || raw === '') return hasWeb ? null : DEFAULT_METRICS_PORT;
  if (raw.toLowerCase() === 'off') return null;
  return num(env, 'METRICS_PORT', DEFAULT_METRICS_PORT, (n) => Number.isInteger(n) && n >= 0 && n < 65536, 'must be a port number or "off"');
}
