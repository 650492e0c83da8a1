/** Converts the config record (Kafka) into what the API and the dashboard show. */
import { BASE_ONLY, type AggregateChoice } from './aggregates/choice';
import type { ConfigRecord, RuntimeConfig } from './contract';
import { entryAt, pendingEntries, type WindowSchedule } from './engine/schedule';

export function scheduleOf(record: ConfigRecord): WindowSchedule {
  return record.schedule.map((e, i) => ({
    fromMs: i === 0 || e.fromMs === null ? Number.NEGATIVE_INFINITY : e.fromMs,
    windowMs: e.windowMs,
    ...(e.calendar && { calendar: e.calendar }),
  }));
}

export function scheduleToRecord(schedule: WindowSchedule): ConfigRecord['schedule'] {
  return schedule.map((e) => ({
    fromMs: Number.isFinite(e.fromMs) ? e.fromMs : null,
    windowMs: e.windowMs,
    ...(e.calendar && { calendar: e.calendar }),
  }));
}

export function runtimeConfigOf(
  record: ConfigRecord,
  eventTimeMs: number,
  aggregates: AggregateChoice = BASE_ONLY,
): RuntimeConfig {
  const schedule = scheduleOf(record);
  const current = entryAt(schedule, eventTimeMs);
  const next = pendingEntries(schedule, eventTimeMs)[0];
  return {
    windowSeconds: current.windowMs / 1000,
    calendar: current.calendar ?? null,
    allowedLatenessSeconds: record.allowedLatenessMs / 1000,
    effectiveFrom: Number.isFinite(current.fromMs) ? current.fromMs : null,
    pending: next
      ? { windowSeconds: next.windowMs / 1000, calendar: next.calendar ?? null, effectiveFrom: next.fromMs }
      : null,
    schedule: schedule.map((e) => ({
      fromMs: Number.isFinite(e.fromMs) ? e.fromMs : null,
      windowSeconds: e.windowMs / 1000,
      calendar: e.calendar ?? null,
    })),
    version: record.version,
    updatedAt: record.updatedAt,
    aggregates: [...aggregates.extras],
    quantileRelativeAccuracy: aggregates.relativeAccuracy,
  };
}
