/** Logs at most `perSecond` lines a second, then one line saying how many were suppressed. */
import type { Fields, Logger } from './log';

export class RateLimitedLog {
  private windowStart = 0;
  private inWindow = 0;
  private suppressed = 0;

  constructor(
    private readonly logger: Logger,
    private readonly perSecond: number,
  ) {}

  warn(msg: string, fields: Fields, nowMs = Date.now()): void {
    if (nowMs - this.windowStart >= 1000) {
      if (this.suppressed > 0) this.logger.warn('log lines suppressed', { count: this.suppressed, of: msg });
      this.windowStart = nowMs;
      this.inWindow = 0;
      this.suppressed = 0;
    }
    if (this.inWindow < this.perSecond) {
      this.inWindow++;
      this.logger.warn(msg, fields);
    } else this.suppressed++;
  }
}
