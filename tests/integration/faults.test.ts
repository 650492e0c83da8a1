/** Short forms of the fault suite (tests/faults, `npm run test:faults`), so CI exercises them. */
import { describe, expect, it } from 'vitest';
import { clusterFault } from '../support/clusterFaults';
import { brokerOutage, killNineRepeatedly, pausedZombie, workersInTurn } from '../support/faultScenarios';

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

  it('a paused zombie worker that resumes after losing its partitions: no window twice', async () => {
    const { report, zombieLogs } = await pausedZombie(12_000);
    expect(report).toMatchObject(exact);
    // It came back and took part again. Whether it still had a commit in flight to be refused
    // depends on where the pause caught it; that refusal is shown deterministically by
    // transactionalPartition.test.ts, and by the long suite's scenario 2b.
    expect(zombieLogs.filter((l) => l.includes('worker assigned partitions')).length).toBeGreaterThan(1);
  }, 300_000);

  it('broker down for 15 s under load: the worker recovers by itself, /healthz says degraded meanwhile', async () => {
    const { report, healthSeen, workerAlive } = await brokerOutage(15_000);
    expect(report).toMatchObject(exact);
    expect(report.lateReadings).toBe(0); // an outage does not make readings late
    expect(workerAlive).toBe(true);
    expect(healthSeen).toContain(503);
    expect(healthSeen.at(-1)).toBe(200);
  }, 300_000);

  it('3-node cluster, an input partition leader paused (SIGSTOP) for 30 s under load: every window exact, no on-time reading late', async () => {
    const { report, workerAlive, stallMs } = await clusterFault({
      fault: 'input partition leader',
      how: 'pause',
      downMs: 30_000,
      bringBack: true,
      port: 19_700,
    });
    console.log(`cluster pause: output stalled ${(stallMs / 1000).toFixed(1)} s`);
    expect(report).toMatchObject(exact);
    expect(report.lateReadings).toBe(0);
    expect(workerAlive).toBe(true);
  }, 420_000);
});
