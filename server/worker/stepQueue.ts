/**
 * Runs a task's steps one at a time, in order. The first step that fails stops the queue for good
 * (later steps are skipped) and is reported once: the task restarts from its last commit.
 */
export class StepQueue {
  private queue: Promise<void> = Promise.resolve();
  private stopped = false;

  constructor(private readonly onFailure: (error: Error) => void) {}

  enqueue(step: () => Promise<void>): Promise<void> {
    const run = this.queue.then(() => (this.stopped ? undefined : step()));
    this.queue = run.catch((error: Error) => {
      if (this.stopped) return;
      this.stopped = true;
      this.onFailure(error);
    });
    return run;
  }

  /** Stops after the step in progress; resolves when it has finished. */
  close(): Promise<void> {
    this.stopped = true;
    return this.queue;
  }
}
