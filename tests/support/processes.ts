/** Worker processes and a load generator for the fault tests. */
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import type { Kafka, Producer } from 'kafkajs';
import type { AppConfig } from '../../server/config';

const ROOT = path.resolve(__dirname, '../..');

export interface WorkerProcess {
  child: ChildProcess;
  logs: string[];
  exited: Promise<number | null>;
}

export function appEnv(config: AppConfig, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return {
    ...process.env,
    INPUT_TOPIC: config.inputTopic,
    OUTPUT_TOPIC: config.outputTopic,
    CONFIG_TOPIC: config.configTopic,
    DLQ_TOPIC: config.dlqTopic,
    LATE_TOPIC: config.lateTopic,
    STATS_TOPIC: config.statsTopic,
    WORKER_GROUP_ID: config.workerGroupId,
    PARTIALS_TOPIC: config.partialsTopic,
    REDRIVE_TOPIC: config.redriveTopic,
    ALERT_RULES_TOPIC: config.alertRulesTopic,
    INPUT_KEYED_BY_SENSOR: String(config.keyedBySensor),
    WINDOW_SECONDS: String(config.windowMs / 1000),
    ALLOWED_LATENESS_SECONDS: String(config.allowedLatenessMs / 1000),
    WORKER_SESSION_TIMEOUT_MS: '6000',
    // Several workers on one machine: each takes a free port rather than all wanting 9464.
    METRICS_PORT: '0',
    ...extra,
  };
}

/** Node runs the worker itself (tsx as a loader, not a wrapper process), so signals reach it. */
export function spawnWorker(config: AppConfig, extra: Record<string, string> = {}): WorkerProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
    cwd: ROOT,
    env: appEnv(config, { ROLES: 'worker', ...extra }),
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  const logs: string[] = [];
  child.stderr!.on('data', (chunk: Buffer) => logs.push(...chunk.toString().split('\n').filter(Boolean)));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, logs, exited };
}

export async function stopWorker(worker: WorkerProcess, signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
  if (worker.child.exitCode !== null || worker.child.signalCode !== null) return;
  worker.child.kill(signal);
  await worker.exited;
}

/**
 * Produces live readings (event time = now, in order per sensor) for `sensors` sensors at
 * `ratePerSensor` readings a second until stopped. Seeded values; returns how many were sent.
 */
export class LoadGenerator {
  private timer: NodeJS.Timeout | null = null;
  private producer: Producer;
  private sending: Promise<void> = Promise.resolve();
  sent = 0;
  failed = 0;
  private seed = 11;

  constructor(
    kafka: Kafka,
    private readonly topic: string,
    private readonly sensors: number,
    private readonly ratePerSensor: number,
    /** Key each reading by its sensor id (INPUT_KEYED_BY_SENSOR), so each sensor stays in one partition. */
    private readonly keyedBySensor = false,
  ) {
    this.producer = kafka.producer();
  }

  async start(): Promise<void> {
    await this.producer.connect();
    let last = Date.now();
    this.timer = setInterval(() => {
      const now = Date.now();
      const slots = Math.floor(((now - last) * this.ratePerSensor) / 1000);
      if (slots === 0) return;
      const messages: { key: string | null; value: string }[] = [];
      for (let s = 0; s < slots; s++) {
        const t = last + ((s + 1) * 1000) / this.ratePerSensor;
        for (let id = 1; id <= this.sensors; id++) {
          this.seed = (this.seed * 1_103_515_245 + 12_345) % 2 ** 31;
          // By default no key and decimal values, as most producers send: each sensor spreads over every partition.
          messages.push({
            key: this.keyedBySensor ? String(id) : null,
            value: JSON.stringify({ id, time: Math.round(t) / 1000, value: (this.seed % 1000) / 100 }),
          });
        }
      }
      last += (slots * 1000) / this.ratePerSensor;
      this.sent += messages.length;
      // While the broker is down sends fail; those readings were never written, so they do not count.
      this.sending = this.sending.then(() =>
        this.producer.send({ topic: this.topic, messages }).then(
          () => undefined,
          () => {
            this.failed += messages.length;
          },
        ),
      );
    }, 50);
  }

  async stop(): Promise<number> {
    if (this.timer) clearInterval(this.timer);
    await this.sending;
    await this.producer.disconnect();
    return this.sent;
  }
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
