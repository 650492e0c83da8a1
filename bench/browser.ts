/**
 * Dashboard frame times in headless Chromium during live updates: windowpane with 1 000 simulated
 * sensors (all in the table), 100 of them ticked for the line chart, and requestAnimationFrame
 * deltas recorded in the page for the measured seconds, with the long tasks the browser reports.
 */
import { chromium, type Browser } from 'playwright-core';
import { percentile } from '../lib/stats/latency';
import { CHROMIUM_ARGS } from '../scripts/browser';
import { appEnv, startApp } from './windowpaneApp';

export interface BrowserResult {
  sensorsCharted: number;
  sensorsInTable: number;
  frames: number;
  p50Ms: number;
  p95Ms: number;
  maxMs: number;
  longTasks: number;
}

export async function measureBrowser(
  brokers: string,
  options: { sensors: number; charted: number; seconds: number; tag: string; log: (m: string) => void; chromiumPath: string },
): Promise<BrowserResult> {
  const { sensors, charted, seconds, tag, log, chromiumPath } = options;
  log(`browser: dashboard with ${sensors} sensors, ${charted} charted, ${seconds} s of live updates`);
  const app = await startApp(appEnv(brokers, `${tag}-browser`, { SIMULATOR_SENSORS: String(sensors), SIMULATOR_RATE: '1' }), 'browser-windowpane.log');
  let browser: Browser | undefined;
  try {
    // Inside the try: a browser that does not launch must not leave the app running.
    browser = await chromium.launch({ executablePath: chromiumPath, args: [...CHROMIUM_ARGS] });
    const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
    await page.goto(app.url);
    const table = page.getByTestId('sensor-table');
    // Every sensor in the table (the page counts them in its header).
    await page.waitForFunction((n) => document.querySelector('[data-testid="sensor-table"]')?.textContent?.includes(`${n} sensors`) ?? false, sensors, { timeout: 120_000 });
    // Sorted by sensor id, rows stay put while the values update; tick the first `charted` of them.
    const sortBySensor = table.getByRole('button', { name: /^Sensor/ });
    await sortBySensor.click();
    let ticked = 0;
    for (let scrolls = 0; ticked < charted; scrolls++) {
      if (scrolls > 10_000) throw new Error(`only ${ticked} of ${charted} sensors could be ticked`);
      // The rows in view, in one go (rows re-layout on every update, so no per-click waiting); the
      // table is virtualised, so the next ones come into the page as it scrolls.
      const clicked = (await page.evaluate(`(() => {
        const boxes = [...document.querySelectorAll('[data-testid="sensor-table"] tbody input[type="checkbox"]:not(:checked)')].slice(0, ${charted - ticked});
        for (const box of boxes) box.click();
        const scroller = document.querySelector('[data-testid="sensor-table"] .sensor-scroll');
        if (scroller) scroller.scrollTop += scroller.clientHeight;
        return boxes.length;
      })()`)) as number;
      ticked += clicked;
      await page.waitForTimeout(50);
    }
    await page.waitForFunction((n) => document.querySelector('[data-testid="sensor-table"]')?.textContent?.includes(`${n} selected`) ?? false, charted, { timeout: 30_000 });
    await page.waitForTimeout(3_000);
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
    const charts = await page.locator('[data-testid="line-chart"] .recharts-line-curve').count();
    const result: BrowserResult = {
      sensorsCharted: charts,
      sensorsInTable: sensors,
      frames: frames.deltas.length,
      p50Ms: percentile(frames.deltas, 50) ?? NaN,
      p95Ms: percentile(frames.deltas, 95) ?? NaN,
      maxMs: frames.deltas.reduce((a, b) => Math.max(a, b), 0),
      longTasks: frames.longTasks,
    };
    log(`  ${result.frames} frames with ${charts} lines: p50 ${result.p50Ms.toFixed(1)} ms, p95 ${result.p95Ms.toFixed(1)} ms, max ${result.maxMs.toFixed(1)} ms`);
    return result;
  } finally {
    await browser?.close().catch(() => undefined);
    await app.stop();
  }
}
