import { describe, expect, it } from 'vitest';
import type { Logger } from '../../../../server/log';
import { RateLimitedLog } from '../../../../server/shared/rateLimitedLog';

describe('RateLimitedLog', () => {
  it('passes `perSecond` lines a second, then says how many it held back', () => {
    const lines: [unknown, string][] = [];
    const logger = { warn: (fields: unknown, msg: string) => void lines.push([fields, msg]) } as unknown as Logger;
    const limited = new RateLimitedLog(logger, 2);
    for (let i = 0; i < 5; i++) limited.warn({ i }, 'bad record', 1_000);
    limited.warn({ i: 5 }, 'bad record', 2_000);
    expect(lines).toEqual([
      [{ i: 0 }, 'bad record'],
      [{ i: 1 }, 'bad record'],
      [{ count: 3, of: 'bad record' }, 'log lines suppressed'],
      [{ i: 5 }, 'bad record'],
    ]);
  });
});
