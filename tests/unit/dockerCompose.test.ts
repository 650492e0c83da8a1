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
    // Callers arrive from the Docker network, never loopback: without this no read would be answered.
    expect(app.environment.PUBLIC_READ).toBe('true');
    expect(app.ports).toEqual([`127.0.0.1:${app.environment.PORT}:${app.environment.PORT}`]);
    expect(app.build).toBe('.');
  });

  it('publishes every port on loopback only (opening one to the network is a choice the README explains)', () => {
    const services: Record<string, { ports?: string[] }> = compose.services;
    const published = Object.values(services).flatMap((service) => service.ports ?? []);
    expect(published.length).toBeGreaterThan(0);
    for (const port of published) expect(port).toMatch(/^127\.0\.0\.1:\d+:\d+$/);
  });
});

/** The Dockerfile's instructions per stage: continuation lines joined, comments dropped. */
function dockerStages(text: string): { from: string; instructions: string[] }[] {
  const instructions = text
    .replace(/\\\n/g, ' ')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'));
  const stages: { from: string; instructions: string[] }[] = [];
  for (const instruction of instructions) {
    if (/^FROM /i.test(instruction)) stages.push({ from: instruction, instructions: [] });
    else stages.at(-1)?.instructions.push(instruction);
  }
  return stages;
}

describe('Dockerfile', () => {
  const stages = dockerStages(dockerfile);
  const runtime = stages.at(-1)!;
  const startScript: string = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')).scripts.start;

  it('builds on a Node LTS line that is not end-of-life, the same in every stage', () => {
    const images = stages.map((stage) => /^FROM (\S+)/.exec(stage.from)![1]);
    expect(new Set(images).size).toBe(1);
    const major = Number(/^node:(\d+)-bookworm-slim$/.exec(images[0])?.[1]);
    // Even majors are the LTS lines; 20 reached its end of life in April 2026, 22 ends in April 2027.
    expect(major % 2).toBe(0);
    expect(major).toBeGreaterThanOrEqual(24);
  });

  it('builds the dashboard with the dev dependencies in a stage of its own', () => {
    expect(stages.length).toBeGreaterThanOrEqual(2);
    const build = stages.find((stage) => stage.instructions.some((i) => i.includes('next build')))!;
    expect(build.from).toMatch(/ AS build$/i);
    expect(build.instructions).toContain('RUN npm ci');
    expect(runtime.instructions.some((i) => /^COPY --from=build .*\/app\/\.next \.\/\.next$/.test(i))).toBe(true);
  });

  it('runs with production dependencies only, patched by patch-package (patches/ copied before npm ci)', () => {
    const install = runtime.instructions.findIndex((i) => /^RUN npm ci --omit=dev\b/.test(i));
    expect(install).toBeGreaterThan(-1);
    for (const stage of stages) {
      const ci = stage.instructions.findIndex((i) => i.startsWith('RUN npm ci'));
      const patches = stage.instructions.findIndex((i) => /^COPY patches\b/.test(i));
      expect(patches).toBeGreaterThan(-1);
      expect(patches).toBeLessThan(ci);
    }
  });

  it('runs as the unprivileged node user, not root', () => {
    const users = runtime.instructions.filter((i) => i.startsWith('USER '));
    expect(users.at(-1)).toBe('USER node');
    const cmd = runtime.instructions.findIndex((i) => i.startsWith('CMD '));
    expect(runtime.instructions.lastIndexOf('USER node')).toBeLessThan(cmd);
  });

  it('starts server/main.ts with the flags of `npm start`', () => {
    const cmd = runtime.instructions.find((i) => i.startsWith('CMD '))!;
    const args: string[] = JSON.parse(cmd.slice('CMD '.length));
    const startFlags = startScript.split(' ').filter((word) => word.startsWith('--') && word !== '--import');
    expect(args[0]).toBe('node');
    for (const flag of startFlags) expect(args).toContain(flag);
    expect(args.slice(-3)).toEqual(['--import', 'tsx', 'server/main.ts']);
  });
});
