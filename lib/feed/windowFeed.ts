/**
 * The web tier's window feed, pure (time and records passed in): per sensor the newest windows,
 * a sequence number for every window that changed, pending windows pushed in batches, and a ring
 * of pushed windows a reconnecting browser catches up from. server/windowHistory.ts fills it from
 * the output topic and pushes its batches to socket.io.
 */
import type { FeedWindow, WindowResultRecord } from '../contract';
import { trimToNewest, upsertWindow } from './upsert';

export interface WindowFeedOptions {
  /** Windows kept per sensor (HISTORY_WINDOWS). */
  perSensor: number;
  /** Pushed windows kept for catching up. */
  ringCapacity: number;
  /** MAX_SENSORS: sensors kept; windows of further ones are not taken in (counted in `untrackedWindows`). */
  maxSensors?: number;
}

export class WindowFeed {
  private seq = 0;
  private flushedSeq = 0;
  private ring: FeedWindow[] = [];
  private readonly bySensor = new Map<string, FeedWindow[]>();
  private pending: FeedWindow[] = [];
  private latestEnd = 0;
  private untracked = 0;

  constructor(private readonly options: WindowFeedOptions) {}

  /** Windows not taken in because their sensor was new once MAX_SENSORS sensors were kept. */
  get untrackedWindows(): number {
    return this.untracked;
  }

  get sensorCount(): number {
    return this.bySensor.size;
  }

  /** windowEnd of the newest window taken in; 0 before any. */
  get latestWindowEnd(): number {
    return this.latestEnd;
  }

  /** Feed position of the last window pushed. */
  get position(): number {
    return this.flushedSeq;
  }

  /**
   * Takes in a window closed at `closedAt`; false when it is one already kept (delivered again) or
   * when its sensor is new and MAX_SENSORS sensors are kept already (a sensor kept is never refused).
   */
  accept(record: WindowResultRecord, closedAt: number): boolean {
    let list = this.bySensor.get(record.sensorId);
    if (!list) {
      if (this.bySensor.size >= (this.options.maxSensors ?? Infinity)) {
        this.untracked++;
        return false;
      }
      this.bySensor.set(record.sensorId, (list = []));
    }
    const w: FeedWindow = { ...record, seq: this.seq + 1, closedAt };
    if (upsertWindow(list, w) === 'unchanged') return false;
    this.seq = w.seq;
    trimToNewest(list, this.options.perSensor);
    this.latestEnd = Math.max(this.latestEnd, w.windowEnd);
    this.pending.push(w);
    return true;
  }

  /** The windows taken in since the last flush, now pushed (empty when there are none). */
  flush(): FeedWindow[] {
    if (this.pending.length === 0) return [];
    const batch = this.pending;
    this.pending = [];
    this.ring.push(...batch);
    if (this.ring.length > this.options.ringCapacity)
      this.ring = this.ring.slice(this.ring.length - this.options.ringCapacity);
    this.flushedSeq = batch[batch.length - 1].seq;
    return batch;
  }

  /** Most recent windows, oldest first: of one sensor, or of all sensors together. */
  recent(limit: number, sensorId?: string): FeedWindow[] {
    if (sensorId !== undefined) return (this.bySensor.get(sensorId) ?? []).slice(-limit);
    const all: FeedWindow[] = [];
    for (const windows of this.bySensor.values()) all.push(...windows.slice(-limit));
    all.sort((a, b) => a.windowEnd - b.windowEnd || (a.sensorId < b.sensorId ? -1 : a.sensorId > b.sensorId ? 1 : 0));
    return all.slice(-limit);
  }

  /**
   * Windows kept whose start is in [fromMs, toMs), of one sensor or all, ordered by start then
   * sensor; `heldFrom`: memory is missing nothing that starts at or after it (a sensor whose list
   * is full has dropped its older windows; infinite when sensors past MAX_SENSORS were left out).
   */
  range(fromMs: number, toMs: number, sensorId?: string): { windows: FeedWindow[]; heldFrom: number } {
    const lists = sensorId === undefined ? [...this.bySensor.values()] : [this.bySensor.get(sensorId) ?? []];
    const windows: FeedWindow[] = [];
    let heldFrom = Number.NEGATIVE_INFINITY;
    for (const list of lists) {
      if (list.length >= this.options.perSensor) heldFrom = Math.max(heldFrom, list[0].windowStart);
      for (const w of list) if (w.windowStart >= fromMs && w.windowStart < toMs) windows.push(w);
    }
    windows.sort(byStartThenSensor);
    // Windows of sensors past MAX_SENSORS were never kept: memory holds none of theirs.
    const missesSensors = this.untracked > 0 && (sensorId === undefined || !this.bySensor.has(sensorId));
    return { windows, heldFrom: missesSensors ? Number.POSITIVE_INFINITY : heldFrom };
  }

  /**
   * The last `perSensor` pushed windows of every sensor, and the feed position they bring a
   * client to: what a browser gets when it connects. Windows not pushed yet are left out; they
   * come with the next push.
   */
  snapshot(perSensor: number): { records: FeedWindow[]; seq: number } {
    const records: FeedWindow[] = [];
    for (const windows of this.bySensor.values()) {
      for (const w of windows.slice(-perSensor)) if (w.seq <= this.flushedSeq) records.push(w);
    }
    return { records: records.sort((a, b) => a.seq - b.seq), seq: this.flushedSeq };
  }

  /** Pushed windows after feed position `after`; null when they are no longer all kept. */
  since(after: number): FeedWindow[] | null {
    if (after >= this.flushedSeq) return [];
    if (this.ring.length === 0 || this.ring[0].seq > after + 1) return null;
    let lo = 0;
    let hi = this.ring.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.ring[mid].seq <= after) lo = mid + 1;
      else hi = mid;
    }
    return this.ring.slice(lo);
  }
}

export function byStartThenSensor(a: WindowResultRecord, b: WindowResultRecord): number {
  return a.windowStart - b.windowStart || (a.sensorId < b.sensorId ? -1 : a.sensorId > b.sensorId ? 1 : 0);
}
