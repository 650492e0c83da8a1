/** Runs a worker against the real broker and compares its output with the reference recomputation. */
import type { Kafka, KafkaMessage } from 'kafkajs';
import { scheduleOf } from '../../lib/configView';
import { configRecordSchema, windowResultSchema, type WindowResultRecord } from '../../lib/contract';
import type { EngineReading } from '../../lib/engine/windowEngine';
import { decodeReading } from '../../lib/reading';
import { recomputeWindows, sortWindows, type ReferenceResult } from '../../lib/reference';
import type { AppConfig } from '../../server/config';
import { readAll, waitFor } from './kafka';

export interface RawReading {
  id: number | string;
  time: number;
  value: number;
}

export async function produceReadings(kafka: Kafka, topic: string, readings: RawReading[]): Promise<void> {
  const producer = kafka.producer();
  await producer.connect();
  await producer.send({ topic, messages: readings.map((r) => ({ key: String(r.id), value: JSON.stringify(r) })) });
  await producer.disconnect();
}

/** The reference: every valid reading of the input topic, folded per partition in log order. */
export async function referenceFromTopics(kafka: Kafka, config: AppConfig): Promise<ReferenceResult & { invalid: number }> {
  const input = await readAll(kafka, config.inputTopic);
  const configLog = [...(await readAll(kafka, config.configTopic)).values()].flat();
  const latest = configLog
    .map((m) => configRecordSchema.parse(JSON.parse(m.value!.toString())))
    .sort((a, b) => a.version - b.version)
    .at(-1)!;
  const rules = { maxFutureMs: config.maxFutureSeconds * 1000 };
  let invalid = 0;
  const partitions: EngineReading[][] = [];
  for (const messages of input.values()) {
    const log: EngineReading[] = [];
    for (const m of messages) {
      const decoded = decodeReading(m.value, Number(m.timestamp), rules, m.key);
      if (decoded.ok) log.push(decoded.reading);
      else invalid++;
    }
    partitions.push(log);
  }
  return { ...recomputeWindows(partitions, scheduleOf(latest), latest.allowedLatenessMs), invalid };
}

export function parseOutput(messages: KafkaMessage[]): WindowResultRecord[] {
  return messages.map((m) => {
    const record = windowResultSchema.parse(JSON.parse(m.value!.toString()));
    if (m.key?.toString() !== record.sensorId) throw new Error(`output key ${m.key} is not the sensor id ${record.sensorId}`);
    return record;
  });
}

/** Waits until the output topic holds `expected` windows and has been quiet for a moment. */
export async function waitForOutput(kafka: Kafka, topic: string, expected: number): Promise<WindowResultRecord[]> {
  let previous = -1;
  return waitFor(`${expected} windows in ${topic}`, async () => {
    const windows = parseOutput([...(await readAll(kafka, topic)).values()].flat());
    const settled = windows.length >= expected && windows.length === previous;
    previous = windows.length;
    return settled ? sortWindows(windows) : undefined;
  }, 90_000);
}
