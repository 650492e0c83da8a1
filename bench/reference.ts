/** The windows every engine must write, recomputed from the input topic with windowpane's documented rules. */
import type { Kafka } from 'kafkajs';
import type { EngineReading, WindowResult } from '../lib/engine/windowEngine';
import { singleSizeSchedule } from '../lib/engine/schedule';
import { decodeReading } from '../lib/reading';
import { recomputeWindows } from '../lib/reference';
import { compareWindows, type VerificationReport } from '../lib/verification';
import { scanTopic } from '../server/kafka/readTopic';
import { END_MARKER_ID } from './data';

export async function referenceWindows(kafka: Kafka, topic: string, windowMs: number, latenessMs: number): Promise<WindowResult[]> {
  const partitions = new Map<number, EngineReading[]>();
  let invalid = 0;
  await scanTopic(kafka, topic, (partition, messages) => {
    let list = partitions.get(partition);
    if (!list) partitions.set(partition, (list = []));
    for (const m of messages) {
      // The data lies in the past, so "now" only matters for the far-future rule.
      const decoded = decodeReading(m.value, Date.now(), { maxFutureMs: 5_000 }, m.key);
      if (decoded.ok) list.push(decoded.reading);
      else invalid++;
    }
  }, 900_000);
  const reference = recomputeWindows(partitions.values(), singleSizeSchedule(windowMs), latenessMs);
  // The dataset is built to have neither; if it had, engines would legitimately differ.
  if (invalid > 0 || reference.late.length > 0) throw new Error(`dataset has ${invalid} invalid and ${reference.late.length} late readings`);
  return reference.windows.filter((w) => w.sensorId !== END_MARKER_ID);
}

export function checkWindows(expected: readonly WindowResult[], written: readonly WindowResult[]): VerificationReport {
  return compareWindows(expected, written, { late: 0, invalid: 0 });
}
