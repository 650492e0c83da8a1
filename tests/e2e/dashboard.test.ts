/**
 * End to end: the real app process (simulator → Kafka → worker → output topic → web → socket.io)
 * driven through the dashboard in headless Chromium. Keeps a screenshot in test-artifacts/.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WindowResultRecord } from '../../lib/contract';
import { CHROMIUM_ARGS, requireBrowser } from '../../scripts/browser';
import { isolatedConfig, testKafka, waitFor } from '../support/kafka';
import { waitForExact } from '../support/pipeline';

const ROOT = path.resolve(__dirname, '../..');
const ARTIFACTS = path.join(ROOT, 'test-artifacts');
const config = isolatedConfig();
let app: ChildProcess;
let url: string;
let browser: Browser;
let page: Page;

beforeAll(async () => {
  // CHROMIUM_PATH from `npm test`, which installs one when needed; run on its own, whatever is found.
  const executablePath = requireBrowser();
  app = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
    cwd: ROOT,
    env: {
      ...process.env,
      PORT: '0',
      INPUT_TOPIC: config.inputTopic,
      OUTPUT_TOPIC: config.outputTopic,
      CONFIG_TOPIC: config.configTopic,
      DLQ_TOPIC: config.dlqTopic,
      LATE_TOPIC: config.lateTopic,
      WORKER_GROUP_ID: config.workerGroupId,
      PARTIALS_TOPIC: config.partialsTopic,
      WINDOW_SECONDS: '1',
      ALLOWED_LATENESS_SECONDS: '1',
      SIMULATOR_SENSORS: '5',
      SIMULATOR_RATE: '4',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  app.stderr!.resume();
  url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('app did not start within 120 s')), 120_000);
    app.once('exit', (code) => reject(new Error(`app exited with ${code}`)));
    app.stdout!.on('data', (chunk: Buffer) => {
      const match = /windowpane is running: (\S+)/.exec(chunk.toString());
      if (match) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    });
  });
  browser = await chromium.launch({ executablePath, args: [...CHROMIUM_ARGS] });
  page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
});

afterAll(async () => {
  await browser?.close();
  if (app && app.exitCode === null) {
    app.kill('SIGTERM');
    await new Promise((r) => app.once('exit', r));
  }
});

const text = (testId: string) => page.getByTestId(testId).innerText();
const api = async <T>(p: string, init?: RequestInit) => (await (await fetch(url + p, init)).json()) as T;

describe('dashboard', () => {
  it('shows live windows pushed over socket.io', async () => {
    await page.goto(url);
    await expect.poll(() => text('socket-status'), { timeout: 30_000 }).toBe('connected');
    await expect.poll(async () => Number(await text('window-count')), { timeout: 60_000 }).toBeGreaterThan(5);
    await expect.poll(() => page.locator('[data-testid="line-chart"] .recharts-line-curve').count(), { timeout: 30_000 }).toBeGreaterThan(0);
    await expect.poll(() => page.locator('[data-testid="bar-chart"] .recharts-bar-rectangle').count(), { timeout: 30_000 }).toBeGreaterThan(0);
    const firstEnd = Number(await text('latest-window-end'));
    await expect.poll(async () => Number(await text('latest-window-end')), { timeout: 30_000 }).toBeGreaterThan(firstEnd);
    expect(await page.getByTestId('sensor-table').locator('tbody tr').count()).toBe(5);
    // Close → here, measured on the page from each live window's close time.
    await expect.poll(() => text('delivery-latency'), { timeout: 30_000 }).toMatch(/^[\d,]+ \/ [\d,]+ ms$/);
    expect(await text('worker-count')).toBe('1');
  });

  it('charts the aggregate the user picks, sum by default', async () => {
    const heading = () => page.getByTestId('line-chart').locator('h2').innerText();
    expect(await heading()).toBe('Sum per window');
    await page.getByTestId('metric-select').selectOption('mean');
    expect(await heading()).toBe('Mean per window');
    await expect.poll(() => page.locator('[data-testid="line-chart"] .recharts-line-curve').count(), { timeout: 30_000 }).toBeGreaterThan(0);
    const windows = await api<WindowResultRecord[]>('/api/windows?limit=200');
    expect(windows.length).toBeGreaterThan(0);
    for (const w of windows) {
      expect(w.min).toBeLessThanOrEqual(w.mean);
      expect(w.mean).toBeLessThanOrEqual(w.max);
      expect(w.mean).toBeCloseTo(w.sum / w.count, 10);
    }
    await page.getByTestId('metric-select').selectOption('sum');
  });

  it('changes the window size from the UI and the new windows arrive', async () => {
    expect(await text('config-window-seconds')).toBe('1');
    await page.getByTestId('window-size-select').selectOption('5');
    await page.getByTestId('apply-config').click();
    await expect.poll(() => text('config-pending'), { timeout: 15_000 }).toContain('5');
    await expect.poll(() => text('config-window-seconds'), { timeout: 60_000 }).toBe('5');
    const fiveSecond = await waitFor('a 5 s window', async () => {
      const windows = await api<WindowResultRecord[]>('/api/windows?limit=200');
      return windows.find((w) => w.windowEnd - w.windowStart === 5_000);
    }, 60_000);
    expect(fiveSecond.windowStart % 5_000).toBe(0);
  });

  it('stops the simulation from the UI, and every window matches the input topic', async () => {
    await page.getByTestId('simulator-stop').click();
    await expect.poll(() => text('simulator-status'), { timeout: 15_000 }).toBe('stopped');
    expect((await api<{ running: boolean }>('/api/simulator')).running).toBe(false);

    mkdirSync(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: path.join(ARTIFACTS, 'dashboard.png'), fullPage: true });

    await new Promise((r) => setTimeout(r, 1_500)); // a send may still have been in flight
    // Idle advance closes the last windows; then the output must equal the recomputation.
    const report = await waitForExact(testKafka(), config, 60_000);
    expect(report).toMatchObject({ ok: true, missing: 0, duplicated: 0, wrong: 0, unexpected: 0 });
    expect(report.windowsExpected).toBeGreaterThan(10);
  });
});
