import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../../server/config';

describe('loadConfig', () => {
  it('has the documented defaults', () => {
    const c = loadConfig({});
    expect(c).toMatchObject({
      kafkaBrokers: undefined,
      port: 3000,
      inputTopic: 'sensor-readings',
      outputTopic: 'sensor-window-sums',
      dlqTopic: 'sensor-readings-dlq',
      windowMs: 5_000,
      allowedLatenessMs: 2_000,
      maxFutureMs: 5_000,
      roles: ['web', 'worker', 'simulator'],
    });
  });

  it('reads the aggregates chosen beyond the base five, and the sketch accuracy', () => {
    expect(loadConfig({}).aggregates).toEqual({ extras: [], relativeAccuracy: 0.01 });
    const c = loadConfig({ WINDOW_AGGREGATES: 'p95, stddev', QUANTILE_RELATIVE_ACCURACY: '0.005' });
    expect(c.aggregates).toEqual({ extras: ['stddev', 'p95'], relativeAccuracy: 0.005 });
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
    [{ WINDOW_AGGREGATES: 'mean,p75' }, 'WINDOW_AGGREGATES: "p75" is not an aggregate; choose from count, sum'],
    [{ QUANTILE_RELATIVE_ACCURACY: '0.9' }, 'QUANTILE_RELATIVE_ACCURACY: must be between 0.0001 and 0.5'],
  ])('rejects %o naming the variable', (env, message) => {
    expect(() => loadConfig(env)).toThrow(ConfigError);
    expect(() => loadConfig(env)).toThrow(message);
  });

  it('reads the input format, the keyed path and the operations settings', () => {
    const c = loadConfig({
      INPUT_ID_FIELD: 'device.id',
      INPUT_TIME_FIELD: 'ts',
      INPUT_VALUE_FIELD: 'reading.celsius',
      INPUT_TIME_FORMAT: 'iso8601',
      INPUT_KEYED_BY_SENSOR: 'true',
      ALLOWED_HOSTS: 'Dash.Example.com, .corp.example',
      SHUTDOWN_TIMEOUT_MS: '2500',
    });
    expect(c.input).toEqual({
      idField: 'device.id',
      timeField: 'ts',
      valueField: 'reading.celsius',
      timeFormat: 'iso8601',
    });
    expect([c.keyedBySensor, c.allowedHosts, c.shutdownTimeoutMs]).toEqual([
      true,
      ['dash.example.com', '.corp.example'],
      2500,
    ]);
    expect(loadConfig({}).partialsTopic).toBe('windowpane-worker-sensor-readings-partials');
    expect(loadConfig({}).keyedBySensor).toBe(false);
  });

  it('bounds sensors tracked and socket.io clients: MAX_SENSORS, MAX_CLIENTS', () => {
    expect(loadConfig({})).toMatchObject({ maxSensors: 100_000, maxClients: 2_000 });
    expect(loadConfig({ MAX_SENSORS: '50', MAX_CLIENTS: '3' })).toMatchObject({ maxSensors: 50, maxClients: 3 });
    expect(() => loadConfig({ MAX_SENSORS: '0' })).toThrow('MAX_SENSORS: must be a whole number ≥ 1');
    expect(() => loadConfig({ MAX_CLIENTS: '2.5' })).toThrow('MAX_CLIENTS: must be a whole number ≥ 1');
  });

  it('serves /metrics on its own port only without the web role, unless told', () => {
    expect(loadConfig({}).metricsPort).toBeNull();
    expect(loadConfig({ ROLES: 'worker' }).metricsPort).toBe(9464);
    expect(loadConfig({ ROLES: 'worker', METRICS_PORT: 'off' }).metricsPort).toBeNull();
    expect(loadConfig({ METRICS_PORT: '0' }).metricsPort).toBe(0);
  });

  it('reads what alert webhooks may call besides public addresses: ALERT_WEBHOOK_ALLOW', () => {
    expect(loadConfig({}).alertWebhookAllow).toEqual({ hosts: [], blocks: [] });
    expect(loadConfig({ ALERT_WEBHOOK_ALLOW: ' Hooks.Internal , 127.0.0.1, 10.0.0.0/8' }).alertWebhookAllow).toEqual({
      hosts: ['hooks.internal'],
      blocks: [
        { bytes: [127, 0, 0, 1], prefix: 32 },
        { bytes: [10, 0, 0, 0], prefix: 8 },
      ],
    });
    expect(() => loadConfig({ ALERT_WEBHOOK_ALLOW: '10.0.0.0/40' })).toThrow(
      'ALERT_WEBHOOK_ALLOW: each item must be a host name, an IP address or a CIDR block such as 10.0.0.0/8 (got "10.0.0.0/40")',
    );
  });

  it('reads who may read: a read token, public reads, and whether to trust the proxy', () => {
    expect(loadConfig({})).toMatchObject({
      controlToken: undefined,
      readToken: undefined,
      publicRead: false,
      trustProxy: false,
    });
    const c = loadConfig({
      CONTROL_TOKEN: 'c'.repeat(16),
      READ_TOKEN: 'r'.repeat(20),
      PUBLIC_READ: 'true',
      TRUST_PROXY: 'yes',
    });
    expect([c.controlToken, c.readToken, c.publicRead, c.trustProxy]).toEqual([
      'c'.repeat(16),
      'r'.repeat(20),
      true,
      true,
    ]);
  });

  it.each(['CONTROL_TOKEN', 'READ_TOKEN'])(
    'refuses a %s shorter than 16 characters, in one line without it',
    (name) => {
      const attempt = () => loadConfig({ [name]: 'short-secret-15' });
      expect(attempt).toThrow(ConfigError);
      expect(attempt).toThrow(`${name}: must be at least 16 characters`);
      expect(attempt).not.toThrow('short-secret-15');
    },
  );

  it.each([
    [
      { INPUT_TIME_FORMAT: 'unix' },
      'INPUT_TIME_FORMAT: must be one of epoch-seconds, epoch-millis, iso8601, record-timestamp',
    ],
    [{ INPUT_ID_FIELD: 'device..id' }, 'INPUT_ID_FIELD: must be a field name or a dotted path'],
    [{ METRICS_PORT: 'abc' }, 'METRICS_PORT: must be a port number or "off"'],
    [{ SHUTDOWN_TIMEOUT_MS: '50' }, 'SHUTDOWN_TIMEOUT_MS: must be a whole number of milliseconds ≥ 100'],
    [{ INPUT_KEYED_BY_SENSOR: 'maybe' }, 'INPUT_KEYED_BY_SENSOR: must be true or false'],
  ])('rejects %o naming the variable and the rule', (env, message) => {
    expect(() => loadConfig(env)).toThrow(message);
  });
});
