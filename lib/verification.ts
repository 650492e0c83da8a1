/**
 * Compares the windows a worker wrote with the windows recomputed from its input. Pure: the
 * verifier (server/verify) reads the topics and hands both lists here.
 */
import type { WindowResult } from './engine/windowEngine';

export interface WindowMismatch {
  sensorId: string;
  windowStart: number;
  expected: { windowEnd: number; sum: number; count: number } | null;
  actual: { windowEnd: number; sum: number; count: number }[];
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

export function compareWindows(
  expected: readonly WindowResult[],
  written: readonly WindowResult[],
  readings: { late: number; invalid: number },
): VerificationReport {
  const key = (w: { sensorId: string; windowStart: number }) => `${w.sensorId}\u0000${w.windowStart}`;
  const byKey = new Map<string, WindowResult[]>();
  for (const w of written) {
    const list = byKey.get(key(w));
    if (list) list.push(w);
    else byKey.set(key(w), [w]);
  }
  const strip = (w: WindowResult) => ({ windowEnd: w.windowEnd, sum: w.sum, count: w.count });
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
    const mismatch = { sensorId: e.sensorId, windowStart: e.windowStart, expected: strip(e), actual: actual.map(strip) };
    if (actual.length === 0) {
      report.missing++;
      note(mismatch);
      continue;
    }
    if (actual.length > 1) {
      report.duplicated++;
      note(mismatch);
    }
    if (actual.every((a) => a.windowEnd === e.windowEnd && a.sum === e.sum && a.count === e.count)) {
      if (actual.length === 1) report.exact++;
    } else {
      report.wrong++;
      if (actual.length === 1) note(mismatch);
    }
  }
  for (const [, actual] of byKey) {
    report.unexpected++;
    note({ sensorId: actual[0].sensorId, windowStart: actual[0].windowStart, expected: null, actual: actual.map(strip) });
  }
  report.ok = report.missing === 0 && report.duplicated === 0 && report.wrong === 0 && report.unexpected === 0;
  return report;
}
