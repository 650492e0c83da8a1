/**
 * "What if" re-window jobs (POST /api/rewindow): recompute the windows of a past range at another
 * size from the input topic, beside the live state and without touching it or the output topic.
 * A job plans its read (offsets by timestamp, from the range's start minus the largest lead an
 * event time may have over its record's timestamp, up to the end offsets captured at its start),
 * reads, decodes each record as the worker does and aggregates with the engine's window store
 * (lib/rewindow/). Its source and clock are injected, so this runner is unit-tested without Kafka.
 */
import { randomUUID } from 'node:crypto';
import type { RewindowJob, RewindowRequest, RewindowStatus } from '../../../lib/contract';
import type { DecodeResult, InputRecord } from '../../../lib/input/readingDecoder';
import type { PartitionRange } from '../../../lib/kafka/readPlan';
import { RewindowAggregator } from '../../../lib/rewindow/aggregate';
import { estimateRecords, readFromTimestamp, wholeWindowRange } from '../../../lib/rewindow/plan';
import { Refusal } from '../../../lib/refusal';
import { progressOf } from '../../../lib/rewindow/progress';
import { windowRecordOf } from '../../../lib/windowRecord';

/** Where a job's records come from (server/rewindowSource.ts gives it Kafka). */
export interface RewindowSource {
  /** Per input partition, the offsets from the first stamped at or after `sinceMs` to the end now. */
  ranges(sinceMs: number): Promise<PartitionRange[]>;
  /**
   * Reads the ranges, handing on each batch (a partition's records in log order). Resolves when all
   * are read, or soon after `signal` is aborted; rejects when reading fails.
   */
  read(ranges: PartitionRange[], visit: (records: InputRecord[]) => void, signal: AbortSignal): Promise<void>;
}

export interface RewindowLimits {
  /** Jobs whose read is still under way (a cancelled one until its consumer has stopped). */
  maxRunning: number;
  /** Refused (413) when the offsets say more records than this must be read. */
  maxRecords: number;
  /** A finished job's result is kept this long after it finished... */
  keepMs: number;
  /** ...and only for this many finished jobs (the oldest go first): results can be large. */
  maxKept: number;
}

export const DEFAULT_REWINDOW_LIMITS: RewindowLimits = {
  maxRunning: 2,
  maxRecords: 2_000_000,
  keepMs: 10 * 60_000,
  maxKept: 20,
};

export interface RewindowDeps {
  source: RewindowSource;
  /** The worker's decoder (same INPUT_* settings, key check and future-time rule). */
  decode: (record: InputRecord) => DecodeResult;
  /** MAX_FUTURE_SECONDS in ms: how far an event time may be ahead of its record's timestamp. */
  maxFutureMs: number;
  now: () => number;
  newId?: () => string;
}

/** A job refused before it started: the HTTP status and a message naming the field. */
export class RewindowRefused extends Refusal {
  constructor(
    override readonly status: 413 | 429 | 503,
    message: string,
  ) {
    super(status, message);
    this.name = 'RewindowRefused';
  }
}

interface Job {
  view: Omit<RewindowJob, 'progress'>;
  readRecords: number;
  totalRecords: number;
  abort: AbortController;
  /** Settles when the read has stopped (finished, failed or cancelled). */
  settled: Promise<void>;
  reading: boolean;
}

export class RewindowJobs {
  private readonly jobs = new Map<string, Job>();
  /** Jobs between their request and their first read (looking up offsets): they hold a slot. */
  private planning = 0;

  constructor(
    private readonly deps: RewindowDeps,
    private readonly limits: RewindowLimits = DEFAULT_REWINDOW_LIMITS,
  ) {}

  /** Starts a job; throws RewindowRefused when a limit says no. The request is validated already. */
  async start(request: RewindowRequest): Promise<RewindowJob> {
    this.expire();
    if (this.running() + this.planning >= this.limits.maxRunning) {
      throw new RewindowRefused(
        429,
        `rewindow: at most ${this.limits.maxRunning} jobs run at a time; wait for one to finish or cancel it`,
      );
    }
    const windowMs = Math.round(request.windowSeconds * 1000);
    const range = wholeWindowRange(request.from, request.to, windowMs);
    // The schema refuses a range without a whole window; this guards direct callers.
    if (range === null) throw new RangeError('windowSeconds: must leave at least one whole window between from and to');
    this.planning++;
    let ranges: PartitionRange[];
    try {
      ranges = await this.deps.source.ranges(readFromTimestamp(range.fromMs, this.deps.maxFutureMs));
    } catch (error) {
      throw new RewindowRefused(
        503,
        `kafka: could not look up the input topic's offsets (${(error as Error).message}); try again`,
      );
    } finally {
      this.planning--;
    }
    const totalRecords = estimateRecords(ranges);
    if (totalRecords > this.limits.maxRecords) {
      throw new RewindowRefused(
        413,
        `from, to: about ${totalRecords} input records would be read (from the range's start to the end of the topic), more than ${this.limits.maxRecords}; ask for a more recent or shorter range`,
      );
    }
    const id = this.deps.newId?.() ?? randomUUID();
    const job: Job = {
      view: {
        id,
        status: 'running',
        request,
        range: { from: range.fromMs, to: range.toMs },
        startedAt: this.deps.now(),
        finishedAt: null,
      },
      readRecords: 0,
      totalRecords,
      abort: new AbortController(),
      settled: Promise.resolve(),
      reading: true,
    };
    this.jobs.set(id, job);
    job.settled = this.run(job, ranges, new RewindowAggregator({ ...range, windowMs, sensorId: request.sensorId }));
    return this.viewOf(job);
  }

  /** Null when there is no such job (never started, or its result has expired). */
  get(id: string): RewindowJob | null {
    this.expire();
    const job = this.jobs.get(id);
    return job ? this.viewOf(job) : null;
  }

  /** Cancels a running job (a finished one is left as it is). Null when there is no such job. */
  cancel(id: string): RewindowJob | null {
    this.expire();
    const job = this.jobs.get(id);
    if (!job) return null;
    if (job.view.status === 'running') {
      this.finish(job, 'cancelled');
      job.abort.abort();
    }
    return this.viewOf(job);
  }

  /** Cancels every running job and waits for their reads to stop (process shutdown). */
  async stop(): Promise<void> {
    const jobs = [...this.jobs.values()];
    for (const job of jobs) if (job.view.status === 'running') this.cancel(job.view.id);
    await Promise.all(jobs.map((j) => j.settled));
  }

  private async run(job: Job, ranges: PartitionRange[], aggregator: RewindowAggregator): Promise<void> {
    const { signal } = job.abort;
    try {
      await this.deps.source.read(
        ranges,
        (records) => {
          if (signal.aborted) return;
          for (const record of records) aggregator.add(this.deps.decode(record));
          job.readRecords += records.length;
        },
        signal,
      );
      if (job.view.status === 'running') {
        job.view.result = {
          windows: aggregator.finish().map((w) => windowRecordOf(w)),
          skipped: { ...aggregator.skipped },
        };
        this.finish(job, 'done');
      }
    } catch (error) {
      if (job.view.status === 'running') {
        job.view.error = `Reading the input topic failed: ${(error as Error).message}.`;
        this.finish(job, 'failed');
      }
    } finally {
      job.reading = false;
    }
  }

  private finish(job: Job, status: Exclude<RewindowStatus, 'running'>): void {
    job.view.status = status;
    job.view.finishedAt = this.deps.now();
  }

  private running(): number {
    let n = 0;
    for (const job of this.jobs.values()) if (job.reading) n++;
    return n;
  }

  /** Drops finished jobs older than keepMs, then the oldest finished beyond maxKept. */
  private expire(): void {
    const now = this.deps.now();
    const finished: Job[] = [];
    for (const [id, job] of this.jobs) {
      const at = job.view.finishedAt;
      if (at === null || job.reading) continue;
      if (now - at >= this.limits.keepMs) this.jobs.delete(id);
      else finished.push(job);
    }
    finished.sort((a, b) => a.view.finishedAt! - b.view.finishedAt!);
    for (const job of finished.slice(0, Math.max(0, finished.length - this.limits.maxKept)))
      this.jobs.delete(job.view.id);
  }

  private viewOf(job: Job): RewindowJob {
    return { ...job.view, progress: progressOf(job.readRecords, job.totalRecords, job.view.status) };
  }
}
