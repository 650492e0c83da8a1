/**
 * Structured logs with pino on stderr (stdout stays free for the CLI's own output): one JSON object
 * per line, fields `level` (as a word), `t` (ISO time), `msg` and the call's own fields; when
 * stderr is a terminal, the same lines made readable by a person (pino-pretty). Tests and CI,
 * which read a child's stderr through a pipe, get JSON. LOG_LEVEL is read here rather than in
 * config.ts because modules log before the config loads.
 */
import pino, { type DestinationStream, type Logger } from 'pino';
import pretty from 'pino-pretty';

export type { Logger };
export type Fields = Record<string, unknown>;

const LEVELS = ['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'];

function level(raw: string | undefined): string {
  if (raw === undefined || raw === '') return 'info';
  if (LEVELS.includes(raw.toLowerCase())) return raw.toLowerCase();
  process.stderr.write(`LOG_LEVEL: must be one of ${LEVELS.join(', ')} (got "${raw}"); using info\n`);
  return 'info';
}

// Synchronous either way: the last lines before a crash or process.exit must not be lost in a buffer.
const destination: DestinationStream = process.stderr.isTTY
  ? pretty({
      destination: 2,
      sync: true,
      messageKey: 'msg',
      timestampKey: 't',
      translateTime: 'SYS:HH:MM:ss.l',
      singleLine: true,
    })
  : pino.destination({ fd: 2, sync: true });

export const log: Logger = pino(
  {
    level: level(process.env.LOG_LEVEL),
    base: undefined,
    messageKey: 'msg',
    timestamp: () => `,"t":"${new Date().toISOString()}"`,
    formatters: { level: (label) => ({ level: label }) },
  },
  destination,
);
