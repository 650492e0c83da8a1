/**
 * The verifier: reads the input, config, output and late topics (read_committed), recomputes
 * every window from the input with the engine's documented rules and the window-size history,
 * and compares, the extra aggregates chosen (WINDOW_AGGREGATES) included. Used by `npm run verify` and by the tests.
 */
import type { Kafka } from 'kafkajs';
import { decodeAside, TOO_MANY_SENSORS } from '../../lib/asideEnvelope';
import { scheduleOf } from '../../lib/configView';
import { configRecordSchema, type ConfigRecord } from '../../lib/contract';
import type { EngineReading } from '../../lib/engine/windowEngine';
import { inputDecoder, inputRecordOf } from '../../lib/input/inputDecoder';
import { parseRecord } from '../../lib/parseRecord';
import { recomputeWindows, referenceText, type ReferenceReading } from '../../lib/reference';
import { readWindowText, type WindowText } from '../../lib/windowRecord';
import { compareWindows, type VerificationReport } from '../../lib/verification';
import type { AppConfig } from '../config';
import { readWholeTopic } from '../kafka/readWholeTopic';

export interface VerifyOptions {
  /** Only windows with windowStart ≥ fromMs and windowEnd ≤ toMs are compared (epoch ms). */
  fromMs?: number;
  toMs?: number;
}

export interface VerifyResult extends VerificationReport {
  expected: WindowText[];
  written: WindowText[];
  lateSource: 'late topic' | 'watermark rule';
}

async function latestConfig(kafka: Kafka, topic: string): Promise<ConfigRecord> {
  const records = [...(await readWholeTopic(kafka, topic)).values()].flat().flatMap((m) => {
    const parsed = parseRecord(m.value, configRecordSchema);
    return parsed.ok ? [parsed.value] : [];
  });
  if (records.length === 0) throw new Error(`no config record in ${topic}`);
  return records.reduce((a, b) => (b.version >= a.version ? b : a));
}

/** `partition/offset` of the input records set aside to `topic` (for a reason `accepts`). */
async function asideKeys(kafka: Kafka, topic: string, accepts = (_reason: string) => true): Promise<Set<string>> {
  const keys = new Set<string>();
  for (const m of [...(await readWholeTopic(kafka, topic)).values()].flat()) {
    const { source, reason } = decodeAside(m);
    if (accepts(reason ?? '')) keys.add(`${source.partition}/${source.offset}`);
  }
  return keys;
}

export async function verifyTopics(
  kafka: Kafka,
  config: AppConfig,
  options: VerifyOptions = {},
): Promise<VerifyResult> {
  const record = await latestConfig(kafka, config.configTopic);
  const input = await readWholeTopic(kafka, config.inputTopic);

  const lateKeys = config.lateTopic ? await asideKeys(kafka, config.lateTopic) : new Set<string>();
  // Valid readings refused for MAX_SENSORS are in no window: left out like invalid records.
  const refusedKeys = await asideKeys(kafka, config.dlqTopic, (reason) => reason.startsWith(TOO_MANY_SENSORS));

  const decode = inputDecoder(config);
  const partitions: ReferenceReading[][] = [];
  const knownLate = new Set<EngineReading>();
  let invalid = 0;
  for (const [partition, messages] of input) {
    const log: ReferenceReading[] = [];
    for (const m of messages) {
      const decoded = decode(inputRecordOf(m));
      if (!decoded.ok || refusedKeys.has(`${partition}/${m.offset}`)) {
        invalid++;
        continue;
      }
      const reading = { ...decoded.reading, partition, offset: Number(m.offset) };
      if (lateKeys.has(`${partition}/${m.offset}`)) knownLate.add(reading);
      log.push(reading);
    }
    partitions.push(log);
  }
  const { extras, relativeAccuracy } = config.aggregates;
  const reference = recomputeWindows(
    partitions,
    scheduleOf(record),
    record.allowedLatenessMs,
    config.lateTopic ? knownLate : undefined,
    extras.length > 0,
  );

  const written = [...(await readWholeTopic(kafka, config.outputTopic)).values()].flat().map((m) => {
    const window = readWindowText(m.value);
    if (!window)
      throw new Error(
        `${config.outputTopic} partition ${m.offset}: not a window record: ${m.value?.toString().slice(0, 200)}`,
      );
    return window;
  });
  const inRange = (w: { windowStart: number; windowEnd: number }) =>
    (options.fromMs === undefined || w.windowStart >= options.fromMs) &&
    (options.toMs === undefined || w.windowEnd <= options.toMs);
  const expected = reference.windows.filter(inRange).map((w) => referenceText(w, extras));
  const writtenInRange = written.filter(inRange);
  const readings = { late: reference.late.length, invalid };
  return {
    ...compareWindows(expected, writtenInRange, readings, undefined, relativeAccuracy),
    expected,
    written: writtenInRange,
    lateSource: config.lateTopic ? 'late topic' : 'watermark rule',
  };
}
