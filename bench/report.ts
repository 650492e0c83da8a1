/** The benchmark report: one table per run, printed, and for a full run written into BENCHMARKS.md. */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { KAFKA_VERSION } from '../scripts/kafka/jars';
import { ROOT } from './engines';
import type { BrowserResult } from './browser';
import type { ClientsResult } from './clients';
import type { LatencyResult } from './latency';
import type { MemoryResult } from './memory';
import type { ThroughputResult } from './throughput';

export interface BenchReport {
  startedAt: string;
  options: Record<string, unknown>;
  throughput: ThroughputResult[];
  latency?: LatencyResult;
  clients?: ClientsResult;
  browser?: BrowserResult;
  memory?: MemoryResult;
}

const BEGIN = '<!-- bench:begin -->';
const END = '<!-- bench:end -->';

const int = (n: number) => Math.round(n).toLocaleString('en');
const mb = (bytes: number) => `${Math.round(bytes / 1024 / 1024)} MB`;
const ratio = (a: number, b: number) => `${((a / b) * 100).toFixed(1)} %`;

function machine(): string {
  const java = spawnSync('java', ['-version'], { encoding: 'utf8' }).stderr.split('\n')[0] ?? 'java ?';
  return `${os.cpus().length} × ${os.cpus()[0]?.model.trim() ?? 'CPU'}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, ${os.type()} ${os.release()}; Node ${process.version}; ${java.trim()}; Kafka broker ${KAFKA_VERSION} (single node, local)`;
}

function renderMarkdown(report: BenchReport): string {
  const lines: string[] = [];
  const command = `npm run bench -- ${process.argv.slice(2).join(' ')}`.trim();
  lines.push(
    `Run of ${report.startedAt.slice(0, 16).replace('T', ' ')} UTC — \`${command}\``,
    '',
    `Machine: ${machine()}.`,
    '',
  );
  for (const t of report.throughput) {
    lines.push(
      `**Throughput, ${t.input === 'keyed' ? 'keyed input (every record keyed by its sensor id)' : "unkeyed input (no key: each sensor on every partition, the seed's flow)"}: ${int(t.readings)} readings, ${int(t.sensors)} sensors, ${t.partitions} partitions, 1 s windows (${int(t.windows)} windows).**`,
      '',
      '| | readings/s | of Kafka ceiling | of kafkajs ceiling | CPU s per M readings | peak RSS | windows vs. reference |',
      '| --- | ---: | ---: | ---: | ---: | ---: | --- |',
      `| Kafka ConsumerPerformance (ceiling) | ${int(t.kafkaCeiling.readingsPerSecond)} | 100 % | | ${(t.kafkaCeiling.cpuSeconds / (t.readings / 1e6)).toFixed(1)} | ${mb(t.kafkaCeiling.peakRssBytes)} | reads only |`,
      `| bare kafkajs consumer, JSON.parse (client ceiling) | ${int(t.kafkajsCeiling.readingsPerSecond)} | ${ratio(t.kafkajsCeiling.readingsPerSecond, t.kafkaCeiling.readingsPerSecond)} | 100 % | ${(t.kafkajsCeiling.cpuSeconds / (t.readings / 1e6)).toFixed(1)} | ${mb(t.kafkajsCeiling.peakRssBytes)} | reads only |`,
    );
    if (t.rdkafkaCeiling) {
      const r = t.rdkafkaCeiling;
      lines.push(
        `| bare @confluentinc/kafka-javascript (librdkafka) consumer, JSON.parse | ${int(r.readingsPerSecond)} | ${ratio(r.readingsPerSecond, t.kafkaCeiling.readingsPerSecond)} | ${ratio(r.readingsPerSecond, t.kafkajsCeiling.readingsPerSecond)} | ${(r.cpuSeconds / (t.readings / 1e6)).toFixed(1)} | ${mb(r.peakRssBytes)} | reads only |`,
      );
    }
    for (const e of t.engines) {
      const w = e.windows;
      const check = w.ok
        ? `exact (${int(w.exact)})`
        : `**NOT exact**: ${w.missing} missing, ${w.duplicated} duplicated, ${w.wrong} wrong, ${w.unexpected} unexpected`;
      lines.push(
        `| ${e.engine} | ${e.readingsPerSecond === null ? 'run too short against its start-up; use more readings' : int(e.readingsPerSecond)} | ${e.readingsPerSecond === null ? '' : ratio(e.readingsPerSecond, t.kafkaCeiling.readingsPerSecond)} | ${e.readingsPerSecond === null ? '' : ratio(e.readingsPerSecond, t.kafkajsCeiling.readingsPerSecond)} | ${e.cpuSecondsPerMillion.toFixed(1)} | ${mb(e.peakRssBytes)} | ${check} |`,
      );
    }
    for (const f of t.failures)
      lines.push(`| ${f.engine} | failed | | | | | ${f.error.replace(/\|/g, '/').slice(0, 200)} |`);
    const rounded = t.engines.filter((e) => e.rounds && e.rounds.length > 1);
    if (rounded.length > 0) {
      lines.push(
        '',
        `Each engine ran ${rounded[0].rounds!.length} times, interleaved; the table gives medians. readings/s by round: ${rounded.map((e) => `${e.engine} ${e.rounds!.map((r) => (r === null ? '–' : int(r))).join(' / ')}`).join('; ')}.`,
      );
    }
    lines.push(
      '',
      `Start-up, subtracted from each engine's time: ${t.engines.map((e) => `${e.engine} ${(e.startupMs / 1000).toFixed(1)} s`).join(', ')}.`,
    );
    for (const e of t.engines) {
      if (e.fromFirstFetchPerSecond !== null) {
        lines.push(
          `Cross-check: ${e.engine} from its own first fetch (its log) to the last window: ${int(e.fromFirstFetchPerSecond)} readings/s.`,
        );
      }
    }
    lines.push('');
  }
  if (report.latency) {
    const l = report.latency;
    lines.push(
      `**Latency, window close → socket.io client**: ${int(l.sensors)} sensors × 1 reading/s for ${l.seconds} s, ${int(l.windows)} windows: p50 ${l.p50Ms} ms, p99 ${l.p99Ms} ms, max ${l.maxMs} ms; ${l.missed} windows missed by the client.`,
      '',
      '| hop (each measured from outside, see bench/latencyHops.ts) | p50 | p99 | max |',
      '| --- | ---: | ---: | ---: |',
      ...[
        ['close → first stage committed, readable by the merge', l.hops.firstStage],
        ['→ merge committed, readable by the web tier', l.hops.merge],
        ['→ socket.io client (web consume, feed, emit, socket)', l.hops.webAndSocket],
      ].map(([name, f]) => {
        const h = f as LatencyResult['hops']['merge'];
        return `| ${name as string} | ${h.p50Ms} ms | ${h.p99Ms} ms | ${h.maxMs} ms |`;
      }),
      '',
    );
  }
  if (report.clients) {
    const c = report.clients;
    lines.push(
      `**Many dashboards**: ${int(c.clients)} socket.io clients opened over ${c.openSeconds} s against one web server holding its history, ${c.sensors} sensors × ${int(c.readingsPerSecond / c.sensors)} readings/s, plus one client that stops reading: ` +
        `connect → history p50 ${c.historyP50Ms} ms, p99 ${c.historyP99Ms} ms, max ${c.historyMaxMs} ms; ${c.connectErrors} connect errors; ` +
        `\`/healthz\` slowest answer ${c.healthzMaxMs} ms (${c.healthzOver2s} over 2 s); live close → client over all clients p50 ${c.liveP50Ms} ms, p99 ${c.liveP99Ms} ms, max ${c.liveMaxMs} ms; ` +
        `${int(c.clientsExact)} of ${int(c.clients)} clients got all ${int(c.windowsInPeriod)} windows of ${c.measuredSeconds} s exactly once; ` +
        `the web server used ${c.webCpuSeconds.toFixed(1)} CPU s meanwhile; the client that stopped reading was ${c.slowClientDisconnected ? 'disconnected (it would reconnect to the history)' : 'kept, skipped while its buffer was full'}.`,
      '',
    );
  }
  if (report.browser) {
    const b = report.browser;
    lines.push(
      `**Dashboard frame times** (headless Chromium without its frame-rate limit, ${b.sensorsCharted} sensors charted over the last ${b.historyMinutes} min, ${int(b.sensorsInTable)} in the table, of 1,000 simulated, live updates, ${int(b.frames)} frames): p50 ${b.p50Ms.toFixed(1)} ms, p95 ${b.p95Ms.toFixed(1)} ms, max ${b.maxMs.toFixed(1)} ms; ${b.longTasks} long tasks (> 50 ms).`,
      '',
    );
  }
  if (report.memory) {
    const m = report.memory;
    lines.push(
      `**Memory**: the engine holding ${int(m.openSensorWindows)} open sensor-windows (${int(m.sensors)} sensors × 5 windows, fresh process): ${int(m.bytesPerOpenSensorWindow)} bytes of RSS each.`,
      '',
    );
  }
  return lines.join('\n');
}

/** Prints the report (and writes BENCHMARKS.md when asked); false when any window check failed. */
export function writeReport(report: BenchReport, options: { write: boolean; log: (m: string) => void }): boolean {
  const markdown = renderMarkdown(report);
  console.log(`\n${markdown}`);
  if (options.write) {
    const file = path.join(ROOT, 'BENCHMARKS.md');
    const text = existsSync(file) ? readFileSync(file, 'utf8') : `# Benchmarks\n\n${BEGIN}\n${END}\n`;
    const begin = text.indexOf(BEGIN);
    const end = text.indexOf(END);
    if (begin < 0 || end < begin) throw new Error(`BENCHMARKS.md has no ${BEGIN} … ${END} section to replace`);
    writeFileSync(file, `${text.slice(0, begin + BEGIN.length)}\n${markdown}\n${text.slice(end)}`);
    options.log('wrote the results into BENCHMARKS.md');
  }
  const windowsExact = report.throughput.every((t) => t.engines.every((e) => e.windows.ok));
  const windowpaneRan = report.throughput.every((t) => t.engines.some((e) => e.engine.startsWith('windowpane')));
  const clientsExact =
    !report.clients || (report.clients.clientsExact === report.clients.clients && report.clients.connectErrors === 0);
  return windowsExact && windowpaneRan && (report.latency?.missed ?? 0) === 0 && clientsExact;
}
