/**
 * Gives re-window jobs (server/rewindowJobs.ts) the input topic: offsets by timestamp, a
 * short-lived read_committed consumer per job, and the worker's decoder for the INPUT_* settings.
 */
import type { Kafka } from 'kafkajs';
import { inputDecoder, inputRecordOf } from '../../../lib/input/inputDecoder';
import type { AppConfig } from '../../config';
import { offsetsSince } from '../../kafka/offsetsSince';
import { readRanges } from '../../kafka/readRanges';
import { DEFAULT_REWINDOW_LIMITS, RewindowJobs, type RewindowLimits, type RewindowSource } from './rewindowJobs';

/** A job that reads longer than this fails: 2 000 000 records take well under a minute. */
const READ_TIMEOUT_MS = 5 * 60_000;

function kafkaRewindowSource(kafka: Kafka, topic: string, timeoutMs = READ_TIMEOUT_MS): RewindowSource {
  return {
    ranges: (sinceMs) => offsetsSince(kafka, topic, sinceMs),
    read: (ranges, visit, signal) =>
      readRanges(kafka, topic, ranges, (_partition, messages) => visit(messages.map(inputRecordOf)), {
        signal,
        timeoutMs,
      }),
  };
}

export function createRewindowJobs(
  kafka: Kafka,
  config: AppConfig,
  limits: RewindowLimits = DEFAULT_REWINDOW_LIMITS,
): RewindowJobs {
  return new RewindowJobs(
    {
      source: kafkaRewindowSource(kafka, config.inputTopic),
      // The worker's first stage's rule (lib/input/inputDecoder.ts).
      decode: inputDecoder(config),
      maxFutureMs: config.maxFutureMs,
      now: Date.now,
    },
    limits,
  );
}
