/** The words a rule is made of; nothing imported brings zod, so the browser gets them without it. */
import { EXTRA_AGGREGATES } from '../aggregates/choice';

/** The base five every window has, then the extras a window carries when WINDOW_AGGREGATES chooses them. */
export const ALERT_METRICS = ['sum', 'count', 'min', 'max', 'mean', ...EXTRA_AGGREGATES] as const;
export const ALERT_OPS = ['>', '>=', '<', '<='] as const;
/** Every web server keeps every rule and evaluates it on every sensor's windows: bounded. */
export const MAX_ALERT_RULES = 200;
export const MAX_ALERT_FOR_WINDOWS = 100;
