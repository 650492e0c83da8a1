/**
 * Failed token attempts per client address, so a token cannot be guessed at network speed: after
 * `maxFailures` wrong tokens within `windowMs` of the first, that address is refused (429) until the
 * window has passed. Pure: time is passed in. At most `maxClients` addresses are remembered (the
 * oldest window is forgotten first), so a flood of addresses cannot grow memory without bound.
 */
export interface FailedAttemptsOptions {
  maxFailures: number;
  windowMs: number;
  maxClients: number;
}

const DEFAULT_FAILED_ATTEMPTS: FailedAttemptsOptions = { maxFailures: 10, windowMs: 60_000, maxClients: 10_000 };

interface Window {
  startedAt: number;
  failures: number;
}

export class FailedAttempts {
  /** Insertion order = order of each window's first failure: the first entry is the oldest. */
  private readonly windows = new Map<string, Window>();

  constructor(private readonly options: FailedAttemptsOptions = DEFAULT_FAILED_ATTEMPTS) {}

  /** Milliseconds until `client` may try a token again; 0 when it may now. */
  retryAfterMs(client: string, nowMs: number): number {
    const window = this.current(client, nowMs);
    if (!window || window.failures < this.options.maxFailures) return 0;
    return window.startedAt + this.options.windowMs - nowMs;
  }

  /** Counts a wrong token from `client`. */
  fail(client: string, nowMs: number): void {
    const window = this.current(client, nowMs);
    if (window) {
      window.failures++;
      return;
    }
    this.windows.set(client, { startedAt: nowMs, failures: 1 });
    if (this.windows.size > this.options.maxClients) this.windows.delete(this.windows.keys().next().value!);
  }

  /** Addresses remembered (tests). */
  get size(): number {
    return this.windows.size;
  }

  private current(client: string, nowMs: number): Window | undefined {
    const window = this.windows.get(client);
    if (window && nowMs - window.startedAt >= this.options.windowMs) {
      this.windows.delete(client);
      return undefined;
    }
    return window;
  }
}
