/** No Docker engine runs on our machines, so the compose file's structure is what we can check. */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { KAFKA_VERSION } from '../../server/broker/localBroker';

const root = path.resolve(__dirname, '../..');
const compose = parse(readFileSync(path.join(root, 'docker-compose.yml'), 'utf8'));
const dockerfile = readFileSync(path.join(root, 'Dockerfile'), 'utf8');

describe('docker-compose.yml', () => {
  it('runs the official apache/kafka image at the version the local broker uses', () => {
    expect(compose.services.kafka.image).toBe(`apache/kafka:${KAFKA_VERSION}`);
  });

  it('configures a single-node KRaft broker whose internal topics fit one node', () => {
    const env = compose.services.kafka.environment;
    expect(env.KAFKA_PROCESS_ROLES).toBe('broker,controller');
    expect(env.KAFKA_CONTROLLER_QUORUM_VOTERS).toBe(`${env.KAFKA_NODE_ID}@kafka:9093`);
    for (const key of ['KAFKA_OFFSETS_TOPIC_REPLICATION_FACTOR', 'KAFKA_TRANSACTION_STATE_LOG_REPLICATION_FACTOR', 'KAFKA_TRANSACTION_STATE_LOG_MIN_ISR']) {
      expect(env[key]).toBe(1);
    }
  });

  it('points the app at the advertised listener and waits for a healthy broker', () => {
    const app = compose.services.app;
    const advertised: string = compose.services.kafka.environment.KAFKA_ADVERTISED_LISTENERS;
    expect(advertised).toBe(`PLAINTEXT://${app.environment.KAFKA_BROKERS}`);
    expect(app.depends_on.kafka.condition).toBe('service_healthy');
    expect(compose.services.kafka.healthcheck.test.join(' ')).toContain('9092');
    expect(app.environment.HOST).toBe('0.0.0.0');
    expect(app.ports).toContain(`${app.environment.PORT}:${app.environment.PORT}`);
    expect(app.build).toBe('.');
  });

  it('builds an app image that serves the production build', () => {
    expect(dockerfile).toMatch(/^FROM node:20/m);
    expect(dockerfile).toContain('npm ci');
    expect(dockerfile).toContain('next build');
    expect(dockerfile).toContain('server/main.ts');
  });
});
