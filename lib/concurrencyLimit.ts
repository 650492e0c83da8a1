/**
 * At most `max` tasks of a kind under way at once; past it a task is refused at once rather than
 * queued, so a burst of expensive requests (reads of a whole topic range) cannot pile up. Pure.
 */
export class ConcurrencyLimit {
  private running = 0;

  constructor(readonly max: number) {}

  get active(): number {
    return this.running;
  }

  /** Runs `task` when a slot is free; null (task not run) when all `max` are taken. */
  tryRun<T>(task: () => Promise<T>): Promise<T> | null {
    if (this.running >= this.max) return null;
    this.running++;
    return Promise.resolve()
      .then(task)
      .finally(() => this.running--);
  }
}
