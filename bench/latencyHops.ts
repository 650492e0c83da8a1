/**
 * Where a window's time goes on its way to the browser, hop by hop, measured from outside: the
 * benchmark reads the partials and output topics itself (read_committed, as the merge and the web
 * tier do) and notes when each window became readable there.
 *
 * - close: the first stage's watermark passes the window's end in the last input partition (the
 *   output record's timestamp);
 * - partials readable: that watermark's record, committed by the first stage's transaction, can
 *   be read from the partials partition that merges the sensor (every source's watermark has then
 *   passed the end there);
 * - output readable: the merge's transaction with the window has committed;
 * - client: the socket.io client has it (the web tier's consume, feed and emit, and the socket).
 */
import type { Consumer, Kafka } from 'kafkajs';
import { keyPartitioner } from '../lib/keyPartition';
import { decodePartialsRecord } from '../lib/partials';
import { percentile } from '../lib/stats/latency';

export interface HopFigures {
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
}

export interface LatencyHops {
  /** Close → the first stage's transaction is readable by the merge. */
  firstStage: HopFigures;
  /** → the merge's transaction with the window is readable by the web tier. */
  merge: HopFigures;
  /** → the socket.io client has it. */
  webAndSocket: HopFigures;
}

const keyOf = (sensorId: string, windowStart: number) => `${sensorId}\u0000${windowStart}`;

export class HopClock {
  private readonly consumers: Consumer[] = [];
  private readonly outputSeen = new Map<
    string,
    { at: number; closedAt: number; windowEnd: number; sensorId: string }
  >();

  /** Per partials partition: [merged watermark, when it was first readable], rising. */
  private merged: [number, number][][] = [];
  private sourceWatermarks: number[][] = [];
  private route: (sensorId: string) => number = () => 0;

  constructor(
    private readonly kafka: Kafka,
    private readonly topics: { input: string; partials: string; output: string },
  ) {}

  async start(tag: string): Promise<void> {
    const admin = this.kafka.admin();
    await admin.connect();
    const partitions = async (topic: string) =>
      (await admin.fetchTopicMetadata({ topics: [topic] })).topics[0].partitions.length;
    const partialsPartitions = await partitions(this.topics.partials);
    const inputPartitions = await partitions(this.topics.input);
    await admin.disconnect();
    this.merged = Array.from({ length: partialsPartitions }, () => []);
    this.sourceWatermarks = Array.from({ length: partialsPartitions }, () =>
      new Array(inputPartitions).fill(Number.NEGATIVE_INFINITY),
    );
    this.route = keyPartitioner(partialsPartitions);
    const partials = this.kafka.consumer({ groupId: `${tag}-hops-partials`, maxWaitTimeInMs: 100 });
    const output = this.kafka.consumer({ groupId: `${tag}-hops-output`, maxWaitTimeInMs: 100 });
    this.consumers.push(partials, output);
    for (const c of this.consumers) await c.connect();
    await partials.subscribe({ topic: this.topics.partials, fromBeginning: false });
    await output.subscribe({ topic: this.topics.output, fromBeginning: false });
    await partials.run({
      eachBatch: async ({ batch }) => {
        const at = Date.now();
        const sources = this.sourceWatermarks[batch.partition];
        for (const m of batch.messages) {
          const record = decodePartialsRecord(m.value);
          if ('error' in record || record.watermarkMs === null) continue;
          sources[record.source] = Math.max(sources[record.source], record.watermarkMs);
        }
        const low = Math.min(...sources);
        const steps = this.merged[batch.partition];
        if (Number.isFinite(low) && (steps.length === 0 || low > steps[steps.length - 1][0])) steps.push([low, at]);
      },
    });
    await output.run({
      eachBatch: async ({ batch }) => {
        const at = Date.now();
        for (const m of batch.messages) {
          const w = JSON.parse(m.value!.toString()) as { sensorId: string; windowStart: number; windowEnd: number };
          this.outputSeen.set(keyOf(w.sensorId, w.windowStart), {
            at,
            closedAt: Number(m.timestamp),
            windowEnd: w.windowEnd,
            sensorId: w.sensorId,
          });
        }
      },
    });
  }

  async stop(): Promise<void> {
    await Promise.all(this.consumers.map((c) => c.disconnect()));
  }

  /** The hops of the windows the client received (`arrivals`: key → when), closed in [from, to]. */
  hops(arrivals: Map<string, number>, from: number, to: number): LatencyHops {
    const first: number[] = [];
    const merge: number[] = [];
    const web: number[] = [];
    for (const [key, seen] of this.outputSeen) {
      const arrived = arrivals.get(key);
      if (arrived === undefined || seen.closedAt < from || seen.closedAt > to) continue;
      const partialsAt = this.readableAt(this.route(seen.sensorId), seen.windowEnd);
      if (partialsAt === null) continue;
      first.push(partialsAt - seen.closedAt);
      merge.push(seen.at - partialsAt);
      web.push(arrived - seen.at);
    }
    return { firstStage: hopFigures(first), merge: hopFigures(merge), webAndSocket: hopFigures(web) };
  }

  /** When partials partition `p`'s merged watermark first reached `end`. */
  private readableAt(p: number, end: number): number | null {
    const steps = this.merged[p];
    let lo = 0;
    let hi = steps.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (steps[mid][0] >= end) hi = mid;
      else lo = mid + 1;
    }
    return lo < steps.length ? steps[lo][1] : null;
  }
}

/** p50, p99 and max of a set of latencies (NaN when empty). */
export function hopFigures(values: number[]): HopFigures {
  return {
    p50Ms: percentile(values, 50) ?? NaN,
    p99Ms: percentile(values, 99) ?? NaN,
    maxMs: values.length ? values.reduce((a, b) => (b > a ? b : a), -Infinity) : NaN,
  };
}
