/**
 * socket.io delivery: a client cut off for 10 s under load gets, on reconnect, exactly the
 * windows it missed: compared with the output topic, none missing and none twice.
 */
import { describe, expect, it } from 'vitest';
import { reconnectAfterOffline } from '../support/socketReconnect';

describe('socket.io delivery', () => {
  it('fills a 10 s gap on reconnect with no window missed or repeated', async () => {
    const result = await reconnectAfterOffline({ offlineMs: 10_000, sensors: 30, ratePerSensor: 10 });
    expect(result.resumedSameFeed).toBe(true); // resumed, not restarted
    expect(result.stampsInOrder).toBe(true);
    expect(result.closedWhileOffline).toBeGreaterThan(100);
    expect(result.filledOnReconnect).toBeGreaterThan(result.closedWhileOffline - 1);
    expect(result).toMatchObject({ missed: 0, repeated: 0, received: result.written });
  }, 240_000);
});
