/**
 * Compares the windows a worker wrote with the windows recomputed from its input. Pure: the
 * verifier (server/verify) reads the topics and hands both lists here.
 */
import { DEFAULT_RELATIVE_ACCURACY, EXTRA_AGGREGATES, isQuantile } from './aggregates/choice';
import type { WindowText } from './windowRecord';

interface WindowMismatch {
  sensorId: string;
  windowStart: number;
  expected: Aggregates | null;
  actual: Aggregates[];
}

export interface VerificationReport {
  windowsExpected: number;
  windowsWritten: number;
  exact: number;
  missing: number;
  duplicated: number;
  wrong: number;
  unexpected: number;
  lateReadings: number;
  invalidReadings: number;
  /** The first few discrepancies, for the log. */
  samples: WindowMismatch[];
  ok: boolean;
}

const MAX_SAMPLES = 20;

/** A window as compared: its key, and the aggregates an engine writes (peers in the bench write no min/max/mean). */
export type ComparedWindow = Pick<WindowText, 'sensorId' | 'windowStart' | 'windowEnd' | 'count' | 'sum'> &
  Partial<Omit<WindowText, 'sensorId' | 'windowStart' | 'windowEnd' | 'count' | 'sum'>>;
type Aggregates = Omit<ComparedWindow, 'sensorId' | 'windowStart'>;
export type AggregateField = keyof Aggregates;
const ALL_AGGREGATES: readonly AggregateField[] = ['windowEnd', 'count', 'sum', 'min', 'max', 'mean'];

/**
 * Whether a written quantile is within the sketch's relative accuracy α of the exact one: the
 * sketch's guarantee, |reported − exact| ≤ α·|exact|, with room for the double the bound is computed in.
 */
function withinAccuracy(written: string, exact: string, relativeAccuracy: number): boolean {
  const w = Number(written);
  const e = Number(exact);
  return Math.abs(w - e) <= relativeAccuracy * Math.abs(e) * (1 + 1e-9) + Number.MIN_VALUE;
}

export function compareWindows(
  expected: readonly ComparedWindow[],
  written: readonly ComparedWindow[],
  readings: { late: number; invalid: number },
  fields: readonly AggregateField[] = ALL_AGGREGATES,
  relativeAccuracy = DEFAULT_RELATIVE_ACCURACY,
): VerificationReport {
  const key = (w: { sensorId: string; windowStart: number }) => `${w.sensorId}\u0000${w.windowStart}`;
  const byKey = new Map<string, ComparedWindow[]>();
  for (const w of written) {
    const list = byKey.get(key(w));
    if (list) list.push(w);
    else byKey.set(key(w), [w]);
  }
  const strip = ({ sensorId: _id, windowStart: _start, ...aggregates }: ComparedWindow): Aggregates => aggregates;
  // Decimal text is canonical, so equal text is an equal value: no rounding in the comparison. The
  // extras checked are the ones the expected window has; a quantile within the sketch's accuracy.
  const sameExtras = (a: ComparedWindow, e: ComparedWindow) =>
    EXTRA_AGGREGATES.every((k) => {
      const want = e[k];
      const got = a[k];
      if (want === undefined) return true;
      if (got === undefined) return false;
      return isQuantile(k) ? withinAccuracy(got, want, relativeAccuracy) : got === want;
    });
  const same = (a: ComparedWindow, e: ComparedWindow) => fields.every((k) => a[k] === e[k]) && sameExtras(a, e);
  const report: VerificationReport = {
    windowsExpected: expected.length,
    windowsWritten: written.length,
    exact: 0,
    missing: 0,
    duplicated: 0,
    wrong: 0,
    unexpected: 0,
    lateReadings: readings.late,
    invalidReadings: readings.invalid,
    samples: [],
    ok: false,
  };
  const note = (m: WindowMismatch) => {
    if (report.samples.length < MAX_SAMPLES) report.samples.push(m);
  };
  for (const e of expected) {
    const actual = byKey.get(key(e)) ?? [];
    byKey.delete(key(e));
    const mismatch = {
      sensorId: e.sensorId,
      windowStart: e.windowStart,
      expected: strip(e),
      actual: actual.map(strip),
    };
    if (actual.length === 0) {
      report.missing++;
      note(mismatch);
      continue;
    }
    if (actual.length > 1) {
      report.duplicated++;
      note(mismatch);
    }
    if (actual.every((a) => same(a, e))) {
      if (actual.length === 1) report.exact++;
    } else {
      report.wrong++;
      if (actual.length === 1) note(mismatch);
    }
  }
  for (const [, actual] of byKey) {
    report.unexpected++;
    note({
      sensorId: actual[0].sensorId,
      windowStart: actual[0].windowStart,
      expected: null,
      actual: actual.map(strip),
    });
  }
  report.ok = report.missing === 0 && report.duplicated === 0 && report.wrong === 0 && report.unexpected === 0;
  return report;
}
