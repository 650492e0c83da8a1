/** The words a rule is made of; no imports, so the browser gets them without zod. */
/** The base five every window has, then the extras a window carries when WINDOW_AGGREGATES chooses them. */
export const ALERT_METRICS = [
  'sum',
  'count',
  'min',
  'max',
  'mean',
  'variance',
  'stddev',
  'first',
  'last',
  'p50',
  'p90',
  'p95',
  'p99',
] as const;
export const ALERT_OPS = ['>', '>=', '<', '<='] as const;
/** Every web server keeps every rule and evaluates it on every sensor's windows: bounded. */
export const MAX_ALERT_RULES = 200;
export const MAX_ALERT_FOR_WINDOWS = 100;
