import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../server/config';

describe('loadConfig', () => {
  it('has the documented defaults', () => {
    const c = loadConfig({});
    expect(c).toMatchObject({
      kafkaBrokers: undefined,
      port: 3000,
      inputTopic: 'sensor-readings',
      outputTopic: 'sensor-window-sums',
      dlqTopic: 'sensor-readings-dlq',
      windowSeconds: 5,
      allowedLatenessSeconds: 2,
      roles: ['web', 'worker', 'simulator'],
    });
  });

  it('reads brokers and topics', () => {
    const c = loadConfig({ KAFKA_BROKERS: 'a:9092, b:9092', INPUT_TOPIC: 'in', OUTPUT_TOPIC: 'out', PORT: '8080' });
    expect(c.kafkaBrokers).toEqual(['a:9092', 'b:9092']);
    expect([c.inputTopic, c.outputTopic, c.port]).toEqual(['in', 'out', 8080]);
  });

  it.each([
    [{ PORT: 'abc' }, 'PORT: must be a port number'],
    [{ WINDOW_SECONDS: '0' }, 'WINDOW_SECONDS: must be between 0.1 and 86400'],
    [{ ROLES: 'web,cook' }, 'ROLES: each role must be one of web, worker, simulator'],
    [{ SIMULATOR_AUTOSTART: 'maybe' }, 'SIMULATOR_AUTOSTART: must be true or false'],
  ])('rejects %o naming the variable', (env, message) => {
    expect(() => loadConfig(env)).toThrow(ConfigError);
    expect(() => loadConfig(env)).toThrow(message);
  });
});
