/** The words a rule is made of; no imports, so the browser gets them without zod. */
export const ALERT_METRICS = ['sum', 'count', 'min', 'max', 'mean'] as const;
export const ALERT_OPS = ['>', '>=', '<', '<='] as const;
/** Every web server keeps every rule and evaluates it on every sensor's windows: bounded. */
export const MAX_ALERT_RULES = 200;
export const MAX_ALERT_FOR_WINDOWS = 100;
