/**
 * Structured logs with pino: one JSON object per line on stderr (stdout stays free for the CLI's
 * own output), fields `level` (as a word), `t` (ISO time), `msg` and the call's own fields.
 * LOG_LEVEL is read here rather than in config.ts because modules log before the config loads.
 */
import pino, { type Logger } from 'pino';

export type { Logger };
export type Fields = Record<string, unknown>;

const LEVELS = ['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'];

function level(raw: string | undefined): string {
  if (raw === undefined || raw === '') return 'info';
  if (LEVELS.includes(raw.toLowerCase())) return raw.toLowerCase();
  process.stderr.write(`LOG_LEVEL: must be one of ${LEVELS.join(', ')} (got "${raw}"); using info\n`);
  return 'info';
}

export const log: Logger = pino(
  {
    level: level(process.env.LOG_LEVEL),
    base: undefined,
    messageKey: 'msg',
    timestamp: () => `,"t":"${new Date().toISOString()}"`,
    formatters: { level: (label) => ({ level: label }) },
  },
  // Synchronous: the last lines before a crash or process.exit must not be lost in a buffer.
  pino.destination({ fd: 2, sync: true }),
);
