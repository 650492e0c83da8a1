/**
 * One cluster fault scenario from the command line, for investigating (the fault suite runs them
 * all): `npx tsx tests/support/runClusterFault.ts "input partition leader" kill back [runs] [keyed]`.
 * Prints each run's verifier figures, its stall, and what the worker logged about restarts.
 */
import { writeFileSync } from 'node:fs';
import { clusterFault, type ClusterFault } from './clusterFaults';

const [fault = 'input partition leader', how = 'kill', back = 'back', runs = '1', keyed] = process.argv.slice(2);

async function main(): Promise<void> {
  for (let run = 1; run <= Number(runs); run++) {
    const result = await clusterFault({
      fault: fault as ClusterFault,
      how: how === 'pause' ? 'pause' : 'kill',
      downMs: how === 'pause' ? 30_000 : 20_000,
      bringBack: back === 'back',
      port: 19_800,
      keyedBySensor: keyed === 'keyed',
    });
    const { samples, ...figures } = result.report as unknown as Record<string, unknown>;
    const logs = result.workerLogs ?? [];
    const file = `/tmp/cluster-fault-run-${run}.log`;
    writeFileSync(file, logs.join('\n'));
    const count = (text: string) => logs.filter((l) => l.includes(text)).length;
    console.log(
      JSON.stringify({
        run,
        ...figures,
        node: result.nodeId,
        stallMs: result.stallMs,
        repeatedPartialsWarnings: count('partials a source had sent already'),
        taskFailures: count('failed; it restarts'),
        logs: file,
        wrongSamples: Array.isArray(samples) ? samples.length : 0,
      }),
    );
  }
}

main().then(
  () => process.exit(0),
  (error) => {
    console.error(error);
    process.exit(1);
  },
);
