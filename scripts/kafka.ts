/**
 * Runs a local single-node Apache Kafka broker (KRaft) in the foreground.
 *
 *   npx tsx scripts/kafka.ts [--port 9092] [--controller-port 9093] [--data-dir DIR]
 *   npx tsx scripts/kafka.ts --fetch-only     # only download the jars (CI cache warm-up)
 *
 * Needs Java 17+ and Maven. Ctrl-C stops the broker.
 */
import { parseArgs } from 'node:util';
import { ensureKafkaJars, KAFKA_VERSION } from './kafka/jars';
import { startLocalBroker } from './kafka/localBroker';

const usage = `Usage: tsx scripts/kafka.ts [--port 9092] [--controller-port PORT] [--data-dir DIR] [--fetch-only]`;

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      port: { type: 'string' },
      'controller-port': { type: 'string' },
      'data-dir': { type: 'string' },
      'fetch-only': { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
    strict: true,
  });
  if (values.help) {
    console.log(usage);
    return;
  }
  const log = (msg: string) => console.log(`[kafka] ${msg}`);
  const num = (name: string, v: string | undefined): number | undefined => {
    if (v === undefined) return undefined;
    const n = Number(v);
    if (!Number.isInteger(n) || n <= 0 || n > 65535) throw new Error(`--${name} must be a port number, got "${v}"`);
    return n;
  };

  if (values['fetch-only']) {
    const libs = await ensureKafkaJars({ log });
    log(`Apache Kafka ${KAFKA_VERSION} jars in ${libs}`);
    return;
  }

  const broker = await startLocalBroker({
    port: num('port', values.port),
    controllerPort: num('controller-port', values['controller-port']),
    dataDir: values['data-dir'],
    log,
  });
  broker.process.ref(); // stay in the foreground while the broker runs

  console.log(`\nKafka ${KAFKA_VERSION} bootstrap: ${broker.brokers}`);
  console.log(`Broker log: ${broker.logFile}`);
  console.log('Press Ctrl-C to stop.\n');

  let stopping = false;
  let firstSignalAt = 0;
  const shutdown = (sig: string) => {
    if (stopping) {
      // tsx relays the terminal's SIGINT to this process as well, so one Ctrl-C can
      // arrive twice: only a second Ctrl-C a moment later means "kill it now".
      if (Date.now() - firstSignalAt < 1500) return;
      log(`${sig} again: killing the broker.`);
      broker.process.kill('SIGKILL');
      process.exit(130);
    }
    stopping = true;
    firstSignalAt = Date.now();
    log(`${sig}: stopping the broker ...`);
    broker.stop().then(
      () => {
        log('Broker stopped.');
        process.exit(0);
      },
      (e) => {
        console.error(e);
        process.exit(1);
      },
    );
  };
  for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(sig, () => shutdown(sig));

  broker.process.once('exit', (code, signal) => {
    if (stopping) return;
    console.error(`[kafka] The broker exited unexpectedly (code ${code}, signal ${signal}); see ${broker.logFile}`);
    process.exit(1);
  });
}

main().catch((e) => {
  console.error(`[kafka] ${e instanceof Error ? e.message : e}`);
  process.exit(1);
});
