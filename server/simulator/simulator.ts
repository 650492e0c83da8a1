/** Runs the seeded reading generator on a timer and produces its readings to the input topic. */
import { EventEmitter } from 'node:events';
import type { Kafka, Producer } from 'kafkajs';
import type { SimulatorStart, SimulatorStatus } from '../../lib/contract';
import { ReadingGenerator } from '../../lib/simulation';
import type { AppConfig } from '../config';
import { createProducer } from '../kafka/client';
import { log } from '../log';

const TICK_MS = 100;
const MAX_READINGS_PER_SEND = 20_000;
const LATE_OFFSET_MS = 120_000;

export class Simulator extends EventEmitter<{ change: [SimulatorStatus] }> {
  private readonly producer: Producer;
  private generator: ReadingGenerator | null = null;
  private timer: NodeJS.Timeout | null = null;
  private sending = false;
  private status: SimulatorStatus;

  constructor(
    kafka: Kafka,
    private readonly config: AppConfig,
  ) {
    super();
    this.producer = createProducer(kafka);
    this.status = {
      running: false,
      sensors: config.simulator.sensors,
      ratePerSensor: config.simulator.ratePerSensor,
      jitterSeconds: 0,
      lateShare: 0,
      seed: config.simulator.seed,
      values: 'counts',
      // Unkeyed, as most producers send; keyed only where the app requires it.
      keyed: config.keyedBySensor,
      sent: 0,
      startedAt: null,
    };
  }

  get current(): SimulatorStatus {
    return { ...this.status };
  }

  async connect(): Promise<void> {
    await this.producer.connect();
  }

  start(options: SimulatorStart = {}, nowMs = Date.now()): SimulatorStatus {
    this.halt();
    this.status = {
      running: true,
      sensors: options.sensors ?? this.status.sensors,
      ratePerSensor: options.ratePerSensor ?? this.status.ratePerSensor,
      jitterSeconds: options.jitterSeconds ?? this.status.jitterSeconds,
      lateShare: options.lateShare ?? this.status.lateShare,
      seed: options.seed ?? this.status.seed,
      values: options.values ?? this.status.values,
      keyed: options.keyed ?? this.status.keyed,
      sent: 0,
      startedAt: nowMs,
    };
    this.generator = new ReadingGenerator({
      seed: this.status.seed,
      sensors: this.status.sensors,
      ratePerSensor: this.status.ratePerSensor,
      lambda: 2,
      values: this.status.values,
      jitterMs: this.status.jitterSeconds * 1000,
      lateShare: this.status.lateShare,
      lateOffsetMs: LATE_OFFSET_MS,
      startMs: nowMs,
    });
    this.timer = setInterval(() => void this.tick(), TICK_MS);
    log.info({ ...this.status }, 'simulator started');
    this.emit('change', this.current);
    return this.current;
  }

  stop(): SimulatorStatus {
    if (this.status.running) {
      this.halt();
      this.status = { ...this.status, running: false };
      log.info({ sent: this.status.sent }, 'simulator stopped');
      this.emit('change', this.current);
    }
    return this.current;
  }

  async close(): Promise<void> {
    this.halt();
    await this.producer.disconnect();
  }

  private halt(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    this.generator = null;
  }

  private async tick(): Promise<void> {
    // One send in flight at a time; readings due meanwhile go out with the next one.
    if (this.sending || !this.generator) return;
    const generator = this.generator;
    const readings = generator.due(Date.now(), MAX_READINGS_PER_SEND);
    if (readings.length === 0) return;
    this.sending = true;
    try {
      await this.producer.send({
        topic: this.config.inputTopic,
        messages: readings.map((r) => ({ key: this.status.keyed ? String(r.id) : null, value: JSON.stringify(r) })),
      });
      if (generator === this.generator) this.status.sent += readings.length;
    } catch (error) {
      log.error(
        {
          count: readings.length,
          error: (error as Error).message,
        },
        'simulator could not send readings; they are dropped',
      );
    } finally {
      this.sending = false;
    }
  }
}
