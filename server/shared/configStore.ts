/**
 * The runtime config (window-size schedule, allowed lateness) lives in a Kafka topic, not in
 * process memory, so every worker — restarted or added later — applies a size change at the
 * same event time. Each process follows the topic as a table (server/kafka/compactedTable.ts) and
 * keeps the latest record.
 */
import { EventEmitter } from 'node:events';
import type { Kafka } from 'kafkajs';
import { configRecordSchema, type ConfigRecord, type ConfigUpdate } from '../../lib/contract';
import { scheduleOf, scheduleToRecord } from '../../lib/configView';
import { entryOf, scheduleChange, type WindowSize } from '../../lib/engine/schedule';
import { parseRecord } from '../../lib/parseRecord';
import type { AppConfig } from '../config';
import { CompactedTable } from '../kafka/compactedTable';
import { log } from '../log';

const CONFIG_KEY = 'config';

export interface ConfigStoreEvents {
  change: [ConfigRecord];
}

/** The size a deployment starts with: WINDOW_CALENDAR's period when set, else WINDOW_SECONDS. */
function initialSize(config: Pick<AppConfig, 'windowMs' | 'windowCalendar'>): WindowSize {
  return config.windowCalendar ? { calendar: config.windowCalendar } : { windowMs: config.windowMs };
}

export class ConfigStore extends EventEmitter<ConfigStoreEvents> {
  private latest: ConfigRecord | null = null;
  private readonly table: CompactedTable;

  constructor(
    kafka: Kafka,
    private readonly config: AppConfig,
  ) {
    super();
    this.table = new CompactedTable(kafka, config.configTopic, 'config', { apply: (_key, value) => this.apply(value) });
  }

  get current(): ConfigRecord {
    if (!this.latest) throw new Error('config store not started');
    return this.latest;
  }

  /** Resolves once the whole topic has been read; an empty one first gets the settings' config. */
  async start(): Promise<void> {
    const end = await this.table.start();
    if (end > 0) return;
    await this.publish({
      version: 1,
      schedule: scheduleToRecord([entryOf(initialSize(this.config), Number.NEGATIVE_INFINITY)]),
      allowedLatenessMs: this.config.allowedLatenessMs,
      updatedAt: Date.now(),
    });
  }

  /**
   * Applies a validated update. A size change is scheduled at an event time far enough ahead
   * that no reading at or after it can have been windowed yet: readings more than
   * `maxFutureMs` ahead of wall-clock time are rejected as invalid, so `lead` covers them.
   */
  async update(update: ConfigUpdate, nowMs: number, latestEventTimeMs = 0): Promise<ConfigRecord> {
    const current = this.current;
    let schedule = scheduleOf(current);
    const size: WindowSize | null =
      update.windowSeconds !== undefined
        ? { windowMs: Math.round(update.windowSeconds * 1000) }
        : update.calendar !== undefined && update.timeZone !== undefined
          ? { calendar: { unit: update.calendar, timeZone: update.timeZone } }
          : null;
    if (size) {
      const leadMs = this.config.maxFutureMs + 2_000;
      const earliest = Math.max(nowMs, latestEventTimeMs) + leadMs;
      schedule = scheduleChange(schedule, size, earliest);
    }
    const next: ConfigRecord = {
      version: current.version + 1,
      schedule: scheduleToRecord(schedule),
      allowedLatenessMs:
        update.allowedLatenessSeconds === undefined
          ? current.allowedLatenessMs
          : Math.round(update.allowedLatenessSeconds * 1000),
      updatedAt: nowMs,
    };
    await this.publish(next);
    return this.current;
  }

  stop(): Promise<void> {
    return this.table.stop();
  }

  /** Returns once this process has read the record back. */
  private publish(record: ConfigRecord): Promise<void> {
    return this.table.write(CONFIG_KEY, JSON.stringify(record));
  }

  /** Keeps the latest record: one with an older version (written by a process behind) is ignored. */
  private apply(value: Buffer | null): boolean {
    if (value === null) return false;
    const result = parseRecord(value, configRecordSchema);
    if (!result.ok) {
      log.error({ topic: this.config.configTopic, reason: result.error }, 'config record is invalid; ignored');
      return false;
    }
    if (this.latest && result.value.version < this.latest.version) return false;
    this.latest = result.value;
    this.emit('change', result.value);
    return true;
  }
}
