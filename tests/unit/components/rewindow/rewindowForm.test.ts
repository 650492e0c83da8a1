/** The "what if" panel's pure helpers: form values, request, error sentences, progress label, chart steps. */
import { describe, expect, it } from 'vitest';
import type { WindowResultRecord } from '../../../../lib/contract';
import {
  DEFAULT_RANGE_MS,
  defaultForm,
  errorSentence,
  fromLocalInput,
  progressLabel,
  requestOf,
  stepPoints,
  toLocalInput,
  totals,
  windowsOf,
} from '../../../../components/rewindow/rewindowForm';

const T0 = 1_763_900_000_000;
const w = (sensorId: string, start: number, end: number, count: number, sum: number): WindowResultRecord => ({
  sensorId,
  windowStart: start,
  windowEnd: end,
  count,
  sum,
  min: 0,
  max: sum,
  mean: sum / count,
});

describe('form values', () => {
  it('round-trips a time through a datetime-local value, to the second', () => {
    expect(fromLocalInput(toLocalInput(T0 + 12_345))).toBe(T0 + 12_000);
    expect(toLocalInput(T0)).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}$/);
  });

  it('reads a value without seconds, and refuses blanks and garbage', () => {
    const minute = toLocalInput(T0).slice(0, 16);
    expect(fromLocalInput(minute)).toBe(fromLocalInput(`${minute}:00`));
    expect(fromLocalInput('')).toBeNull();
    expect(fromLocalInput('yesterday')).toBeNull();
  });

  it('opens on the last 15 minutes', () => {
    const form = defaultForm(T0 + 999);
    expect(fromLocalInput(form.to)).toBe(T0);
    expect(fromLocalInput(form.to)! - fromLocalInput(form.from)!).toBe(DEFAULT_RANGE_MS);
    expect(form).toMatchObject({ windowSeconds: '10', sensorId: '' });
  });

  it('makes the request body, with the sensor only when one is chosen', () => {
    const form = { from: toLocalInput(T0), to: toLocalInput(T0 + 60_000), windowSeconds: ' 2.5 ', sensorId: '' };
    expect(requestOf(form)).toEqual({ ok: true, request: { from: T0, to: T0 + 60_000, windowSeconds: 2.5 } });
    expect(requestOf({ ...form, sensorId: 'boiler-3' })).toEqual({
      ok: true,
      request: { from: T0, to: T0 + 60_000, windowSeconds: 2.5, sensorId: 'boiler-3' },
    });
  });

  it('says what to fix when the browser cannot even send it', () => {
    const form = { from: toLocalInput(T0), to: toLocalInput(T0 + 60_000), windowSeconds: '5', sensorId: '' };
    expect(requestOf({ ...form, from: '' })).toEqual({
      ok: false,
      error: 'Choose the start of the range (date and time).',
    });
    expect(requestOf({ ...form, to: 'x' })).toEqual({
      ok: false,
      error: 'Choose the end of the range (date and time).',
    });
    expect(requestOf({ ...form, windowSeconds: '' })).toEqual({
      ok: false,
      error: 'Enter a window size in seconds, such as 10 or 2.5.',
    });
    expect(requestOf({ ...form, windowSeconds: 'ten' })).toEqual({
      ok: false,
      error: 'Enter a window size in seconds, such as 10 or 2.5.',
    });
    // Rules are the server's: a size of 0 is sent, and the server says why not.
    expect(requestOf({ ...form, windowSeconds: '0' }).ok).toBe(true);
  });
});

describe('errorSentence', () => {
  it.each([
    ['windowSeconds: must be at least 0.1', 'The window size: must be at least 0.1.'],
    ['to: must be at most 24 hours after from', 'The end: must be at most 24 hours after from.'],
    ['from, to: about 3000000 input records would be read', 'The range: about 3000000 input records would be read.'],
    [
      'rewindow: at most 2 jobs run at a time; wait for one to finish or cancel it',
      'At most 2 jobs run at a time; wait for one to finish or cancel it.',
    ],
    ['Reading the input topic failed: timeout.', 'Reading the input topic failed: timeout.'],
    ['', 'Something went wrong.'],
  ])('%j → %j', (message, sentence) => {
    expect(errorSentence(message)).toBe(sentence);
  });
});

describe('progressLabel', () => {
  it('says where the job is', () => {
    const progress = { readRecords: 1_500, totalRecords: 6_000, fraction: 0.25 };
    expect(progressLabel({ status: 'running', progress })).toMatch(
      /^Reading 1.500 of about 6.000 input records \(25 %\)$/,
    );
    expect(progressLabel({ status: 'cancelled', progress })).toMatch(
      /^Cancelled after 1.500 of about 6.000 input records$/,
    );
    expect(progressLabel({ status: 'done', progress: { ...progress, fraction: 1 } })).toMatch(
      /^Done: read 1.500 input records$/,
    );
  });
});

describe('windows side by side', () => {
  const windows = [
    w('b', T0 + 10_000, T0 + 20_000, 2, 5),
    w('a', T0, T0 + 10_000, 1, 1),
    w('b', T0, T0 + 10_000, 3, 6),
    w('b', T0 + 30_000, T0 + 40_000, 1, 2),
  ];

  it('picks one sensor, ordered by start', () => {
    expect(windowsOf(windows, 'b').map((x) => x.windowStart - T0)).toEqual([0, 10_000, 30_000]);
  });

  it('totals the windows wholly inside the range', () => {
    expect(totals(windowsOf(windows, 'b'), { from: T0, to: T0 + 40_000 })).toEqual({ windows: 3, readings: 6 });
    expect(totals(windowsOf(windows, 'b'), { from: T0 + 5_000, to: T0 + 35_000 })).toEqual({ windows: 1, readings: 2 });
  });

  it('draws steps with a gap where windows are missing and the last window drawn whole', () => {
    expect(stepPoints(windowsOf(windows, 'b'), 'sum')).toEqual([
      { t: T0, v: 6 },
      { t: T0 + 10_000, v: 5 },
      { t: T0 + 20_000, v: null },
      { t: T0 + 30_000, v: 2 },
      { t: T0 + 40_000, v: 2 },
    ]);
    expect(stepPoints([], 'mean')).toEqual([]);
  });
});
