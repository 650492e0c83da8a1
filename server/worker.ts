/**
 * The windowing worker: consumes the input topic in one consumer group, keeps one engine per
 * assigned partition (watermarks are per partition, so a quiet partition never holds back the
 * others), and writes every closed window to the output topic. Invalid records are counted,
 * logged with topic/partition/offset and copied to the dead-letter topic; they never stop it.
 */
import type { Consumer, EachBatchPayload, Kafka, Message, Producer, TopicMessages } from 'kafkajs';
import type { ConfigRecord } from '../lib/contract';
import { scheduleOf } from '../lib/configView';
import { WindowEngine, type WindowResult } from '../lib/engine/windowEngine';
import { decodeReading } from '../lib/reading';
import type { AppConfig } from './config';
import type { ConfigStore } from './configStore';
import { createProducer } from './kafka/client';
import { log } from './log';
import type { Metrics } from './metrics';
import { RateLimitedLog } from './rateLimitedLog';

const ADVANCE_EVERY_MS = 200;

export class Worker {
  private readonly consumer: Consumer;
  private readonly producer: Producer;
  private readonly engines = new Map<number, WindowEngine>();
  private timer: NodeJS.Timeout | null = null;
  /** Output sends are chained so windows reach the topic in the order they closed. */
  private sendChain: Promise<void> = Promise.resolve();
  private knownEntries = new Set<string>();
  private readonly invalidLog = new RateLimitedLog(log.child({ component: 'worker' }), 10);

  constructor(
    kafka: Kafka,
    private readonly config: AppConfig,
    private readonly configStore: ConfigStore,
    private readonly metrics: Metrics,
  ) {
    this.consumer = kafka.consumer({ groupId: config.workerGroupId, maxBytes: 16 * 1024 * 1024 });
    this.producer = createProducer(kafka);
  }

  async start(): Promise<void> {
    await this.producer.connect();
    await this.consumer.connect();
    this.applyConfig(this.configStore.current);
    this.configStore.on('change', (record) => this.applyConfig(record));
    this.consumer.on(this.consumer.events.GROUP_JOIN, ({ payload }) => {
      const assigned = new Set(payload.memberAssignment[this.config.inputTopic] ?? []);
      for (const partition of this.engines.keys()) if (!assigned.has(partition)) this.engines.delete(partition);
      this.metrics.partitions = [...assigned].sort((a, b) => a - b);
      log.info('worker assigned partitions', { partitions: this.metrics.partitions });
    });
    await this.consumer.subscribe({ topic: this.config.inputTopic, fromBeginning: true });
    await this.consumer.run({ eachBatch: (payload) => this.onBatch(payload) });
    this.timer = setInterval(() => this.advanceAll(), ADVANCE_EVERY_MS);
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.consumer.disconnect();
    await this.sendChain;
    await this.producer.disconnect();
  }

  private engineFor(partition: number): WindowEngine {
    let engine = this.engines.get(partition);
    if (!engine) {
      const record = this.configStore.current;
      engine = new WindowEngine({
        schedule: scheduleOf(record),
        allowedLatenessMs: record.allowedLatenessMs,
        idleTimeoutMs: this.config.idleTimeoutMs,
      });
      this.engines.set(partition, engine);
    }
    return engine;
  }

  private async onBatch({ batch, heartbeat, isRunning, isStale }: EachBatchPayload): Promise<void> {
    const engine = this.engineFor(batch.partition);
    const rules = { maxFutureMs: this.config.maxFutureSeconds * 1000 };
    const deadLetters: Message[] = [];
    for (const message of batch.messages) {
      if (!isRunning() || isStale()) return;
      const now = Date.now();
      const decoded = decodeReading(message.value, now, rules, message.key);
      if (!decoded.ok) {
        this.metrics.invalidTotal++;
        this.invalidLog.warn('invalid reading skipped', {
          topic: batch.topic,
          partition: batch.partition,
          offset: message.offset,
          reason: decoded.reason,
        });
        deadLetters.push({
          key: message.key,
          value: message.value,
          headers: {
            'windowpane-reason': decoded.reason,
            'windowpane-topic': batch.topic,
            'windowpane-partition': String(batch.partition),
            'windowpane-offset': message.offset,
          },
        });
        continue;
      }
      this.metrics.readingsTotal++;
      if (engine.ingest(decoded.reading, now) === 'late') this.metrics.countLate(decoded.reading.sensorId);
    }
    const closed = engine.advance(Date.now());
    await this.send(closed, deadLetters);
    await heartbeat();
  }

  private advanceAll(): void {
    const now = Date.now();
    const closed: WindowResult[] = [];
    let lowest: number | null = null;
    let open = 0;
    for (const engine of this.engines.values()) {
      closed.push(...engine.advance(now));
      if (Number.isFinite(engine.watermarkMs)) lowest = Math.min(lowest ?? Infinity, engine.watermarkMs);
      open += engine.openSensorWindowCount;
    }
    this.metrics.lowestWatermarkMs = lowest;
    this.metrics.openWindows = open;
    if (closed.length > 0) void this.send(closed, []).catch(() => undefined);
  }

  private send(windows: WindowResult[], deadLetters: Message[]): Promise<void> {
    if (windows.length === 0 && deadLetters.length === 0) return this.sendChain;
    const topicMessages: TopicMessages[] = [];
    if (windows.length > 0) {
      topicMessages.push({
        topic: this.config.outputTopic,
        messages: windows.map((w) => ({ key: w.sensorId, value: JSON.stringify(w) })),
      });
    }
    if (deadLetters.length > 0) topicMessages.push({ topic: this.config.dlqTopic, messages: deadLetters });
    const next = this.sendChain.then(async () => {
      await this.producer.sendBatch({ topicMessages, acks: -1 });
      this.metrics.windowsTotal += windows.length;
    });
    this.sendChain = next.catch((error: Error) => {
      log.error('worker could not write windows', { count: windows.length, error: error.message });
    });
    return next;
  }

  private applyConfig(record: ConfigRecord): void {
    const schedule = scheduleOf(record);
    const added = schedule.filter((e) => !this.knownEntries.has(`${e.fromMs}/${e.windowMs}`));
    for (const [partition, engine] of this.engines) {
      for (const entry of added) {
        // Only possible if the change reached this worker after readings past its start time.
        if (engine.maxEventTime >= entry.fromMs) {
          this.metrics.scheduleConflicts++;
          log.error('window size change arrived after readings it applies to', { partition, fromMs: entry.fromMs });
        }
      }
      engine.setSchedule(schedule);
      engine.setAllowedLateness(record.allowedLatenessMs);
    }
    this.knownEntries = new Set(schedule.map((e) => `${e.fromMs}/${e.windowMs}`));
  }
}
