/**
 * Why a connection to a Kafka broker failed, said so a person can act on it, and how often to say
 * it again: kafkajs reports every attempt (several a second at first), which buries the cause.
 */

type FailureKind = 'refused' | 'unresolved' | 'timeout' | 'tls' | 'sasl' | 'closed' | 'other';

export interface ConnectionFailure {
  /** host:port, when kafkajs says which. */
  address: string | null;
  kind: FailureKind;
  /** The underlying error's own words, for the kinds that do not explain themselves. */
  detail: string;
}

const HOW: Record<FailureKind, string> = {
  refused: 'connection refused',
  unresolved: 'host name not resolved',
  timeout: 'timed out (the host does not answer)',
  tls: 'TLS handshake failed',
  sasl: 'SASL authentication failed',
  closed: 'the broker closed the connection',
  other: 'connection failed',
};

const CHECK: Record<FailureKind, string> = {
  refused: "check KAFKA_BROKERS (a broker's host:port) and that the broker is running",
  unresolved: 'check the host name in KAFKA_BROKERS and DNS on this machine',
  timeout: "check the address in KAFKA_BROKERS, firewalls, and that the broker's listener is reachable from here",
  tls: 'check KAFKA_SSL, KAFKA_SSL_CA_FILE (or KAFKA_SSL_REJECT_UNAUTHORIZED) and that the port is a TLS listener',
  sasl: 'check KAFKA_SASL_MECHANISM, KAFKA_SASL_USERNAME and KAFKA_SASL_PASSWORD',
  closed:
    'a plaintext client on a TLS or SASL listener, or something other than Kafka on that port, is closed like this: ' +
    'check KAFKA_SSL, KAFKA_SASL_MECHANISM and the port in KAFKA_BROKERS',
  other: 'check KAFKA_BROKERS and the broker',
};

const TLS = /certificate|\bssl\b|\btls\b|self[- ]signed|EPROTO|ERR_SSL|handshake/i;

export function classifyConnectionError(message: string, address?: string | null, code?: string): ConnectionFailure {
  const detail = message.replace(/^(Connection error|Failed to connect): /, '');
  const failure = (kind: FailureKind): ConnectionFailure => ({ address: address ?? null, kind, detail });
  if (code === 'ECONNREFUSED' || /ECONNREFUSED/.test(message)) return failure('refused');
  if (/ENOTFOUND|EAI_AGAIN|EAI_NONAME/.test(`${code ?? ''} ${message}`)) return failure('unresolved');
  if (/SASL|authentication failed/i.test(message)) return failure('sasl');
  if (TLS.test(message)) return failure('tls');
  if (/Connection timeout|ETIMEDOUT|EHOSTUNREACH|ENETUNREACH/.test(`${code ?? ''} ${message}`))
    return failure('timeout');
  if (/closed by the server|Closed connection|ECONNRESET/.test(message)) return failure('closed');
  return failure('other');
}

/** One line: which address, how it failed, what to check. */
export function diagnosisLine(failure: ConnectionFailure, brokers: readonly string[]): string {
  const where = failure.address ?? (brokers.join(',') || 'KAFKA_BROKERS');
  const detail =
    failure.kind === 'tls' || failure.kind === 'sasl' || failure.kind === 'other' ? ` (${failure.detail})` : '';
  return `cannot connect to Kafka at ${where}: ${HOW[failure.kind]}${detail}; ${CHECK[failure.kind]}`;
}

export const SUMMARY_EVERY_MS = 10_000;
/** A failure after this long without one is news again, said in full. */
const FORGET_AFTER_MS = 60_000;

/**
 * Decides which failures become a log line: the first of each kind at each address at once (it
 * is news), the rest folded into one summary at most every SUMMARY_EVERY_MS.
 */
export class ConnectionTroubleReport {
  private readonly said = new Set<string>();
  private readonly since = new Map<string, { failure: ConnectionFailure; attempts: number }>();
  private lastLineAt = -Infinity;
  private lastFailureAt = -Infinity;

  constructor(private readonly brokers: readonly string[]) {}

  /** The line to log for this failure, or null to stay quiet. */
  failed(failure: ConnectionFailure, nowMs: number): string | null {
    if (nowMs - this.lastFailureAt > FORGET_AFTER_MS) this.said.clear();
    this.lastFailureAt = nowMs;
    const key = `${failure.address ?? ''} ${failure.kind}`;
    if (!this.said.has(key)) {
      this.said.add(key);
      this.lastLineAt = nowMs;
      return diagnosisLine(failure, this.brokers);
    }
    const pending = this.since.get(key) ?? { failure, attempts: 0 };
    pending.attempts++;
    this.since.set(key, pending);
    if (nowMs - this.lastLineAt < SUMMARY_EVERY_MS) return null;
    const seconds = Math.round((nowMs - this.lastLineAt) / 1000);
    const parts = [...this.since.values()].map(
      ({ failure: f, attempts }) => `${f.address ?? this.brokers.join(',')} ${HOW[f.kind]} (${attempts}×)`,
    );
    this.since.clear();
    this.lastLineAt = nowMs;
    return `still cannot connect to Kafka, retrying: ${parts.join('; ')} in the last ${seconds} s`;
  }
}
