/** Logs at most `perSecond` lines a second, then one line saying how many were suppressed. */
import type { Fields, Logger } from '../log';

export class RateLimitedLog {
  private windowStart = 0;
  private inWindow = 0;
  private suppressed = 0;

  constructor(
    private readonly logger: Logger,
    private readonly perSecond: number,
  ) {}

  /** Same argument order as pino: fields first, then the message. */
  warn(fields: Fields, msg: string, nowMs = Date.now()): void {
    if (nowMs - this.windowStart >= 1000) {
      if (this.suppressed > 0) this.logger.warn({ count: this.suppressed, of: msg }, 'log lines suppressed');
      this.windowStart = nowMs;
      this.inWindow = 0;
      this.suppressed = 0;
    }
    if (this.inWindow < this.perSecond) {
      this.inWindow++;
      this.logger.warn(fields, msg);
    } else this.suppressed++;
  }
}
