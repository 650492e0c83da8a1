/**
 * The one retry helper: capped exponential backoff with jitter, for errors the caller says are
 * worth another try. Time is injected (`sleep`), so the rules are unit-tested without waiting.
 */
export interface RetryOptions {
  /** Further attempts after the first (0: try once). */
  retries: number;
  initialDelayMs: number;
  maxDelayMs: number;
  /** Errors for which another attempt may succeed; any other error is thrown at once. */
  retriable(error: unknown): boolean;
  onRetry?(error: unknown, attempt: number, delayMs: number): void;
  /** No attempt starts later than this after the first: the caller's wait is bounded in time, not only in count. */
  totalMs?: number;
  sleep?(ms: number): Promise<void>;
  now?(): number;
  /** 0..1, for jitter; Math.random by default. */
  random?(): number;
}

export function backoffDelay(
  attempt: number,
  options: Pick<RetryOptions, 'initialDelayMs' | 'maxDelayMs'>,
  random = Math.random,
): number {
  const base = Math.min(options.maxDelayMs, options.initialDelayMs * 2 ** (attempt - 1));
  // ±20 %, so that many clients refused at once do not all come back at once.
  return Math.round(base * (0.8 + 0.4 * random()));
}

const realSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export async function retry<T>(operation: (attempt: number) => Promise<T>, options: RetryOptions): Promise<T> {
  const sleep = options.sleep ?? realSleep;
  const now = options.now ?? Date.now;
  const startedAt = now();
  for (let attempt = 1; ; attempt++) {
    try {
      return await operation(attempt);
    } catch (error) {
      if (attempt > options.retries || !options.retriable(error)) throw error;
      const delayMs = backoffDelay(attempt, options, options.random);
      if (options.totalMs !== undefined && now() + delayMs - startedAt > options.totalMs) throw error;
      options.onRetry?.(error, attempt, delayMs);
      await sleep(delayMs);
    }
  }
}
