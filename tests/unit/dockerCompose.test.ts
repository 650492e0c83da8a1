/** No Docker engine runs on our machines, so the compose file's structure is what we can check. */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseDocument } from 'yaml';
import { KAFKA_VERSION } from '../../scripts/kafka/jars';

const root = path.resolve(__dirname, '../..');
// Not parse(), which throws while the file loads: a broken file should fail one test saying why.
const composeDocument = parseDocument(readFileSync(path.join(root, 'docker-compose.yml'), 'utf8'));
const compose = composeDocument.toJS();
const dockerfile = readFileSync(path.join(root, 'Dockerfile'), 'utf8');

describe('docker-compose.yml', () => {
  it('is valid YAML', () => {
    expect(composeDocument.errors.map((error) => error.message)).toEqual([]);
  });

  it('starts only kafka and app on plain `docker compose up` (the rest is behind profiles)', () => {
    const services: Record<string, { profiles?: string[] }> = compose.services;
    const byDefault = Object.keys(services).filter((name) => !services[name].profiles?.length);
    expect(byDefault.sort()).toEqual(['app', 'kafka']);
  });

  it('runs the official apache/kafka image at the version the local broker uses', () => {
    expect(compose.services.kafka.image).toBe(`apache/kafka:${KAFKA_VERSION}`);
  });

  it('configures a single-node KRaft broker whose internal topics fit one node', () => {
    const env = compose.services.kafka.environment;
    expect(env.KAFKA_PROCESS_ROLES).toBe('broker,controller');
    expect(env.KAFKA_CONTROLLER_QUORUM_VOTERS).toBe(`${env.KAFKA_NODE_ID}@kafka:9093`);
    for (const key of [
      'KAFKA_OFFSETS_TOPIC_REPLICATION_FACTOR',
      'KAFKA_TRANSACTION_STATE_LOG_REPLICATION_FACTOR',
      'KAFKA_TRANSACTION_STATE_LOG_MIN_ISR',
    ]) {
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
