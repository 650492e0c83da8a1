/**
 * The whole worker path without Kafka: both windowing stages driven over in-memory partitions with
 * an in-memory sink that commits a step's records, offset and checkpoint together (as a Kafka
 * transaction does), killed at random moments and restarted from their last commit. The output
 * must equal the reference recomputed from the input, each window exactly once.
 */
import { describe, expect, it } from 'vitest';
import { singleSizeSchedule } from '../../../../lib/engine/schedule';
import type { QuietSpan } from '../../../../lib/engine/eventClock';
import { quietUntil, type EngineReading } from '../../../../lib/engine/windowEngine';
import { inputDecoder } from '../../../../lib/input/inputDecoder';
import { readingDecoder, type InputFormat } from '../../../../lib/input/readingDecoder';
import { decodePartialsRecord } from '../../../../lib/partials';
import { EXTRA_AGGREGATES, type AggregateChoice } from '../../../../lib/aggregates/choice';
import { recomputeWindows, referenceText, type ReferenceReading } from '../../../../lib/reference';
import { compareWindows } from '../../../../lib/verification';
import { MergeStage } from '../../../../lib/stages/mergeStage';
import { PartitionStage } from '../../../../lib/stages/partitionStage';
import type { Stage, WindowingRules } from '../../../../lib/stages/stage';
import type { CommittedPosition, OutputRecords, StageRecord, StepSink } from '../../../../lib/stages/stepSink';
import { readWindowText, windowText, type WindowText } from '../../../../lib/windowRecord';

const T0 = 1_763_900_000_000;
const silent = { info: () => undefined, warn: () => undefined, error: () => undefined };
const RULES: WindowingRules = { schedule: singleSizeSchedule(1_000), allowedLatenessMs: 600 };
const INPUT_FORMAT: InputFormat = {
  idField: 'id',
  timeField: 'time',
  valueField: 'value',
  timeFormat: 'epoch-seconds',
};
const TOPICS = { input: 'in', output: 'out', partials: 'partials', deadLetters: 'dlq', late: 'late' };

/** An in-memory topic: records get offsets in order; keyed records go to a partition by key. */
class MemoryTopic {
  readonly partitions: StageRecord[][];
  constructor(count: number) {
    this.partitions = Array.from({ length: count }, () => []);
  }
  append(message: {
    key?: string | Buffer | null;
    value: string | Buffer | null;
    partition?: number;
    timestamp?: string;
    headers?: Record<string, string>;
  }): void {
    const key = message.key == null ? null : Buffer.from(message.key);
    const p = message.partition ?? (key ? hash(key.toString()) % this.partitions.length : 0);
    const log = this.partitions[p];
    log.push({
      offset: String(log.length),
      timestamp: message.timestamp ?? '0',
      key,
      value: message.value == null ? null : Buffer.from(message.value),
      ...(message.headers ? { headers: message.headers } : {}),
    });
  }
  all(): StageRecord[] {
    return this.partitions.flat();
  }
}

function hash(s: string): number {
  let h = 7;
  for (const c of s) h = (h * 31 + c.charCodeAt(0)) >>> 0;
  return h;
}

/** Commits all or nothing; `failNext` makes the next commit fail as a killed process's would. */
class MemorySink implements StepSink {
  private committed: CommittedPosition = { offset: null, metadata: undefined };
  private previous: CommittedPosition = { offset: null, metadata: undefined };
  failNext = false;
  /** The next start reads the commit before the last one, as a stale offset fetch would. */
  staleNextStart = false;
  constructor(private readonly topics: Map<string, MemoryTopic>) {}
  async start(): Promise<CommittedPosition> {
    const seen = this.staleNextStart ? this.previous : this.committed;
    this.staleNextStart = false;
    return { ...seen };
  }
  async commit(records: OutputRecords[], offset: number, checkpoint: string): Promise<void> {
    if (this.failNext) {
      this.failNext = false;
      throw new Error('killed before the commit');
    }
    for (const { topic, messages } of records) for (const m of messages) this.topics.get(topic)!.append(m);
    this.previous = this.committed;
    this.committed = { offset, metadata: checkpoint };
  }
}

interface Slot<S> {
  sink: MemorySink;
  stage: S;
  /** The consumer's position: where the next batch starts. */
  next: number;
}

function seeded(seed: number) {
  let s = seed;
  return () => (s = (s * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31;
}

/** Readings with no key on random partitions (or keyed by sensor), a few malformed records among them. */
function inputTopic(
  partitions: number,
  keyed: boolean,
  rand: () => number,
  coarseTimes = false,
): { topic: MemoryTopic; readings: ReferenceReading[][]; malformed: number } {
  const topic = new MemoryTopic(partitions);
  let malformed = 0;
  for (let i = 0; i < 3_000; i++) {
    const sensorId = `s${i % 13}`;
    const spread = T0 + i * 5 + Math.floor(rand() * 800) - 400;
    // Coarse times: many readings of one sensor at the same event time, so first and last break ties.
    const timeMs = coarseTimes ? Math.floor(spread / 100) * 100 : spread;
    const value = ((Math.floor(rand() * 20_000) - 10_000) / 100).toFixed(2);
    const bad = rand() < 0.01;
    if (bad) malformed++;
    const text = bad
      ? `{"id": "${sensorId}", "time": "soon"}`
      : `{"id": "${sensorId}", "time": ${timeMs / 1000}, "value": ${value}}`;
    topic.append({
      key: keyed ? sensorId : null,
      value: text,
      timestamp: String(timeMs),
      partition: keyed ? undefined : Math.floor(rand() * partitions),
    });
  }
  const decode = readingDecoder(INPUT_FORMAT, { maxFutureMs: 5_000 });
  const readings = topic.partitions.map((log, partition) =>
    log.flatMap((r) => {
      const d = decode({ value: r.value, timestampMs: Number(r.timestamp) }, Number(r.timestamp));
      const { sensorId, timeMs, value } = d.ok ? d.reading : { sensorId: '', timeMs: 0, value: null };
      return value ? [{ sensorId, timeMs, value, partition, offset: Number(r.offset) }] : [];
    }),
  );
  return { topic, readings, malformed };
}

async function runStages(options: {
  keyed: boolean;
  seed: number;
  killRate: number;
  staleStarts?: boolean;
  maxSensorsPerWindow?: number;
  aggregates?: AggregateChoice;
}) {
  const rand = seeded(options.seed);
  const inputPartitions = 3;
  const partialsPartitions = 2;
  const coarse = options.aggregates !== undefined;
  const { topic: input, readings, malformed } = inputTopic(inputPartitions, options.keyed, rand, coarse);
  const topics = new Map<string, MemoryTopic>([
    [TOPICS.input, input],
    [TOPICS.output, new MemoryTopic(1)],
    [TOPICS.partials, new MemoryTopic(partialsPartitions)],
    [TOPICS.deadLetters, new MemoryTopic(1)],
    [TOPICS.late, new MemoryTopic(1)],
  ]);
  let now = T0;
  const clock = () => now;
  const partitionStage = (partition: number, sink: MemorySink) =>
    new PartitionStage({
      partition,
      decode: inputDecoder({ input: INPUT_FORMAT, maxFutureMs: 5_000, keyedBySensor: options.keyed }),
      keyedBySensor: options.keyed,
      topics: TOPICS,
      partialsPartitions,
      idleTimeoutMs: 60_000,
      maxSensorsPerWindow: options.maxSensorsPerWindow ?? 100_000,
      aggregates: options.aggregates,
      rules: () => RULES,
      sink,
      clock,
      log: silent,
      invalidLog: silent,
      commitDelay: { observe: () => undefined },
    });
  // Repeated partials the merge tasks skipped, over every task instance (a restart makes a new one).
  let repeatedSkipped = 0;
  const mergeLog = {
    ...silent,
    warn: (fields: Record<string, unknown>) => void (repeatedSkipped += Number(fields.repeated ?? 0)),
  };
  const mergeStage = (partition: number, sink: MemorySink) =>
    new MergeStage({
      partition,
      inputPartitions,
      topics: TOPICS,
      aggregates: options.aggregates,
      sink,
      clock,
      log: mergeLog,
      commitDelay: { observe: () => undefined },
    });

  const startSlot = async <S extends Stage>(slot: Slot<S>, make: () => S) => {
    slot.stage = make();
    const offset = await slot.stage.start();
    slot.next = offset ?? 0;
  };
  const firstSlots = Array.from({ length: inputPartitions }, (_, p) => ({ sink: new MemorySink(topics), p }));
  const firsts: Slot<PartitionStage>[] = [];
  for (const { sink, p } of firstSlots) {
    const slot = { sink, next: 0 } as Slot<PartitionStage>;
    await startSlot(slot, () => partitionStage(p, sink));
    firsts.push(slot);
  }
  const merges: Slot<MergeStage>[] = [];
  for (let p = 0; p < (options.keyed ? 0 : partialsPartitions); p++) {
    const sink = new MemorySink(topics);
    const slot = { sink, next: 0 } as Slot<MergeStage>;
    await startSlot(slot, () => mergeStage(p, sink));
    merges.push(slot);
  }

  let kills = 0;
  /** One step of one task, as a consumer would run it; a step may be the last before a kill -9. */
  const step = async (killRate: number, quiet: QuietSpan | null) => {
    const all = [...firsts.map((s, p) => ({ s, p, merge: false })), ...merges.map((s, p) => ({ s, p, merge: true }))];
    const { s, p, merge } = all[Math.floor(rand() * all.length)];
    const log = merge ? topics.get(TOPICS.partials)!.partitions[p] : input.partitions[p];
    const batch = log.slice(s.next, s.next + 1 + Math.floor(rand() * 60));
    if (rand() < killRate / 2) (s.sink as MemorySink).failNext = true;
    if (options.staleStarts && !merge && rand() < killRate) (s.sink as MemorySink).staleNextStart = true;
    try {
      const stage: Stage = s.stage;
      if (!stage.inputWindowing) await stage.processBatch(batch);
      else {
        await stage.processBatch(batch, s.next + batch.length);
        await stage.inputWindowing.advance(quiet);
      }
      s.next += batch.length;
    } catch {
      kills++;
      await startSlot(s as Slot<Stage>, () => (merge ? mergeStage(p, s.sink) : partitionStage(p, s.sink)));
      return;
    }
    if (rand() < killRate / 2) {
      kills++;
      await startSlot(s as Slot<Stage>, () => (merge ? mergeStage(p, s.sink) : partitionStage(p, s.sink)));
    }
  };
  for (let i = 0; i < 1_500; i++) await step(options.killRate, null);
  // The input is all there: read it to the end, then idle advance closes what is left.
  const unread = () =>
    firsts.some((s, p) => s.next < input.partitions[p].length) ||
    merges.some((s, p) => s.next < topics.get(TOPICS.partials)!.partitions[p].length);
  const drain = async () => {
    for (let i = 0; unread(); i++) {
      if (i > 10_000) throw new Error('the stages stopped reading');
      await step(0, null);
    }
  };
  for (const s of [...firsts, ...merges]) s.sink.failNext = false;
  await drain();
  now = T0 + 3_600_000;
  for (const s of firsts) await s.stage.advance(quietUntil(now));
  await drain();

  const output = topics
    .get(TOPICS.output)!
    .all()
    .map((r) => readWindowText(r.value) as WindowText);
  const late = topics.get(TOPICS.late)!.all();
  return {
    output,
    input,
    readings,
    malformed,
    kills,
    deadLetters: topics.get(TOPICS.deadLetters)!.all(),
    late,
    firsts,
    repeatedSkipped,
    partials: topics.get(TOPICS.partials)!,
  };
}

const byKey = (a: WindowText, b: WindowText) =>
  a.sensorId < b.sensorId ? -1 : a.sensorId > b.sensorId ? 1 : a.windowStart - b.windowStart;

describe('the two windowing stages, without Kafka', () => {
  it.each([1, 2, 3])(
    'unkeyed input, killed at random steps (seed %i): every window once, equal to the reference',
    async (seed) => {
      const run = await runStages({ keyed: false, seed, killRate: 0.08 });
      const reference = recomputeWindows(run.readings, RULES.schedule, RULES.allowedLatenessMs);
      expect(run.kills).toBeGreaterThan(10);
      expect(run.output.length).toBeGreaterThan(100);
      expect([...run.output].sort(byKey)).toEqual(reference.windows.map((w) => windowText(w)));
      // Late readings are those of the reference, each set aside once.
      expect(run.late.length).toBe(reference.late.length);
      expect(run.deadLetters.length).toBe(run.malformed);
    },
  );

  it.each([5, 6, 7, 8])(
    'unkeyed input whose first-stage tasks sometimes restart from the commit before their last (seed %i): no share is counted twice',
    async (seed) => {
      const run = await runStages({ keyed: false, seed, killRate: 0.15, staleStarts: true });
      const reference = recomputeWindows(run.readings, RULES.schedule, RULES.allowedLatenessMs);
      const partials = run.partials.all().flatMap((r) => {
        const record = decodePartialsRecord(r.value);
        if ('error' in record) throw new Error(record.error);
        return record.partials.map((w) => `${record.source}/${w.sensorId}/${w.windowStart}`);
      });
      const distinct = new Set(partials);
      expect(partials.length - distinct.size).toBeGreaterThan(0); // the first stage did send some twice
      expect(run.repeatedSkipped).toBeGreaterThan(0);
      expect([...run.output].sort(byKey)).toEqual(reference.windows.map((w) => windowText(w)));
    },
  );

  const EVERY_EXTRA: AggregateChoice = { extras: EXTRA_AGGREGATES, relativeAccuracy: 0.02 };

  it.each([
    [false, 1],
    [false, 2],
    [true, 3],
  ])(
    'every extra aggregate (keyed %s, seed %i), killed at random steps: exact ones equal the reference, quantiles within the accuracy',
    async (keyed, seed) => {
      const run = await runStages({ keyed, seed, killRate: 0.08, aggregates: EVERY_EXTRA });
      const reference = recomputeWindows(run.readings, RULES.schedule, RULES.allowedLatenessMs, undefined, true);
      const expected = reference.windows.map((w) => referenceText(w, EVERY_EXTRA.extras));
      expect(run.kills).toBeGreaterThan(10);
      const report = compareWindows(expected, run.output, { late: 0, invalid: 0 }, undefined, 0.02);
      expect(report.samples).toEqual([]);
      expect(report.exact).toBe(expected.length);
      // Every record carries every extra, and first/last met equal event times often enough to matter.
      expect(run.output.every((w) => EXTRA_AGGREGATES.every((a) => w[a] !== undefined))).toBe(true);
      const ties =
        run.readings.flat().length - new Set(run.readings.flat().map((r) => `${r.sensorId}/${r.timeMs}`)).size;
      expect(ties).toBeGreaterThan(500);
    },
  );

  it('keyed input takes the one-stage path: windows go straight to the output, exact and once', async () => {
    const run = await runStages({ keyed: true, seed: 4, killRate: 0.08 });
    const reference = recomputeWindows(run.readings, RULES.schedule, RULES.allowedLatenessMs);
    expect(run.partials.all()).toEqual([]);
    expect([...run.output].sort(byKey)).toEqual(reference.windows.map((w) => windowText(w)));
    expect(run.deadLetters.length).toBe(run.malformed);
  });

  it('sets a malformed record aside with where it came from and why', async () => {
    const run = await runStages({ keyed: false, seed: 5, killRate: 0 });
    expect(run.malformed).toBeGreaterThan(0);
    const headers = (run.deadLetters[0] as StageRecord & { headers: Record<string, string> }).headers;
    expect(headers['windowpane-topic']).toBe('in');
    expect(headers['windowpane-reason']).toMatch(/time/);
    expect(Number(headers['windowpane-offset'])).toBeGreaterThanOrEqual(0);
  });

  it('sends each watermark after its partials to every partials partition', async () => {
    const run = await runStages({ keyed: false, seed: 6, killRate: 0 });
    for (const log of run.partials.partitions) {
      const sources = new Set<number>();
      for (const r of log) {
        const record = decodePartialsRecord(r.value);
        if ('error' in record) throw new Error(record.error);
        if (record.watermarkMs !== null) sources.add(record.source);
      }
      expect([...sources].sort()).toEqual([0, 1, 2]);
    }
  });
});

/** One keyed-path first-stage task over one-partition in-memory topics; `keyCheck`: records' keys must be their sensor ids. */
function singleStage(options: { keyCheck: boolean; maxSensorsPerWindow: number; clock: () => number }) {
  const topics = new Map<string, MemoryTopic>(Object.values(TOPICS).map((t) => [t, new MemoryTopic(1)]));
  const stage = new PartitionStage({
    partition: 0,
    decode: inputDecoder({ input: INPUT_FORMAT, maxFutureMs: 5_000, keyedBySensor: options.keyCheck }),
    keyedBySensor: true,
    topics: TOPICS,
    partialsPartitions: 1,
    idleTimeoutMs: 1_000,
    maxSensorsPerWindow: options.maxSensorsPerWindow,
    rules: () => RULES,
    sink: new MemorySink(topics),
    clock: options.clock,
    log: silent,
    invalidLog: silent,
    commitDelay: { observe: () => undefined },
  });
  return { topics, stage };
}

/** The readings of `input` the reference expects in windows: the dead letters' (invalid or refused) left out. */
function readingsKept(input: MemoryTopic, deadLetters: StageRecord[]): EngineReading[][] {
  const decode = readingDecoder(INPUT_FORMAT, { maxFutureMs: 5_000 });
  const setAside = new Set(
    deadLetters.map((r) => {
      const h = (r as StageRecord & { headers: Record<string, string> }).headers;
      return `${h['windowpane-partition']}/${h['windowpane-offset']}`;
    }),
  );
  return input.partitions.map((log, p) =>
    log.flatMap((r) => {
      const d = decode({ value: r.value, timestampMs: Number(r.timestamp) }, Number(r.timestamp));
      return d.ok && !setAside.has(`${p}/${r.offset}`) ? [d.reading] : [];
    }),
  );
}

describe('MAX_SENSORS: sensors one window of a partition may hold', () => {
  const reasonOf = (r: StageRecord) =>
    (r as StageRecord & { headers: Record<string, string> }).headers['windowpane-reason'];

  it.each([
    [false, 9],
    [false, 10],
    [true, 11],
  ])(
    'keyed %s, killed at random steps (seed %i): readings of further sensors are dead letters, the same after every replay',
    async (keyed, seed) => {
      const run = await runStages({ keyed, seed, killRate: 0.08, maxSensorsPerWindow: 3 });
      const refused = run.deadLetters.filter((r) => reasonOf(r).startsWith('too_many_sensors'));
      expect(run.kills).toBeGreaterThan(10);
      expect(refused.length).toBeGreaterThan(100);
      expect(run.deadLetters.length).toBe(run.malformed + refused.length);
      // Exactly once: what was written is the reference over the readings not set aside, each window once.
      const reference = recomputeWindows(
        readingsKept(run.input, run.deadLetters),
        RULES.schedule,
        RULES.allowedLatenessMs,
      );
      expect([...run.output].sort(byKey)).toEqual(reference.windows.map((w) => windowText(w)));
      if (keyed) {
        const sensorsPerWindow = new Map<number, Set<string>>();
        for (const w of run.output)
          sensorsPerWindow.set(w.windowStart, (sensorsPerWindow.get(w.windowStart) ?? new Set()).add(w.sensorId));
        for (const sensors of sensorsPerWindow.values()) expect(sensors.size).toBeLessThanOrEqual(3 * 3); // 3 per window of each of 3 partitions
      }
    },
  );

  it('never refuses a sensor its window already holds, and refuses a new one once the window is full', async () => {
    const { topics, stage } = singleStage({ keyCheck: false, maxSensorsPerWindow: 2, clock: () => T0 });
    await stage.start();
    const ids = ['a', 'b', 'c', 'a', 'b', 'c', 'd'];
    const records = ids.map((id, i) => ({
      offset: String(i),
      timestamp: String(T0),
      key: null,
      value: Buffer.from(`{"id": "${id}", "time": ${(T0 + i) / 1000}, "value": 1}`),
    }));
    await stage.processBatch(records, records.length);
    const dlq = topics.get('dlq')!.all();
    expect(dlq.map((r) => r.value?.toString())).toEqual(
      [records[2], records[5], records[6]].map((r) => r.value.toString()),
    );
    expect(reasonOf(dlq[0])).toBe('too_many_sensors: its window already holds 2 sensors');
    expect(stage.counters.deadLetters.get('too_many_sensors')).toBe(3);
    expect(stage.counters.readings).toBe(4);
  });
});

describe('idle advance needs evidence', () => {
  it('a quiet partition does not close its windows while the evidence is missing, and does once it holds', async () => {
    let now = T0;
    const { topics, stage } = singleStage({ keyCheck: true, maxSensorsPerWindow: 100_000, clock: () => now });
    await stage.start();
    await stage.processBatch(
      [
        {
          offset: '0',
          timestamp: String(T0),
          key: Buffer.from('a'),
          value: Buffer.from(`{"id": "a", "time": ${T0 / 1000}, "value": 2.5}`),
        },
      ],
      1,
    );
    expect(stage.readUpTo).toBe(1);
    now = T0 + 30_000; // a broker outage: nothing arrives, and nothing shows the input is idle
    await stage.advance(null);
    expect(topics.get('out')!.all()).toEqual([]);
    await stage.advance({ sinceMs: T0 + 29_500, untilMs: now }); // read to the end since half a second: not idle long enough
    expect(topics.get('out')!.all()).toEqual([]);
    await stage.advance({ sinceMs: T0 + 28_000, untilMs: now }); // quiet for 2 s: the watermark moves 2 s past the last reading
    expect(
      topics
        .get('out')!
        .all()
        .map((r) => readWindowText(r.value)?.sum),
    ).toEqual(['2.5']);
  });
});
