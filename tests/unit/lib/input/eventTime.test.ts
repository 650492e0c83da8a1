import { describe, expect, it } from 'vitest';
import { eventTimeMs, parseIso8601 } from '../../../../lib/input/eventTime';

describe('eventTimeMs', () => {
  it('reads epoch seconds and milliseconds, rounding to the nearest millisecond', () => {
    expect(eventTimeMs('epoch-seconds', 1763900000.25)).toBe(1763900000250);
    expect(eventTimeMs('epoch-seconds', 1763900000.0006)).toBe(1763900000001);
    expect(eventTimeMs('epoch-millis', 1763900000250.4)).toBe(1763900000250);
    expect(eventTimeMs('record-timestamp', 1763900000250)).toBe(1763900000250);
  });

  it.each([
    ['epoch-seconds', '1763900000', 'must be a finite number (epoch seconds)'],
    ['epoch-seconds', -1, 'must not be before the epoch'],
    ['epoch-millis', 1e300, 'must not be after the year 9999'],
    ['epoch-millis', Number.NaN, 'must be a finite number (epoch milliseconds)'],
    ['iso8601', 1763900000, 'must be an ISO-8601 string'],
  ] as const)('%s refuses %o: %s', (format, value, error) => {
    expect(eventTimeMs(format, value)).toEqual({ error: expect.stringContaining(error) });
  });
});

describe('parseIso8601', () => {
  it.each([
    ['2026-11-25T10:00:00Z', Date.UTC(2026, 10, 25, 10)],
    ['2026-11-25T10:00:00.125Z', Date.UTC(2026, 10, 25, 10, 0, 0, 125)],
    ['2026-11-25T10:00:00.1Z', Date.UTC(2026, 10, 25, 10, 0, 0, 100)],
    ['2026-11-25T10:00:00.1234567Z', Date.UTC(2026, 10, 25, 10, 0, 0, 123)],
    ['2026-11-25T10:00:00.9996Z', Date.UTC(2026, 10, 25, 10, 0, 1, 0)],
    ['2026-11-25T11:30:00+01:30', Date.UTC(2026, 10, 25, 10)],
    ['2026-11-25T05:00:00-0500', Date.UTC(2026, 10, 25, 10)],
    ['2024-02-29T00:00:00z', Date.UTC(2024, 1, 29)],
  ])('%s', (text, ms) => expect(parseIso8601(text)).toBe(ms));

  it.each([
    ['2026-11-25T10:00:00', 'needs a time zone'],
    ['2026-11-25 10:00:00Z', 'must be an ISO-8601 date-time'],
    ['2026-13-01T00:00:00Z', 'month must be 01–12'],
    ['2026-02-29T00:00:00Z', 'day must be 01–28'],
    ['2026-11-25T24:00:00Z', 'time of day'],
    ['2026-11-25T10:00:00+24:00', 'offset'],
    ['1969-12-31T23:59:59Z', 'before the epoch'],
    ['yesterday', 'must be an ISO-8601 date-time'],
  ])('refuses %s', (text, error) => expect(parseIso8601(text)).toEqual({ error: expect.stringContaining(error) }));
});
