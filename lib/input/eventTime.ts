/**
 * Event time of a reading, from its time field in one of the configured formats or from the Kafka
 * record's own timestamp. Times are windowed at millisecond resolution: this is the one place a
 * finer time is rounded (to the nearest millisecond, halves up).
 */
export const TIME_FORMATS = ['epoch-seconds', 'epoch-millis', 'iso8601', 'record-timestamp'] as const;
export type TimeFormat = (typeof TIME_FORMATS)[number];

/** 9999-12-31T23:59:59.999Z: beyond it, no ISO-8601 time exists to show. */
const MAX_TIME_MS = 253_402_300_799_999;

export type TimeResult = number | { error: string };

/** `value` is the time field's JSON value: a number for the epoch formats, a string for ISO-8601. */
export function eventTimeMs(format: TimeFormat, value: unknown): TimeResult {
  switch (format) {
    case 'epoch-seconds':
      return fromNumber(value, 1000, 'epoch seconds');
    case 'epoch-millis':
      return fromNumber(value, 1, 'epoch milliseconds');
    case 'record-timestamp':
      return fromNumber(value, 1, 'the record timestamp, epoch milliseconds');
    case 'iso8601':
      return typeof value === 'string'
        ? parseIso8601(value)
        : { error: 'must be an ISO-8601 string such as "2026-11-25T10:00:00.125Z"' };
  }
}

function fromNumber(value: unknown, msPerUnit: number, unit: string): TimeResult {
  if (typeof value !== 'number' || !Number.isFinite(value)) return { error: `must be a finite number (${unit})` };
  const ms = Math.round(value * msPerUnit);
  if (ms < 0) return { error: 'must not be before the epoch' };
  if (ms > MAX_TIME_MS) return { error: 'must not be after the year 9999' };
  return ms;
}

const ISO = /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(?:[.,](\d{1,9}))?([Zz]|[+-]\d{2}:?\d{2})?$/;

export function parseIso8601(text: string): TimeResult {
  const m = ISO.exec(text);
  if (!m)
    return {
      error: `must be an ISO-8601 date-time such as "2026-11-25T10:00:00.125Z" (got ${JSON.stringify(text.slice(0, 40))})`,
    };
  const [, y, mo, d, h, mi, s, fraction, zone] = m;
  // Without a zone the instant is unknowable (whose local time?): refused rather than guessed.
  if (zone === undefined) return { error: 'needs a time zone: end it with Z or an offset such as +01:00' };
  const year = Number(y);
  const month = Number(mo);
  const day = Number(d);
  const [hour, minute, second] = [Number(h), Number(mi), Number(s)];
  if (month < 1 || month > 12) return { error: 'month must be 01–12' };
  if (day < 1 || day > daysInMonth(year, month))
    return { error: `day must be 01–${daysInMonth(year, month)} in that month` };
  if (hour > 23 || minute > 59 || second > 59) return { error: 'time of day must be 00:00:00–23:59:59' };
  let offsetMs = 0;
  if (zone !== 'Z' && zone !== 'z') {
    const sign = zone[0] === '-' ? -1 : 1;
    const digits = zone.slice(1).replace(':', '');
    const [oh, om] = [Number(digits.slice(0, 2)), Number(digits.slice(2))];
    if (oh > 23 || om > 59) return { error: 'offset must be at most ±23:59' };
    offsetMs = sign * (oh * 60 + om) * 60_000;
  }
  const fractionMs = fraction === undefined ? 0 : Math.round(Number(`0.${fraction}`) * 1000);
  // Date.UTC maps years 0–99 to 1900–1999: before the epoch either way, so refused below.
  const ms = Date.UTC(year, month - 1, day, hour, minute, second) + fractionMs - offsetMs;
  if (ms < 0) return { error: 'must not be before the epoch' };
  if (ms > MAX_TIME_MS) return { error: 'must not be after the year 9999' };
  return ms;
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}
