/**
 * The windows of ranges read back from the output topic, kept for a short while so the pages of
 * one range come from one read (GET /api/windows' `after` cursor) instead of a read per page. A
 * range is read again when its entry is gone (expired, evicted): the pages then still follow the
 * same order and cursor, only at the cost of a read. Bounded by entries and by windows held. Pure:
 * time is passed in.
 */

export interface RangeCacheLimits {
  /** An entry not used for this long is dropped. */
  idleMs: number;
  /** Entries at most; the least recently used goes first. */
  maxEntries: number;
  /** Windows held over all entries at most; a range larger than this is not kept. */
  maxWindows: number;
}

interface Entry<T> {
  windows: readonly T[];
  usedAt: number;
}

export class RangeCache<T> {
  /** In order of last use, oldest first (a Map keeps insertion order). */
  private readonly entries = new Map<string, Entry<T>>();
  private held = 0;

  constructor(private readonly limits: RangeCacheLimits) {}

  get size(): number {
    return this.entries.size;
  }

  get windowsHeld(): number {
    return this.held;
  }

  get(key: string, nowMs: number): readonly T[] | undefined {
    this.expire(nowMs);
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    this.entries.delete(key);
    this.entries.set(key, { windows: entry.windows, usedAt: nowMs });
    return entry.windows;
  }

  set(key: string, windows: readonly T[], nowMs: number): void {
    this.drop(key);
    this.expire(nowMs);
    if (windows.length > this.limits.maxWindows) return;
    while (this.entries.size >= this.limits.maxEntries || this.held + windows.length > this.limits.maxWindows) {
      const oldest = this.entries.keys().next();
      if (oldest.done) break;
      this.drop(oldest.value);
    }
    this.entries.set(key, { windows, usedAt: nowMs });
    this.held += windows.length;
  }

  private expire(nowMs: number): void {
    for (const [key, entry] of this.entries) if (nowMs - entry.usedAt >= this.limits.idleMs) this.drop(key);
  }

  private drop(key: string): void {
    const entry = this.entries.get(key);
    if (!entry) return;
    this.entries.delete(key);
    this.held -= entry.windows.length;
  }
}
