/** Short forms of the fault suite (tests/faults, `npm run test:faults`), so CI exercises them. */
import { describe, expect, it } from 'vitest';
import { killNineRepeatedly, pausedZombie, workersInTurn } from '../support/faultScenarios';

const exact = { ok: true, missing: 0, duplicated: 0, wrong: 0, unexpected: 0 };

describe('faults, short form', () => {
  it('kill -9 of the worker under load, 3 times: every window exactly once', async () => {
    const { report, workers } = await killNineRepeatedly(3, 7);
    expect(report).toMatchObject(exact);
    expect(report.windowsExpected).toBeGreaterThan(100);
    expect(workers.slice(0, -1).every((w) => w.child.signalCode === 'SIGKILL')).toBe(true);
  }, 300_000);

  it('two workers started and stopped in turn: every window exactly once', async () => {
    const { report } = await workersInTurn(2, 8_000);
    expect(report).toMatchObject(exact);
  }, 300_000);

  it('a paused zombie worker that resumes after losing its partitions is fenced, no window twice', async () => {
    const { report, zombieLogs } = await pausedZombie(12_000);
    expect(report).toMatchObject(exact);
    expect(zombieLogs.some((l) => l.includes('partition task failed'))).toBe(true);
  }, 300_000);
});
