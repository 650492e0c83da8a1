/**
 * The long fault suite (`npm run test:faults`): each scenario under live load, ending with the
 * verifier, which must report 0 missing, 0 duplicated, 0 wrong.
 */
import { describe, expect, it } from 'vitest';
import type { VerifyResult } from '../../server/verify/verifier';
import {
  brokerOutage,
  killNineRepeatedly,
  pausedZombie,
  poisonUnderLoad,
  sizeChangesUnderLoad,
  workersInTurn,
} from '../support/faultScenarios';
import { clusterFault, type ClusterFault, type ClusterFaultOptions } from '../support/clusterFaults';
import { reconnectAfterOffline } from '../support/socketReconnect';

const exact = { ok: true, missing: 0, duplicated: 0, wrong: 0, unexpected: 0 };
const figures = (name: string, r: object) => console.log(`${name}: ${JSON.stringify(r)}`);
const summary = ({ expected, written, ...rest }: VerifyResult) => {
  void expected;
  void written;
  return rest;
};

/** A cluster fault under load: every window exact, none twice, no reading late or invalid, the worker alive. */
async function exactThroughClusterFault(name: string, options: ClusterFaultOptions): Promise<void> {
  const result = await clusterFault(options);
  figures(name, {
    ...summary(result.report),
    node: result.nodeId,
    stallMs: result.stallMs,
    failedSends: result.failedSends,
  });
  expect(result.report).toMatchObject(exact);
  expect(result.report.lateReadings).toBe(0);
  expect(result.report.invalidReadings).toBe(0);
  expect(result.workerAlive).toBe(true);
}

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
    const { report, healthSeen, workerAlive, failedSends } = await brokerOutage(60_000, 19_492); // not 19292, used by npm test's short form, so both can run at once
    figures('broker outage 60 s', { ...summary(report), healthSeen, failedSends });
    expect(report).toMatchObject(exact);
    expect(report.lateReadings).toBe(0); // an outage does not make readings late
    expect(workerAlive).toBe(true);
    expect(healthSeen).toContain(503);
    expect(healthSeen.at(-1)).toBe(200);
  });

  it('4. poison records of every kind, a 1 MB one among them, under load', async () => {
    const { report, injected, deadLetters, crashed, failures } = await poisonUnderLoad(5);
    figures('poison', { ...summary(report), injected, deadLettered: deadLetters.length, crashed });
    expect(report).toMatchObject({ ...exact, invalidReadings: injected });
    expect(deadLetters).toHaveLength(injected);
    expect(deadLetters.some((m) => m.value !== null && m.value.length === 1_000_000)).toBe(true);
    expect(failures).toEqual([]);
    expect(crashed).toBe(false);
  });

  it('5. window size changed 5 times under load', async () => {
    const { report } = await sizeChangesUnderLoad(5);
    figures('5 size changes', summary(report));
    expect(report).toMatchObject(exact);
    expect(new Set(report.written.map((w) => w.windowEnd - w.windowStart)).size).toBeGreaterThan(3);
  });

  it('6. a socket.io client offline for 10 s misses nothing and gets nothing twice', async () => {
    const result = await reconnectAfterOffline({ offlineMs: 10_000, sensors: 200, ratePerSensor: 5 });
    figures('client reconnect', result);
    expect(result.resumedSameFeed).toBe(true);
    expect(result.closedWhileOffline).toBeGreaterThan(1_000);
    expect(result).toMatchObject({ missed: 0, repeated: 0, received: result.written });
  });

  // A real 3-node cluster (replication 3, min.insync.replicas 2); readings all sent on time, so none may be late.
  const clusterCases: [ClusterFault, boolean][] = [
    ['transaction coordinator', false],
    ['transaction coordinator', true],
    ['input partition leader', false],
    ['input partition leader', true],
    ['group coordinator', false],
    ['group coordinator', true],
  ];
  it.each(clusterCases)('7. 3-node cluster: the %s killed (SIGKILL) under load, brought back: %s', (fault, bringBack) =>
    exactThroughClusterFault(`cluster: ${fault} killed${bringBack ? ' and brought back' : ', left down'}`, {
      fault,
      how: 'kill',
      downMs: 20_000,
      bringBack,
      port: 19_750,
    }),
  );

  // Keyed input has one stage: no merge skips a repeated partial, so a task restarting from a checkpoint
  // older than a transaction it had committed (the stale restart) would write a window twice.
  it('7b. 3-node cluster, input keyed by sensor: the input partition leader killed (SIGKILL), brought back', () =>
    exactThroughClusterFault('cluster, keyed input: input partition leader killed and brought back', {
      fault: 'input partition leader',
      how: 'kill',
      downMs: 20_000,
      bringBack: true,
      port: 19_750,
      keyedBySensor: true,
    }));

  it('8. 3-node cluster: the leader of an input partition paused (SIGSTOP) for 30 s under load', () =>
    exactThroughClusterFault('cluster: input partition leader paused 30 s', {
      fault: 'input partition leader',
      how: 'pause',
      downMs: 30_000,
      bringBack: true,
      port: 19_750,
    }));
});
