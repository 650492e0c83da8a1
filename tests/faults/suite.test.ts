/**
 * The long fault suite (`npm run test:faults`): each scenario under live load, ending with the
 * verifier, which must report 0 missing, 0 duplicated, 0 wrong.
 */
import { describe, expect, it } from 'vitest';
import type { VerifyResult } from '../../server/verify/verifier';
import { brokerOutage, killNineRepeatedly, pausedZombie, sizeChangesUnderLoad, workersInTurn } from '../support/faultScenarios';

const exact = { ok: true, missing: 0, duplicated: 0, wrong: 0, unexpected: 0 };
const figures = (name: string, r: object) => console.log(`${name}: ${JSON.stringify(r)}`);
const summary = ({ expected, written, ...rest }: VerifyResult) => {
  void expected;
  void written;
  return rest;
};

describe('fault suite', () => {
  it('1. kill -9 the worker 20 times at random moments under load', async () => {
    const { report } = await killNineRepeatedly(20, 2026);
    figures('kill -9 ×20', summary(report));
    expect(report).toMatchObject(exact);
  });

  it('2. three workers started and stopped in turn', async () => {
    const { report } = await workersInTurn(3, 10_000);
    figures('3 workers in turn', summary(report));
    expect(report).toMatchObject(exact);
  });

  it('2b. a paused zombie worker is fenced when it resumes', async () => {
    const { report, zombieLogs } = await pausedZombie(15_000);
    figures('zombie', summary(report));
    expect(report).toMatchObject(exact);
    expect(zombieLogs.some((l) => l.includes('partition task failed'))).toBe(true);
  });

  it('3. broker stopped for 60 s under load and restarted; no process restarted by hand', async () => {
    const { report, healthSeen, workerAlive, failedSends } = await brokerOutage(60_000);
    figures('broker outage 60 s', { ...summary(report), healthSeen, failedSends });
    expect(report).toMatchObject(exact);
    expect(report.lateReadings).toBe(0); // an outage does not make readings late
    expect(workerAlive).toBe(true);
    expect(healthSeen).toContain(503);
    expect(healthSeen.at(-1)).toBe(200);
  });

  it('5. window size changed 5 times under load', async () => {
    const { report } = await sizeChangesUnderLoad(5);
    figures('5 size changes', summary(report));
    expect(report).toMatchObject(exact);
    expect(new Set(report.written.map((w) => w.windowEnd - w.windowStart)).size).toBeGreaterThan(3);
  });
});
