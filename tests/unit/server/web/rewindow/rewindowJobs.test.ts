/** The re-window job runner with its Kafka source and clock replaced by in-memory ones. */
import { describe, expect, it } from 'vitest';
import type { RewindowRequest } from '../../../../../lib/contract';
import { DEFAULT_INPUT_FORMAT, readingDecoder, type InputRecord } from '../../../../../lib/input/readingDecoder';
import type { PartitionRange } from '../../../../../lib/kafka/readPlan';
import {
  DEFAULT_REWINDOW_LIMITS,
  RewindowJobs,
  RewindowRefused,
  type RewindowLimits,
  type RewindowSource,
} from '../../../../../server/web/rewindow/rewindowJobs';

const T0 = 1_763_900_000_000;
const MAX_FUTURE_MS = 5_000;
const decoder = readingDecoder(DEFAULT_INPUT_FORMAT, { maxFutureMs: MAX_FUTURE_MS });
const reading = (id: string, timeMs: number, value: string): InputRecord => ({
  value: `{"id":"${id}","time":${timeMs / 1000},"value":${value}}`,
  timestampMs: timeMs,
});
const request: RewindowRequest = { from: T0 - 2_000, to: T0 + 21_000, windowSeconds: 10 };

/**
 * A source whose reads the test drives: `deliver` hands a batch to a job's visitor, `end` settles its
 * read. Each started read is recorded with the ranges it was given.
 */
function scriptedSource(initial: PartitionRange[] = [{ partition: 0, start: 0, end: 10 }]) {
  let ranges = initial;
  const reads: {
    ranges: PartitionRange[];
    visit: (r: InputRecord[]) => void;
    signal: AbortSignal;
    end: (error?: Error) => void;
  }[] = [];
  const asked: number[] = [];
  let failRanges: Error | null = null;
  const source: RewindowSource = {
    ranges: async (sinceMs) => {
      asked.push(sinceMs);
      if (failRanges) throw failRanges;
      return ranges;
    },
    read: (given, visit, signal) =>
      new Promise<void>((resolve, reject) => {
        const end = (error?: Error) => (error ? reject(error) : resolve());
        reads.push({ ranges: given, visit, signal, end });
      }),
  };
  return {
    source,
    reads,
    asked,
    failRangesWith: (e: Error | null) => (failRanges = e),
    setRanges: (r: PartitionRange[]) => (ranges = r),
  };
}

function runner(source: RewindowSource, limits: Partial<RewindowLimits> = {}) {
  const clock = { now: T0 + 3_600_000 };
  let ids = 0;
  const jobs = new RewindowJobs(
    {
      source,
      decode: (r) => decoder(r, r.timestampMs),
      maxFutureMs: MAX_FUTURE_MS,
      now: () => clock.now,
      newId: () => `job-${++ids}`,
    },
    { ...DEFAULT_REWINDOW_LIMITS, ...limits },
  );
  return { jobs, clock };
}

const settle = () => new Promise((r) => setImmediate(r));

describe('RewindowJobs', () => {
  it('reads from MAX_FUTURE_SECONDS before the whole-window range and returns its windows', async () => {
    const s = scriptedSource([
      { partition: 0, start: 4, end: 9 },
      { partition: 2, start: 0, end: 5 },
    ]);
    const { jobs } = runner(s.source);
    const started = await jobs.start(request);
    expect(started).toMatchObject({
      id: 'job-1',
      status: 'running',
      range: { from: T0, to: T0 + 20_000 },
      progress: { readRecords: 0, totalRecords: 10, fraction: 0 },
    });
    // The whole 10 s windows inside [T0 − 2 s, T0 + 21 s) are [T0, T0 + 20 s): read from T0 − 5 s.
    expect(s.asked).toEqual([T0 - MAX_FUTURE_MS]);
    expect(s.reads[0].ranges).toEqual([
      { partition: 0, start: 4, end: 9 },
      { partition: 2, start: 0, end: 5 },
    ]);

    s.reads[0].visit([reading('a', T0 - 3_000, '1'), reading('a', T0 + 500, '0.1'), reading('b', T0 + 12_000, '4')]);
    expect(jobs.get('job-1')!.progress).toEqual({ readRecords: 3, totalRecords: 10, fraction: 0.3 });
    s.reads[0].visit([
      reading('a', T0 + 9_999, '0.2'),
      { value: '{"id":', timestampMs: T0 },
      reading('a', T0 + 20_000, '9'),
    ]);
    s.reads[0].end();
    await settle();

    const done = jobs.get('job-1')!;
    expect(done).toMatchObject({
      status: 'done',
      progress: { readRecords: 6, totalRecords: 10, fraction: 1 },
      finishedAt: T0 + 3_600_000,
    });
    expect(done.result).toEqual({
      windows: [
        { sensorId: 'a', windowStart: T0, windowEnd: T0 + 10_000, count: 2, sum: 0.3, min: 0.1, max: 0.2, mean: 0.15 },
        { sensorId: 'b', windowStart: T0 + 10_000, windowEnd: T0 + 20_000, count: 1, sum: 4, min: 4, max: 4, mean: 4 },
      ],
      skipped: { invalid: 1, outsideRange: 2, otherSensors: 0 },
    });
  });

  it('keeps only the asked sensor', async () => {
    const s = scriptedSource();
    const { jobs } = runner(s.source);
    const { id } = await jobs.start({ ...request, sensorId: 'b' });
    s.reads[0].visit([reading('a', T0 + 500, '1'), reading('b', T0 + 600, '2')]);
    s.reads[0].end();
    await settle();
    expect(jobs.get(id)!.result).toEqual({
      windows: [{ sensorId: 'b', windowStart: T0, windowEnd: T0 + 10_000, count: 1, sum: 2, min: 2, max: 2, mean: 2 }],
      skipped: { invalid: 0, outsideRange: 0, otherSensors: 1 },
    });
  });

  it('cancels: the read is told to stop, nothing more is counted, no result', async () => {
    const s = scriptedSource();
    const { jobs, clock } = runner(s.source);
    const { id } = await jobs.start(request);
    s.reads[0].visit([reading('a', T0 + 500, '1')]);
    clock.now += 1_000;
    const cancelled = jobs.cancel(id)!;
    expect(cancelled).toMatchObject({
      status: 'cancelled',
      finishedAt: T0 + 3_601_000,
      progress: { readRecords: 1, totalRecords: 10, fraction: 0.1 },
    });
    expect(s.reads[0].signal.aborted).toBe(true);
    s.reads[0].visit([reading('a', T0 + 600, '1')]); // a batch already on its way
    s.reads[0].end();
    await settle();
    const after = jobs.get(id)!;
    expect(after.status).toBe('cancelled');
    expect(after.result).toBeUndefined();
    expect(after.progress.readRecords).toBe(1);
    // Cancelling a finished job changes nothing.
    expect(jobs.cancel(id)!.status).toBe('cancelled');
    expect(jobs.cancel('nope')).toBeNull();
  });

  it('reports a failed read as a sentence', async () => {
    const s = scriptedSource();
    const { jobs } = runner(s.source);
    const { id } = await jobs.start(request);
    s.reads[0].end(new Error('reading it-readings took longer than 300 s'));
    await settle();
    expect(jobs.get(id)).toMatchObject({
      status: 'failed',
      error: 'Reading the input topic failed: reading it-readings took longer than 300 s.',
    });
    expect(jobs.get(id)!.result).toBeUndefined();
  });

  it('runs at most 2 jobs at a time, counting one still looking up offsets, and frees the slot once a read stops', async () => {
    const s = scriptedSource();
    const { jobs } = runner(s.source);
    const first = jobs.start(request);
    const second = jobs.start(request); // both still planning
    const third = jobs.start(request).catch((e: unknown) => e);
    expect(await third).toMatchObject({
      status: 429,
      message: 'rewindow: at most 2 jobs run at a time; wait for one to finish or cancel it',
    });
    const [a] = [await first, await second];
    await expect(jobs.start(request)).rejects.toBeInstanceOf(RewindowRefused);
    // Cancelled, but its consumer has not stopped yet: the slot is still taken.
    jobs.cancel(a.id);
    await expect(jobs.start(request)).rejects.toMatchObject({ status: 429 });
    s.reads[0].end();
    await settle();
    expect((await jobs.start(request)).status).toBe('running');
  });

  it('refuses (413) a read the offsets say is larger than the limit, without starting it', async () => {
    const s = scriptedSource([
      { partition: 0, start: 0, end: 60 },
      { partition: 1, start: 10, end: 51 },
    ]);
    const { jobs } = runner(s.source, { maxRecords: 100, maxRunning: 1 });
    await expect(jobs.start(request)).rejects.toMatchObject({
      status: 413,
      message:
        "from, to: about 101 input records would be read (from the range's start to the end of the topic), more than 100; ask for a more recent or shorter range",
    });
    expect(s.reads).toHaveLength(0);
    // The refused job took no slot; exactly the limit is allowed.
    s.setRanges([{ partition: 0, start: 0, end: 100 }]);
    expect((await jobs.start(request)).progress.totalRecords).toBe(100);
  });

  it('answers 503 when the offsets cannot be looked up, and the slot is free again', async () => {
    const s = scriptedSource();
    const { jobs } = runner(s.source, { maxRunning: 1 });
    s.failRangesWith(new Error('Connection error: connect ECONNREFUSED'));
    await expect(jobs.start(request)).rejects.toMatchObject({
      status: 503,
      message: "kafka: could not look up the input topic's offsets (Connection error: connect ECONNREFUSED); try again",
    });
    s.failRangesWith(null);
    expect((await jobs.start(request)).status).toBe('running');
    await expect(jobs.start(request)).rejects.toMatchObject({ status: 429 });
  });

  it('keeps a finished result for keepMs, and at most maxKept of them', async () => {
    const s = scriptedSource();
    const { jobs, clock } = runner(s.source, { keepMs: 600_000, maxKept: 2, maxRunning: 5 });
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) {
      ids.push((await jobs.start(request)).id);
      s.reads[i].end();
      await settle();
      clock.now += 1_000;
    }
    // The oldest of 3 finished jobs is dropped when a fourth is asked for anything.
    expect(jobs.get(ids[0])).toBeNull();
    expect(jobs.get(ids[1])?.status).toBe('done');
    clock.now += 600_000 - 2_000; // ids[1] finished 1 s after ids[0], 2 s ago: exactly 10 minutes ago now
    expect(jobs.get(ids[1])).toBeNull();
    expect(jobs.get(ids[2])?.status).toBe('done');
  });

  it('a running job never expires; stop() cancels it and waits for its read to stop', async () => {
    const s = scriptedSource();
    const { jobs, clock } = runner(s.source, { keepMs: 1_000 });
    const { id } = await jobs.start(request);
    clock.now += 3_600_000;
    expect(jobs.get(id)?.status).toBe('running');
    let stopped = false;
    const stopping = jobs.stop().then(() => (stopped = true));
    await settle();
    expect(s.reads[0].signal.aborted).toBe(true);
    expect(stopped).toBe(false);
    s.reads[0].end();
    await stopping;
    expect(jobs.get(id)?.status).toBe('cancelled');
  });
});
