/**
 * Dashboard frame times in headless Chromium during live updates: windowpane with 1 000 simulated
 * sensors (all in the table), 100 of them charted over the last hour (an hour of their readings is
 * written before the simulator starts, so the chart has 3 600 windows per line to draw), and
 * requestAnimationFrame deltas recorded in the page for the measured seconds, with the long tasks
 * the browser reports. Chromium runs without its frame-rate limit, so a delta is the time the
 * frame took, not the 16.7 ms of a 60 Hz display.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import { chromium, type Browser } from 'playwright-core';
import { percentile } from '../lib/stats/latency';
import { CHROMIUM_ARGS } from '../scripts/browser';
import { appEnv, startApp } from './windowpaneApp';

export interface BrowserResult {
  historyMinutes: number;
  sensorsCharted: number;
  sensorsInTable: number;
  frames: number;
  p50Ms: number;
  p95Ms: number;
  maxMs: number;
  longTasks: number;
}

/** One reading a second for sensors 1..`sensors` over the last `minutes`, unkeyed, oldest first. */
async function writeHistory(brokers: string, topic: string, sensors: number, minutes: number): Promise<number> {
  const kafka = new Kafka({ clientId: 'bench-browser', brokers: brokers.split(','), logLevel: logLevel.NOTHING });
  const producer = kafka.producer();
  await producer.connect();
  const end = Math.floor(Date.now() / 1000) - 5;
  let written = 0;
  try {
    let batch: { value: string }[] = [];
    for (let t = end - minutes * 60; t < end; t++) {
      for (let id = 1; id <= sensors; id++)
        batch.push({ value: JSON.stringify({ id, time: t + 0.5, value: (id * 7 + t) % 100 }) });
      if (batch.length >= 20_000) {
        await producer.send({ topic, messages: batch });
        written += batch.length;
        batch = [];
      }
    }
    await producer.send({ topic, messages: batch });
    written += batch.length;
  } finally {
    await producer.disconnect();
  }
  return written;
}

async function readingsTotal(url: string): Promise<number> {
  const response = await fetch(`${url}/api/stats`).catch(() => null);
  if (!response?.ok) return 0;
  return ((await response.json()) as { readingsTotal?: number }).readingsTotal ?? 0;
}

export async function measureBrowser(
  brokers: string,
  options: {
    sensors: number;
    charted: number;
    seconds: number;
    historyMinutes: number;
    tag: string;
    log: (m: string) => void;
    chromiumPath: string;
  },
): Promise<BrowserResult> {
  const { sensors, charted, seconds, historyMinutes, tag, log, chromiumPath } = options;
  log(
    `browser: dashboard with ${sensors} sensors, ${charted} charted over ${historyMinutes} min, ${seconds} s of live updates`,
  );
  const env = appEnv(brokers, `${tag}-browser`, { SIMULATOR_SENSORS: String(sensors), SIMULATOR_RATE: '1' });
  // The web server first (it creates the topics), then the hour of readings, then the worker and
  // the simulator: a worker already running would have moved its idle partitions' watermarks on
  // with the clock, and an hour-old reading would be late.
  const app = await startApp({ ...env, ROLES: 'web' }, 'browser-web.log');
  let pipeline: Awaited<ReturnType<typeof startApp>> | undefined;
  let browser: Browser | undefined;
  try {
    const written = await writeHistory(brokers, env.INPUT_TOPIC!, charted, historyMinutes);
    log(`  wrote ${written.toLocaleString('en')} readings of the last ${historyMinutes} min for the charted sensors`);
    pipeline = await startApp({ ...env, ROLES: 'worker,simulator' }, 'browser-worker.log', { waitForUrl: false });
    // The page reads its range once when it opens: the hour must be windowed by then.
    for (let waited = 0; (await readingsTotal(app.url)) < written; waited += 500) {
      if (waited > 300_000) throw new Error('the worker did not window the written readings within 5 min');
      await new Promise((r) => setTimeout(r, 500));
    }
    // Inside the try: a browser that does not launch must not leave the app running.
    browser = await chromium.launch({
      executablePath: chromiumPath,
      args: [...CHROMIUM_ARGS, '--disable-frame-rate-limit', '--disable-gpu-vsync'],
    });
    const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
    const query = Array.from({ length: charted }, (_, i) => `sensor=${i + 1}`).join('&');
    await page.goto(`${app.url}/?range=${historyMinutes === 60 ? '1h' : '15m'}&${query}`);
    // Every line drawn (the table lists the charted sensors: a selection narrows the whole page).
    const seen = () =>
      page.evaluate<[number, string]>(
        `[document.querySelectorAll('[data-testid="line-chart"] .recharts-line-curve').length, document.querySelector('[data-testid="sensor-table"]')?.textContent?.slice(0, 120)]`,
      );
    try {
      await page.waitForFunction(
        (n) => document.querySelectorAll('[data-testid="line-chart"] .recharts-line-curve').length >= n,
        charted,
        { timeout: 120_000 },
      );
    } catch (error) {
      throw new Error(
        `the dashboard did not show ${charted} lines (it shows ${JSON.stringify(await seen())}): ${(error as Error).message}`,
        {
          cause: error,
        },
      );
    }
    await page.waitForTimeout(3_000);
    // `npm run bench -- --profile`: a CPU profile of the page while frames are measured.
    const profiler = process.env.BENCH_PROFILE_DIR ? await page.context().newCDPSession(page) : null;
    if (profiler) {
      await profiler.send('Profiler.enable');
      await profiler.send('Profiler.start');
    }
    // A string, not a function: tsx's transpiled functions reference helpers the page does not have.
    const frames = (await page.evaluate(`(async (ms) => {
      const deltas = [];
      let longTasks = 0;
      const observer = new PerformanceObserver((list) => { longTasks += list.getEntries().length; });
      observer.observe({ type: 'longtask', buffered: false });
      await new Promise((resolve) => {
        let last = performance.now();
        const end = last + ms;
        const frame = (t) => {
          deltas.push(t - last);
          last = t;
          if (t < end) requestAnimationFrame(frame);
          else resolve();
        };
        requestAnimationFrame(frame);
      });
      observer.disconnect();
      return { deltas, longTasks };
    })(${seconds * 1000})`)) as { deltas: number[]; longTasks: number };
    if (profiler) {
      const { profile } = await profiler.send('Profiler.stop');
      mkdirSync(process.env.BENCH_PROFILE_DIR!, { recursive: true });
      const file = path.join(process.env.BENCH_PROFILE_DIR!, `dashboard-${Date.now()}.cpuprofile`);
      writeFileSync(file, JSON.stringify(profile));
      log(`  page profile: ${file}`);
    }
    const charts = await page.locator('[data-testid="line-chart"] .recharts-line-curve').count();
    const result: BrowserResult = {
      historyMinutes,
      sensorsCharted: charts,
      sensorsInTable: Number(/(\d+) sensors/.exec(String((await seen())[1]))?.[1] ?? NaN),
      frames: frames.deltas.length,
      p50Ms: percentile(frames.deltas, 50) ?? NaN,
      p95Ms: percentile(frames.deltas, 95) ?? NaN,
      maxMs: frames.deltas.reduce((a, b) => Math.max(a, b), 0),
      longTasks: frames.longTasks,
    };
    log(
      `  ${result.frames} frames with ${charts} lines: p50 ${result.p50Ms.toFixed(1)} ms, p95 ${result.p95Ms.toFixed(1)} ms, max ${result.maxMs.toFixed(1)} ms`,
    );
    return result;
  } finally {
    await browser?.close().catch(() => undefined);
    await pipeline?.stop();
    await app.stop();
  }
}
