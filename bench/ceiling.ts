/**
 * The ceilings every engine is compared with: Apache Kafka's own consumer performance tool
 * (the same jars as the broker) and bare consumers that only parse (kafkajs, and optionally
 * librdkafka through @confluentinc/kafka-javascript). Both read the whole
 * topic; each runs as its own process tree, measured like the engines.
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { ensureKafkaJars } from '../scripts/kafka/jars';
import { track } from './children';
import { ROOT } from './engines';
import { TreeSampler } from './procTree';

export interface CeilingRun {
  readingsPerSecond: number;
  cpuSeconds: number;
  peakRssBytes: number;
  /** Wall time of the measured part (fetching), ms. */
  elapsedMs: number;
}

function runMeasured(
  command: string,
  args: string[],
): Promise<{ stdout: string; cpuSeconds: number; peakRssBytes: number }> {
  return new Promise((resolve, reject) => {
    const child = track(spawn(command, args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] }));
    const sampler = new TreeSampler(child.pid ?? -1);
    let stdout = '';
    let stderr = '';
    child.stdout!.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr!.on('data', (c: Buffer) => (stderr += c.toString()));
    // Sample just before it exits: the last lines are printed at the very end.
    child.stdout!.on('end', () => sampler.sample());
    child.once('error', (error) => {
      sampler.finish();
      reject(new Error(`${command}: ${error.message}`));
    });
    child.once('exit', (code) => {
      const usage = sampler.finish();
      if (code === 0) resolve({ stdout, ...usage });
      else reject(new Error(`${command} ${args.slice(0, 3).join(' ')} failed (${code}): ${stderr.slice(-2000)}`));
    });
  });
}

/** `kafka-consumer-perf-test`: its fetch.nMsg.sec, which leaves out the group join. */
export async function kafkaConsumerPerf(brokers: string, topic: string, messages: number): Promise<CeilingRun> {
  const libs = await ensureKafkaJars();
  const { stdout, cpuSeconds, peakRssBytes } = await runMeasured('java', [
    '-Xmx1g',
    '-cp',
    `${libs}${path.sep}*`,
    'org.apache.kafka.tools.ConsumerPerformance',
    '--bootstrap-server',
    brokers,
    '--topic',
    topic,
    '--messages',
    String(messages),
    '--timeout',
    '60000',
  ]);
  const lines = stdout.trim().split('\n');
  const header = lines.findIndex((l) => l.includes('fetch.nMsg.sec'));
  if (header < 0 || !lines[header + 1]) throw new Error(`unexpected ConsumerPerformance output:\n${stdout}`);
  const names = lines[header].split(',').map((s) => s.trim());
  const values = lines[header + 1].split(',').map((s) => s.trim());
  const field = (name: string) => Number(values[names.indexOf(name)]);
  return { readingsPerSecond: field('fetch.nMsg.sec'), cpuSeconds, peakRssBytes, elapsedMs: field('fetch.time.ms') };
}

export async function bareConsumer(
  brokers: string,
  topic: string,
  messages: number,
  client: 'kafkajs' | 'rdkafka' = 'kafkajs',
): Promise<CeilingRun> {
  const { stdout, cpuSeconds, peakRssBytes } = await runMeasured(process.execPath, [
    '--import',
    'tsx',
    path.join(ROOT, 'bench', 'bareConsumer.ts'),
    brokers,
    topic,
    String(messages),
    client,
  ]);
  const result = JSON.parse(stdout.trim().split('\n').at(-1)!) as {
    count: number;
    firstFetchAt: number;
    lastAt: number;
  };
  const elapsedMs = Math.max(1, result.lastAt - result.firstFetchAt);
  return { readingsPerSecond: (result.count / elapsedMs) * 1000, cpuSeconds, peakRssBytes, elapsedMs };
}
