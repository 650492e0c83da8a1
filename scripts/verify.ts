/**
 * `npm run verify [-- --from ISO|ms] [-- --to ISO|ms] [--json]`: recomputes every window from the
 * input topic and checks the output topic against it. Exit status 1 on any discrepancy.
 * Run it once the input has been quiet for window size + allowed lateness + a second, so every
 * window has closed. Uses the same environment variables as the app (KAFKA_BROKERS, topics).
 */
import { parseArgs } from 'node:util';
import { loadConfig } from '../server/config';
import { createKafka } from '../server/kafka/client';
import { verifyTopics } from '../server/verify/verifier';

function time(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = /^\d+$/.test(value) ? Number(value) : Date.parse(value);
  if (!Number.isFinite(n)) throw new Error(`not a time: ${value} (give epoch ms or an ISO date)`);
  return n;
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: { from: { type: 'string' }, to: { type: 'string' }, json: { type: 'boolean', default: false } },
  });
  const config = loadConfig();
  const brokers = config.kafkaBrokers ?? ['127.0.0.1:9092'];
  const result = await verifyTopics(createKafka(brokers, 'windowpane-verify'), config, {
    fromMs: time(values.from),
    toMs: time(values.to),
  });
  const { expected, written, samples, ...summary } = result;
  void expected;
  void written;
  if (values.json) console.log(JSON.stringify({ ...summary, samples }, null, 2));
  else {
    console.log(`verify ${config.inputTopic} → ${config.outputTopic} (late readings from the ${summary.lateSource})`);
    for (const [k, v] of Object.entries(summary))
      if (k !== 'lateSource' && k !== 'ok') console.log(`  ${k.padEnd(16)} ${v}`);
    for (const s of samples) console.log(`  ✗ ${JSON.stringify(s)}`);
    console.log(
      summary.ok ? 'OK: every window exact, none missing, none twice' : 'FAILED: see the discrepancies above',
    );
  }
  return summary.ok ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (error: Error) => {
    console.error(`verify failed: ${error.message}`);
    process.exit(2);
  },
);
