/** The "what if" panel's markup, rendered on the server: labelled controls, and a finished job's comparison. */
import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import type { RewindowJob, WindowResultRecord } from '../../../../lib/contract';
import { RewindowPanel } from '../../../../components/rewindow/RewindowPanel';
import { RewindowResult } from '../../../../components/rewindow/RewindowResult';

const T0 = 1_763_900_000_000;
const w = (start: number, end: number, count: number, sum: number): WindowResultRecord => ({
  sensorId: 's1',
  windowStart: start,
  windowEnd: end,
  count,
  sum,
  min: 1,
  max: sum,
  mean: sum / count,
});

describe('RewindowPanel', () => {
  it('labels every control and offers the sensors in human order, with "All sensors" first', () => {
    const html = renderToStaticMarkup(createElement(RewindowPanel, { sensors: ['b', '10', '2', 'b'] }));
    for (const label of ['From', 'To', 'Window size (s)', 'Sensor'])
      expect(html).toMatch(new RegExp(`<label>${label.replace(/[()]/g, '\\$&')}<(input|select)`));
    expect([...html.matchAll(/<option value="([^"]*)"/g)].map((m) => m[1])).toEqual(['', '2', '10', 'b']);
    expect(html).toContain('<button type="submit" class="primary">Recompute</button>');
    // No job yet: no progress bar, no Cancel.
    expect(html).not.toContain('<progress');
    expect(html).not.toContain('Cancel');
  });
});

describe('RewindowResult', () => {
  const job: RewindowJob = {
    id: 'j',
    status: 'done',
    request: { from: T0 - 300, to: T0 + 20_000, windowSeconds: 0.5 },
    range: { from: T0, to: T0 + 20_000 },
    startedAt: T0,
    finishedAt: T0,
    progress: { readRecords: 10, totalRecords: 10, fraction: 1 },
    result: { windows: [], skipped: { invalid: 1, outsideRange: 2, otherSensors: 0 } },
  };
  const render = (live: WindowResultRecord[] | null) =>
    renderToStaticMarkup(
      createElement(RewindowResult, {
        id: 'x',
        job,
        skipped: job.result!.skipped,
        sensors: ['s1', 's2'],
        shown: 's1',
        onShow: () => {},
        metric: 'mean',
        onMetric: () => {},
        recomputed: [w(T0, T0 + 500, 2, 3), w(T0 + 500, T0 + 1_000, 1, 2)],
        live,
        emittedError: '',
      }),
    );

  it('sums up both sides and explains a difference in readings', () => {
    const html = render([w(T0, T0 + 5_000, 2, 3)]);
    expect(html).toContain('Recomputed: 3 readings in 2 windows of 0.5 s. Emitted: 2 readings in 1 window.');
    expect(html).toContain('the recomputation counts every valid reading');
    expect(html).toContain('Skipped: 1 invalid record, 2 readings outside the range.');
    expect(html).toContain('Recomputed, 0.5 s windows</caption>');
    expect(html).toContain('Emitted by the worker</caption>');
    // Sub-second windows show milliseconds.
    expect(html).toMatch(/<td>[^<]*\.500–[^<]*\.000<\/td>/);
    expect(html).toContain('<label>Sensor shown<select>');
  });

  it('says it is still reading the emitted windows', () => {
    const html = render(null);
    expect(html).toContain('Reading the emitted windows…');
    expect(html).not.toContain('Emitted by the worker');
  });
});
