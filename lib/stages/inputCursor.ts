/**
 * Where a stage is in the partition it reads, shared by both stages (partitionStage.ts,
 * mergeStage.ts). A restarted stage reads again from its committed offset (the first record of its
 * oldest open window) and replays what it had processed before, up to its checkpoint's `resumeAt`,
 * only to rebuild its open windows; what comes after is processed. Records below where it already
 * is are skipped: a batch fetched before the restart's fencing, or one read twice.
 */

/** What a stage does with a record: nothing, rebuild state from it, or process it anew. */
export type OffsetRole = 'skip' | 'replay' | 'process';

export class InputCursor {
  /** Offset after the last record taken in (processed, replayed, or a transaction marker passed). */
  private position = 0;
  /** Records below this offset belong to a stale fetch from before the start's fencing. */
  private startAt = 0;
  /** Records below this offset were processed before the restart: replay them only. */
  private replayUntilOffset = 0;

  /** `committed`: the offset read from (null: the beginning); `resumeAt`: the checkpoint's, 0 without one. */
  restart(committed: number | null, resumeAt: number): void {
    this.position = committed ?? 0;
    this.startAt = committed ?? 0;
    this.replayUntilOffset = resumeAt;
  }

  /** Offset after the last record taken in: the partition is read up to here. */
  get readUpTo(): number {
    return this.position;
  }

  get replayUntil(): number {
    return this.replayUntilOffset;
  }

  /** True while the records processed before the restart are being replayed. */
  get replaying(): boolean {
    return this.position < this.replayUntilOffset;
  }

  /** Classifies the record at `offset` and, unless it is skipped, moves past it. */
  take(offset: number): OffsetRole {
    if (offset < this.startAt || offset < this.position) return 'skip';
    this.position = offset + 1;
    return offset < this.replayUntilOffset ? 'replay' : 'process';
  }

  /**
   * After a batch: `nextOffset` is the offset after its last record, control records of
   * transactional producers included, so that a partition read to its end shows so. Only when the
   * batch was taken in up to its last record are the offsets between it and `nextOffset` markers.
   */
  passMarkers(batch: readonly { offset: string }[], nextOffset: number | undefined): void {
    const last = batch.at(-1);
    if (nextOffset === undefined || last === undefined) return;
    if (this.position === Number(last.offset) + 1 && nextOffset > this.position) this.position = nextOffset;
  }

  /** The offset to commit: a restart reads again from the oldest open window's first record, else from here. */
  replayFrom(oldestOpenPosition: number | null): number {
    return oldestOpenPosition ?? this.position;
  }
}
