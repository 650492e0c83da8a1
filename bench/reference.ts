/** The windows every engine must write, recomputed from the input topic with windowpane's documented rules. */
import type { Kafka } from 'kafkajs';
import { decimalToString } from '../lib/decimal';
import type { EngineReading } from '../lib/engine/windowEngine';
import { singleSizeSchedule } from '../lib/engine/schedule';
import { DEFAULT_INPUT_FORMAT, readingDecoder } from '../lib/input/readingDecoder';
import { recomputeWindows } from '../lib/reference';
import { compareWindows, type ComparedWindow, type VerificationReport } from '../lib/verification';
import { scanWholeTopic } from '../server/kafka/readWholeTopic';
import { isEndMarker } from './data';

/** What every engine writes: the peers write count and sum only. */
export type BenchWindow = Pick<ComparedWindow, 'sensorId' | 'windowStart' | 'windowEnd' | 'count' | 'sum'>;

export async function referenceWindows(
  kafka: Kafka,
  topic: string,
  windowMs: number,
  latenessMs: number,
): Promise<BenchWindow[]> {
  const decode = readingDecoder(DEFAULT_INPUT_FORMAT, { maxFutureMs: 5_000 });
  const partitions = new Map<number, EngineReading[]>();
  let invalid = 0;
  await scanWholeTopic(
    kafka,
    topic,
    (partition, messages) => {
      let list = partitions.get(partition);
      if (!list) partitions.set(partition, (list = []));
      for (const m of messages) {
        const decoded = decode({ value: m.value, timestampMs: Number(m.timestamp) }, Number(m.timestamp));
        if (decoded.ok) list.push(decoded.reading);
        else invalid++;
      }
    },
    900_000,
  );
  const reference = recomputeWindows(partitions.values(), singleSizeSchedule(windowMs), latenessMs);
  // The dataset is built to have neither; if it had, engines would legitimately differ.
  if (invalid > 0 || reference.late.length > 0)
    throw new Error(`dataset has ${invalid} invalid and ${reference.late.length} late readings`);
  return reference.windows
    .filter((w) => !isEndMarker(w.sensorId))
    .map((w) => ({
      sensorId: w.sensorId,
      windowStart: w.windowStart,
      windowEnd: w.windowEnd,
      count: w.count,
      sum: decimalToString(w.sum),
    }));
}

/**
 * An engine's output record as compared. The dataset's values are integers, so every engine's
 * sum is an integer and its text as a double is exact.
 */
export function benchWindow(value: Buffer): BenchWindow {
  const w = JSON.parse(value.toString('utf8')) as {
    sensorId: string | number;
    windowStart: number;
    windowEnd: number;
    count: number;
    sum: number;
  };
  return {
    sensorId: String(w.sensorId),
    windowStart: w.windowStart,
    windowEnd: w.windowEnd,
    count: w.count,
    sum: String(w.sum),
  };
}

export function checkWindows(expected: readonly BenchWindow[], written: readonly BenchWindow[]): VerificationReport {
  return compareWindows(expected, written, { late: 0, invalid: 0 }, ['windowEnd', 'count', 'sum']);
}
