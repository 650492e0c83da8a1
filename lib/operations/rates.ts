/**
 * Per-second rates from two samples of the group's counters (GET /api/operations `counters`):
 * the page keeps its previous sample and differences it with the next. Null when the samples are
 * too close together to say anything, or a counter went down (the web server restarted).
 */
import type { OperationsOverview } from '../contract';

type Counters = NonNullable<OperationsOverview['counters']>;

export interface Rates {
  windowsPerSecond: number;
  latePerSecond: number;
  deadLettersPerSecond: number;
}

const MIN_INTERVAL_MS = 200;

export function ratesBetween(previous: Counters | null, next: Counters | null): Rates | null {
  if (!previous || !next) return null;
  const seconds = (next.at - previous.at) / 1000;
  if (seconds * 1000 < MIN_INTERVAL_MS) return null;
  const rate = (a: number, b: number) => (b - a) / seconds;
  const rates = {
    windowsPerSecond: rate(previous.windowsTotal, next.windowsTotal),
    latePerSecond: rate(previous.lateTotal, next.lateTotal),
    deadLettersPerSecond: rate(previous.invalidTotal, next.invalidTotal),
  };
  return Object.values(rates).some((r) => r < 0) ? null : rates;
}
