/**
 * `GET /api/windows?from=&to=`: the windows whose start is in [from, to), from the web tier's
 * memory when it holds all of them, otherwise read back from the output topic (offsets by
 * timestamp: a window's record is stamped when it closed, after its start). Exactly what the topic
 * holds: one window per (sensor, start), the last written. Paged by a cursor over (start, sensor).
 *
 * A range read from the topic is read once for all its pages: its windows are kept a minute
 * (lib/feed/rangeCache.ts) and the following pages are cut from them; a first page always reads
 * afresh. At most MAX_TOPIC_READS reads run at once (another request for a range being read waits
 * for that read); past that, 429 with Retry-After.
 */
import type { Kafka, KafkaMessage } from 'kafkajs';
import type { WindowResultRecord } from '../../../lib/contract';
import { upsertWindow } from '../../../lib/feed/upsert';
import { byStartThenSensor } from '../../../lib/feed/windowFeed';
import { ConcurrencyLimit } from '../../../lib/concurrencyLimit';
import { RangeCache } from '../../../lib/feed/rangeCache';
import { Refusal } from '../../../lib/refusal';
import { parseWindowRecord, windowRecordFields } from '../../../lib/windowRecord';
import { offsetsSince } from '../../kafka/offsetsSince';
import { readRanges } from '../../kafka/readRanges';
import type { WindowHistory } from './windowHistory';

/** Records read from the topic for one request at most (about 200 MB of JSON): past it, 413. */
const MAX_RANGE_RECORDS = 2_000_000;
const READ_TIMEOUT_MS = 60_000;
/** Reads of the output topic under way at once, over every query. */
const MAX_TOPIC_READS = 2;
const BUSY_RETRY_SECONDS = 5;
/** Ranges kept for their next pages: a minute after their last page, 4 at most, 2 M windows in all. */
const RANGE_CACHE = { idleMs: 60_000, maxEntries: 4, maxWindows: MAX_RANGE_RECORDS };

/** Refused with 429: enough reads of the topic are under way. */
class TopicReadsBusyError extends Refusal {
  constructor(readonly maxReads: number) {
    const message = `from, to: ${maxReads} reads of older windows are under way; try again in ${BUSY_RETRY_SECONDS} s`;
    super(429, message, BUSY_RETRY_SECONDS);
    this.name = 'TopicReadsBusyError';
  }
}

/** Refused with 413: the API's answer names the query's fields. */
export class RangeTooLargeError extends Refusal {
  constructor(readonly maxRecords: number) {
    const advice = 'ask for a shorter range or one sensor';
    super(413, `from, to: the range holds more than ${maxRecords} window records to read; ${advice}`);
    this.name = 'RangeTooLargeError';
  }
}

export interface RangeQuery {
  fromMs: number;
  toMs: number;
  sensorId?: string;
  limit: number;
  /** Cursor from the previous page: the (start, sensor) of its last window. */
  after?: { windowStart: number; sensorId: string };
}

export interface RangePage {
  windows: WindowResultRecord[];
  /** Pass as `after` for the next page; null on the last one. */
  next: string | null;
  source: 'memory' | 'topic';
}

function encodeCursor(w: { windowStart: number; sensorId: string }): string {
  return `${w.windowStart}:${w.sensorId}`;
}

/** Null when the cursor is not one this API wrote. */
export function decodeCursor(text: string): { windowStart: number; sensorId: string } | null {
  const colon = text.indexOf(':');
  const windowStart = Number(text.slice(0, colon));
  return colon > 0 && Number.isSafeInteger(windowStart) ? { windowStart, sensorId: text.slice(colon + 1) } : null;
}

export class WindowRange {
  private readonly reads = new ConcurrencyLimit(MAX_TOPIC_READS);
  /** By query: the read under way, which another request for the same range joins. */
  private readonly reading = new Map<string, Promise<WindowResultRecord[]>>();
  private readonly kept = new RangeCache<WindowResultRecord>(RANGE_CACHE);
  private readsStarted = 0;

  constructor(
    private readonly kafka: Kafka,
    private readonly outputTopic: string,
    private readonly history: WindowHistory,
    /** How long after its start a window may close: the largest window size + allowed lateness + slack. */
    private readonly closesWithinMs: () => number,
  ) {}

  /** Reads of the output topic started (each serves every page of its range). */
  get topicReads(): number {
    return this.readsStarted;
  }

  async page(query: RangeQuery): Promise<RangePage> {
    const inMemory = this.history.rangeInMemory(query.fromMs, query.toMs, query.sensorId);
    const source = inMemory === null ? 'topic' : 'memory';
    const all = inMemory ?? (await this.topicWindows(query));
    const start = query.after ? all.findIndex((w) => byStartThenSensor(w, query.after as WindowResultRecord) > 0) : 0;
    // One page is copied, not the rest of a kept range of up to 2 M windows.
    const from = start < 0 ? all.length : start;
    const windows = all.slice(from, from + query.limit).map(windowRecordFields);
    const next = all.length - from > query.limit ? encodeCursor(windows[windows.length - 1]) : null;
    return { windows, next, source };
  }

  /** The range's windows as the topic holds them: kept from the first page's read for the next pages. */
  private async topicWindows(query: RangeQuery): Promise<readonly WindowResultRecord[]> {
    const key = `${query.fromMs}/${query.toMs}/${query.sensorId ?? ''}`;
    const kept = query.after ? this.kept.get(key, Date.now()) : undefined;
    if (kept) return kept;
    const underWay = this.reading.get(key);
    if (underWay) return underWay;
    const read = this.reads.tryRun(() => this.fromTopic(query));
    if (!read) throw new TopicReadsBusyError(this.reads.max);
    this.readsStarted++;
    this.reading.set(key, read);
    try {
      const windows = await read;
      this.kept.set(key, windows, Date.now());
      return windows;
    } finally {
      this.reading.delete(key);
    }
  }

  private async fromTopic(query: RangeQuery): Promise<WindowResultRecord[]> {
    const bySensor = new Map<string, WindowResultRecord[]>();
    const untilMs = query.toMs + this.closesWithinMs();
    let read = 0;
    const ranges = await offsetsSince(this.kafka, this.outputTopic, query.fromMs);
    const visit = (_partition: number, messages: KafkaMessage[]) => {
      // A window closes at most closesWithinMs after its start, and record timestamps rise with the
      // log (roughly): a partition's first record stamped after untilMs ends its read.
      const cut = messages.findIndex((m) => Number(m.timestamp) > untilMs);
      const kept = cut < 0 ? messages : messages.slice(0, cut);
      read += kept.length;
      if (read > MAX_RANGE_RECORDS) throw new RangeTooLargeError(MAX_RANGE_RECORDS);
      for (const m of kept) {
        const w = parseWindowRecord(m.value);
        if ('error' in w || w.windowStart < query.fromMs || w.windowStart >= query.toMs) continue;
        if (query.sensorId !== undefined && w.sensorId !== query.sensorId) continue;
        let list = bySensor.get(w.sensorId);
        if (!list) bySensor.set(w.sensorId, (list = []));
        upsertWindow(list, w);
      }
      return cut < 0 ? undefined : 'done';
    };
    await readRanges(this.kafka, this.outputTopic, ranges, visit, { timeoutMs: READ_TIMEOUT_MS });
    return [...bySensor.values()].flat().sort(byStartThenSensor);
  }
}
