/**
 * `npm run bench -- --quick` in CI, so the harness never rots. No timing is asserted: only that
 * every part ran and that windowpane's windows were exact against the reference.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { BenchReport } from '../../bench/report';

const ROOT = path.resolve(__dirname, '../..');

describe('benchmark harness', () => {
  it('runs the quick benchmark end to end with exact windows', () => {
    const run = spawnSync(
      process.execPath,
      ['--max-old-space-size=4096', '--import', 'tsx', 'bench/run.ts', '--quick'],
      {
        cwd: ROOT,
        encoding: 'utf8',
        env: process.env,
        timeout: 600_000,
      },
    );
    expect(run.status, `${run.stdout}\n${run.stderr}`).toBe(0);
    const report = JSON.parse(readFileSync(path.join(ROOT, 'bench', 'out', 'latest.json'), 'utf8')) as BenchReport;
    const [throughput] = report.throughput;
    expect(throughput.engines.map((e) => e.engine)).toEqual([expect.stringMatching(/^windowpane/)]);
    expect(throughput.engines[0].windows).toMatchObject({
      ok: true,
      expected: throughput.windows,
      exact: throughput.windows,
    });
    expect(throughput.kafkaCeiling.readingsPerSecond).toBeGreaterThan(0);
    expect(throughput.kafkajsCeiling.readingsPerSecond).toBeGreaterThan(0);
    expect(report.latency).toMatchObject({ missed: 0 });
    expect(report.latency!.windows).toBeGreaterThan(0);
    expect(report.browser!.sensorsCharted).toBe(100);
    expect(report.browser!.frames).toBeGreaterThan(0);
    expect(report.memory!.bytesPerOpenSensorWindow).toBeGreaterThan(0);
    expect(run.stdout).toContain('| windowpane');
  }, 600_000);
});
