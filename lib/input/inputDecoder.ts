/**
 * The first stage's decode rule in one place: the worker's stage (lib/stages/partitionStage.ts),
 * the re-window jobs and the verifier decode every input record with it, so they agree on which
 * records are readings. The key is checked only for input keyed by sensor (each sensor must stay
 * in one partition), and "too far in the future" is judged against the record's own timestamp, not
 * the clock: a replay after a crash decides exactly as the first pass did, and so do the re-window
 * jobs and the verifier, however much later they read.
 */
import { readingDecoder, type DecodeResult, type InputFormat, type InputRecord } from './readingDecoder';

/** The settings the rule depends on (server/config.ts's AppConfig has them under these names). */
export interface InputSettings {
  input: InputFormat;
  maxFutureMs: number;
  keyedBySensor: boolean;
}

export type InputDecoder = (record: InputRecord) => DecodeResult;

export function inputDecoder(settings: InputSettings): InputDecoder {
  const { input, maxFutureMs, keyedBySensor } = settings;
  const decode = readingDecoder(input, { maxFutureMs, ignoreKey: !keyedBySensor });
  return (record) => decode(record, record.timestampMs);
}

/** A consumed Kafka record (kafkajs' shape, which the stages get too) as the decoder reads it. */
export function inputRecordOf(record: { value: Buffer | null; key?: Buffer | null; timestamp: string }): InputRecord {
  return { value: record.value, key: record.key, timestampMs: Number(record.timestamp) };
}
