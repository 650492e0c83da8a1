import { describe, expect, it } from 'vitest';
import {
  DEFAULT_VIEW,
  parseView,
  rangeBounds,
  viewQuery,
  type ViewState,
} from '../../../../components/dashboard/viewState';
import { windowsToCsv } from '../../../../lib/export/windowsCsv';

describe('view state in the URL', () => {
  it('round-trips a view through its query string', () => {
    const view: ViewState = {
      range: { kind: 'custom', from: 1_700_000_000_000, to: 1_700_000_900_000 },
      sensors: ['7', 'a b', 'é,"x"'],
      metric: 'count',
      perSecond: true,
    };
    expect(parseView(viewQuery(view))).toEqual(view);
    const recent: ViewState = { ...DEFAULT_VIEW, range: { kind: 'recent', key: '1h' }, metric: 'mean' };
    expect(parseView(viewQuery(recent))).toEqual(recent);
  });

  it('writes nothing for the default view and falls back to it on nonsense', () => {
    expect(viewQuery(DEFAULT_VIEW)).toBe('');
    expect(parseView('?range=2y&metric=median&from=9&to=3')).toEqual(DEFAULT_VIEW);
  });

  it('drops per-second for aggregates that are not rates', () => {
    expect(parseView('?metric=max&perSecond=1').perSecond).toBe(false);
  });

  it('gives the span of a recent range from now', () => {
    expect(rangeBounds({ kind: 'recent', key: '15m' }, 1_000_000)).toEqual({ from: 100_000, to: 1_000_001 });
  });
});

describe('CSV export', () => {
  it('writes one row per window with the API’s values, quoting what needs it', () => {
    const csv = windowsToCsv([
      {
        sensorId: 'a,"1"',
        windowStart: 0,
        windowEnd: 1_000,
        count: 3,
        sum: 0.30000000000000004,
        min: -1,
        max: 1e21,
        mean: 0.1,
      },
    ]);
    expect(csv).toBe(
      'sensorId,windowStart,windowEnd,count,sum,min,max,mean\r\n"a,""1""",0,1000,3,0.30000000000000004,-1,1e+21,0.1\r\n',
    );
  });
});
