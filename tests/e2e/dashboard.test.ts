/**
 * End to end: the real app process (simulator → Kafka → worker → output topic → web → socket.io)
 * driven through the dashboard in headless Chromium. Keeps a screenshot in test-artifacts/.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createRequire } from 'node:module';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WindowResultRecord } from '../../lib/contract';
import { windowsToCsv } from '../../lib/export/windowsCsv';
import { readingDecoder } from '../../lib/input/readingDecoder';
import { CHROMIUM_ARGS, requireBrowser } from '../../scripts/browser';
import { isolatedConfig, readAll, testKafka, waitFor } from '../support/kafka';
import { waitForExact } from '../support/pipeline';

const ROOT = path.resolve(__dirname, '../..');
const ARTIFACTS = path.join(ROOT, 'test-artifacts');
const config = isolatedConfig();
let app: ChildProcess;
let url: string;
let browser: Browser;
let page: Page;

/** The whole app (simulator, worker, web) as `npm start` runs it, on a free port. */
async function launchApp(): Promise<{ proc: ChildProcess; url: string }> {
  const proc = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
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
      REDRIVE_TOPIC: config.redriveTopic,
      ALERT_RULES_TOPIC: config.alertRulesTopic,
      WINDOW_SECONDS: '1',
      ALLOWED_LATENESS_SECONDS: '1',
      SIMULATOR_SENSORS: '5',
      SIMULATOR_RATE: '4',
      // The alert test's webhook receiver listens on loopback, which webhooks may call only when allowed.
      ALERT_WEBHOOK_ALLOW: '127.0.0.1',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  proc.stderr!.resume();
  const started = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('app did not start within 120 s')), 120_000);
    proc.once('exit', (code) => reject(new Error(`app exited with ${code}`)));
    proc.stdout!.on('data', (chunk: Buffer) => {
      const match = /windowpane is running: (\S+)/.exec(chunk.toString());
      if (match) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    });
  });
  return { proc, url: started };
}

async function stopApp(): Promise<void> {
  if (app && app.exitCode === null) {
    app.kill('SIGTERM');
    await new Promise((r) => app.once('exit', r));
  }
}

beforeAll(async () => {
  // CHROMIUM_PATH from `npm test`, which installs one when needed; run on its own, whatever is found.
  const executablePath = requireBrowser();
  ({ proc: app, url } = await launchApp());
  browser = await chromium.launch({ executablePath, args: [...CHROMIUM_ARGS] });
  page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
  await watchCsp(page);
});

afterAll(async () => {
  await browser?.close();
  await stopApp();
});

/** Every Content-Security-Policy violation any page reported (the policy must let the app work). */
const cspViolations: string[] = [];

async function watchCsp(p: Page): Promise<void> {
  // Injected by the browser driver, not the page, so the policy does not apply to it.
  await p.addInitScript(() =>
    document.addEventListener('securitypolicyviolation', (e) =>
      console.error(`CSP violation: ${e.violatedDirective} blocked ${e.blockedURI || 'inline'}`),
    ),
  );
  p.on('console', (message) => {
    if (message.type() === 'error' && /Content.Security.Policy|CSP violation/i.test(message.text())) {
      cspViolations.push(message.text());
    }
  });
}

/** A confirm dialog (components/shared/ConfirmDialog.tsx) asks before a destructive action: confirm it. */
async function confirmIt(): Promise<void> {
  await page.getByTestId('confirm-button').click();
  await expect.poll(() => page.getByTestId('confirm-dialog').isVisible()).toBe(false);
}

const text = (testId: string) => page.getByTestId(testId).innerText();
const api = async <T>(p: string, init?: RequestInit) => (await (await fetch(url + p, init)).json()) as T;

/** axe-core with the WCAG 2.0/2.1/2.2 A and AA rules: no serious or critical violation. */
async function checkAxe(p: Page, label: string): Promise<void> {
  await p.addScriptTag({ path: createRequire(__filename).resolve('axe-core/axe.min.js') });
  const result = await p.evaluate(async () => {
    const axe = (
      window as unknown as {
        axe: {
          run(
            ctx: Document,
            o: object,
          ): Promise<{ violations: { id: string; impact: string; nodes: { target: string[] }[] }[] }>;
        };
      }
    ).axe;
    return axe.run(document, {
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'] },
    });
  });
  const serious = result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map(
      (v) =>
        `${label}: ${v.id} at ${v.nodes
          .slice(0, 3)
          .map((n) => n.target.join(' '))
          .join(', ')}`,
    );
  expect(serious).toEqual([]);
}

describe('dashboard', () => {
  it('shows live windows pushed over socket.io', async () => {
    await page.goto(url);
    await expect.poll(() => text('socket-status'), { timeout: 30_000 }).toBe('connected');
    await expect.poll(async () => Number(await text('window-count')), { timeout: 60_000 }).toBeGreaterThan(5);
    await expect
      .poll(() => page.locator('[data-testid="line-chart"] .recharts-line-curve').count(), { timeout: 30_000 })
      .toBeGreaterThan(0);
    await expect
      .poll(() => page.locator('[data-testid="bar-chart"] .recharts-bar-rectangle').count(), { timeout: 30_000 })
      .toBeGreaterThan(0);
    const firstEnd = Number(await page.getByTestId('latest-window-end').getAttribute('data-epoch-ms'));
    await expect
      .poll(async () => Number(await page.getByTestId('latest-window-end').getAttribute('data-epoch-ms')), {
        timeout: 30_000,
      })
      .toBeGreaterThan(firstEnd);
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
    await expect
      .poll(() => page.locator('[data-testid="line-chart"] .recharts-line-curve').count(), { timeout: 30_000 })
      .toBeGreaterThan(0);
    const windows = await api<WindowResultRecord[]>('/api/windows?limit=200');
    expect(windows.length).toBeGreaterThan(0);
    for (const w of windows) {
      expect(w.min).toBeLessThanOrEqual(w.mean);
      expect(w.mean).toBeLessThanOrEqual(w.max);
      expect(w.mean).toBeCloseTo(w.sum / w.count, 10);
    }
    await page.getByTestId('metric-select').selectOption('sum');
  });

  it('shows the range asked for in the URL, and its CSV export equals the API', async () => {
    // A fixed range in the past of this run: the windows that started between 12 s and 4 s ago.
    const to = Math.floor(Date.now() / 1_000) * 1_000 - 4_000;
    const from = to - 8_000;
    await page.goto(`${url}/?from=${from}&to=${to}`);
    await expect.poll(() => text('view-state'), { timeout: 15_000 }).toBe('fixed range');
    const { windows } = await api<{ windows: WindowResultRecord[] }>(`/api/windows?from=${from}&to=${to}&limit=10000`);
    expect(windows.length).toBeGreaterThan(0);
    await page.getByTestId('chart-as-table').click();
    const rowTimes = async () =>
      (
        await page
          .getByTestId('line-chart')
          .locator('tbody tr')
          .evaluateAll((rows) => rows.map((r) => Number(r.getAttribute('data-t'))))
      ).sort((a, b) => a - b);
    const ends = [...new Set(windows.map((w) => w.windowEnd))].sort((a, b) => a - b);
    await expect.poll(rowTimes, { timeout: 15_000 }).toEqual(expect.arrayContaining(ends));
    for (const t of await rowTimes()) expect(t).toBeGreaterThan(from);
    expect(Math.max(...(await rowTimes()))).toBe(Math.max(...ends));
    await page.getByTestId('chart-as-table').click();

    const download = page.waitForEvent('download');
    await page.getByTestId('export-csv').click();
    const csv = readFileSync((await (await download).path())!, 'utf8');
    expect(csv).toBe(windowsToCsv(windows));
    expect(csv.trim().split('\r\n')).toHaveLength(windows.length + 1);
  });

  it('pauses, counts what arrives meanwhile, and goes back to live', async () => {
    await page.goto(url);
    await expect.poll(() => text('liveness'), { timeout: 30_000 }).toBe('live');
    await page.getByTestId('pause').click();
    expect(await text('view-state')).toMatch(/^paused/);
    expect(await text('liveness')).toBe('paused');
    const drawnUpTo = () =>
      page
        .locator('[data-testid="line-chart"] .recharts-xAxis .recharts-cartesian-axis-tick-value')
        .last()
        .textContent();
    const frozenAt = await drawnUpTo();
    await expect
      .poll(async () => Number(/([\d,]+) new/.exec(await text('view-state'))?.[1].replace(/,/g, '') ?? 0), {
        timeout: 30_000,
      })
      .toBeGreaterThan(5);
    expect(await drawnUpTo()).toBe(frozenAt);
    await page.getByTestId('back-to-live').click();
    expect(await text('view-state')).toBe('following live');
    await expect.poll(() => text('liveness'), { timeout: 10_000 }).toBe('live');
  });

  it('keeps metric, sensors and range in the URL, so a reload opens the same view', async () => {
    await page.goto(url);
    await page.getByTestId('metric-select').selectOption('mean');
    await page.getByRole('radio', { name: '15 min' }).check();
    const first = page.getByTestId('sensor-table').locator('tbody tr').first();
    await expect.poll(() => first.getAttribute('data-sensor-id'), { timeout: 30_000 }).not.toBeNull();
    const sensorId = (await first.getAttribute('data-sensor-id'))!;
    await first.locator('input[type=checkbox]').check();
    const params = new URL(page.url()).searchParams;
    expect({ metric: params.get('metric'), range: params.get('range'), sensors: params.getAll('sensor') }).toEqual({
      metric: 'mean',
      range: '15m',
      sensors: [sensorId],
    });
    await page.reload();
    await expect.poll(() => page.getByTestId('metric-select').inputValue()).toBe('mean');
    expect(await page.getByRole('radio', { name: '15 min' }).isChecked()).toBe(true);
    expect(await page.getByTestId('line-chart').locator('h2').innerText()).toBe('Mean per window');
    await expect
      .poll(() => page.locator(`[data-sensor-id="${sensorId}"] input[type=checkbox]`).isChecked(), { timeout: 30_000 })
      .toBe(true);
    await page.goto(url);
  });

  it('passes axe (WCAG 2.2 A and AA) in both themes on a desktop and on a phone, and fits the phone', async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    for (const scheme of ['dark', 'light'] as const) {
      const context = await browser.newContext({ viewport: { width: 1440, height: 900 }, colorScheme: scheme });
      const p = await context.newPage();
      await watchCsp(p);
      await p.goto(url);
      await expect
        .poll(() => p.locator('[data-testid="line-chart"] .recharts-line-curve').count(), { timeout: 30_000 })
        .toBeGreaterThan(0);
      await checkAxe(p, `desktop ${scheme}`);
      await p.screenshot({ path: path.join(ARTIFACTS, `dashboard-${scheme}.png`) });
      if (scheme === 'dark') {
        // Keyboard: the window-size control within 15 Tab presses of the top of the page.
        let presses = 0;
        while (
          presses < 15 &&
          (await p.evaluate(() => document.activeElement?.getAttribute('data-testid'))) !== 'window-size-select'
        ) {
          await p.keyboard.press('Tab');
          presses++;
        }
        expect(await p.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('window-size-select');
      }
      await context.close();
    }
    const phone = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
    const p = await phone.newPage();
    await p.goto(url);
    await expect
      .poll(() => p.locator('[data-testid="line-chart"] .recharts-line-curve').count(), { timeout: 30_000 })
      .toBeGreaterThan(0);
    await checkAxe(p, 'phone');
    expect(await p.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await p.getByRole('radio', { name: 'Custom' }).check(); // its date-time inputs fit too
    expect(await p.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    // The controls are reached without scrolling past the charts: their drawer comes first.
    const drawer = await p.locator('.controls-drawer summary').boundingBox();
    const chart = await p.getByTestId('line-chart').boundingBox();
    expect(drawer!.y).toBeLessThan(chart!.y);
    await p.screenshot({ path: path.join(ARTIFACTS, 'dashboard-phone.png') });
    await p.goto(`${url}/operations`);
    await expect.poll(() => p.getByTestId('input-partitions').count(), { timeout: 30_000 }).toBe(1);
    await checkAxe(p, 'operations on a phone');
    expect(await p.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await phone.close();
  });

  it('changes the window size from the UI and the new windows arrive', async () => {
    expect(await text('config-window-seconds')).toBe('1');
    // A local day in a time zone that does not exist: refused, named, and nothing changes.
    await page.getByTestId('window-size-select').selectOption('day');
    await page.getByTestId('window-time-zone').fill('Mars/Olympus');
    await page.getByTestId('apply-config').click();
    await confirmIt();
    await expect.poll(() => text('config-error'), { timeout: 15_000 }).toContain('IANA time zone');
    expect(await text('config-pending')).not.toContain('day');
    await page.getByTestId('window-size-select').selectOption('5');
    await page.getByTestId('apply-config').click();
    await confirmIt();
    await expect.poll(() => text('config-pending'), { timeout: 15_000 }).toContain('5');
    await expect.poll(() => text('config-window-seconds'), { timeout: 60_000 }).toBe('5');
    const fiveSecond = await waitFor(
      'a 5 s window',
      async () => {
        const windows = await api<WindowResultRecord[]>('/api/windows?limit=200');
        return windows.find((w) => w.windowEnd - w.windowStart === 5_000);
      },
      60_000,
    );
    expect(fiveSecond.windowStart % 5_000).toBe(0);
  });

  it('fires an alert rule made in the panel: the alert is listed, the sensor marked, and its webhook called', async () => {
    const received: unknown[] = [];
    const hook = createServer((req, res) => {
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', () => {
        received.push(JSON.parse(body));
        res.end();
      });
    });
    await new Promise<void>((r) => hook.listen(0, '127.0.0.1', () => r()));
    try {
      await page.goto(url);
      const panel = page.getByTestId('alerts-panel');
      await panel.getByTestId('alert-rule-name').fill('busy sensor 1');
      await panel.getByTestId('alert-rule-sensor').fill('1');
      await panel.getByTestId('alert-rule-metric').selectOption('count');
      await panel.getByTestId('alert-rule-op').selectOption('>=');
      await panel.getByTestId('alert-rule-threshold').fill('1');
      await panel.getByTestId('alert-rule-for').fill('2');
      await panel
        .getByTestId('alert-rule-webhook')
        .fill(`http://127.0.0.1:${(hook.address() as AddressInfo).port}/hook`);
      await panel.getByTestId('alert-rule-add').click();
      await expect
        .poll(() => panel.getByTestId('alert-events').innerText(), { timeout: 60_000 })
        .toContain('busy sensor 1');
      await expect
        .poll(() => page.locator('[data-sensor-id="1"] [data-testid="alerting-badge"]').count(), { timeout: 30_000 })
        .toBe(1);
      // …and on the chart: a marker on sensor 1's line where the alert fired.
      await expect
        .poll(() => page.locator('[data-testid="line-chart"] .recharts-reference-dot').count(), { timeout: 30_000 })
        .toBeGreaterThan(0);
      await expect.poll(() => received.length, { timeout: 30_000 }).toBeGreaterThan(0);
      expect(received[0]).toMatchObject({ kind: 'alert', sensorId: '1', ruleName: 'busy sensor 1' });
      const { events } = await api<{ events: { id: string }[] }>('/api/alerts?limit=500');
      expect(events.map((e) => e.id)).toContain((received[0] as { id: string }).id);
    } finally {
      hook.close();
    }
  });

  it('re-windows a past range at another size, equal to a recomputation from the input topic', async () => {
    await page.goto(url);
    const panel = page.getByTestId('rewindow-panel');
    const sensorId = '1';
    await expect.poll(() => panel.locator('select option').allInnerTexts(), { timeout: 30_000 }).toContain(sensorId);
    // Whole 2 s windows of the last 20 s, ending 4 s ago: all their readings are in the topic.
    const to = Math.floor((Date.now() - 4_000) / 2_000) * 2_000;
    const from = to - 20_000;
    // As Chromium writes a datetime-local value back: without ':00' when the seconds are zero.
    const local = (ms: number) =>
      new Date(ms - new Date(ms).getTimezoneOffset() * 60_000).toISOString().slice(0, 19).replace(/:00$/, '');
    await panel.getByLabel('From').fill(local(from));
    await panel.getByLabel('To').fill(local(to));
    await panel.getByLabel('Window size (s)').fill('2');
    await panel
      .getByRole('combobox', { name: /^Sensor/ })
      .first()
      .selectOption(sensorId);
    await panel.getByRole('button', { name: 'Recompute' }).click();
    const table = panel.getByRole('region', { name: 'Recomputed, 2 s windows' });
    await expect.poll(() => table.locator('tbody tr').count(), { timeout: 60_000 }).toBeGreaterThan(0);
    const shown = await table
      .locator('tbody tr')
      .evaluateAll((rows) => rows.map((r) => Number(r.children[1].textContent)));

    // The reference: every valid reading of the sensor in [from, to), in 2 s buckets.
    const decode = readingDecoder(
      { idField: 'id', timeField: 'time', valueField: 'value', timeFormat: 'epoch-seconds' },
      { maxFutureMs: 5_000 },
    );
    const counts = new Map<number, number>();
    for (const messages of (await readAll(testKafka(), config.inputTopic)).values()) {
      for (const m of messages) {
        const d = decode({ value: m.value, timestampMs: Number(m.timestamp) }, Number(m.timestamp));
        if (!d.ok || d.reading.sensorId !== sensorId || d.reading.timeMs < from || d.reading.timeMs >= to) continue;
        const start = Math.floor(d.reading.timeMs / 2_000) * 2_000;
        counts.set(start, (counts.get(start) ?? 0) + 1);
      }
    }
    const expected = [...counts.entries()].sort((a, b) => a[0] - b[0]).map(([, n]) => n);
    expect(expected.length).toBeGreaterThan(3);
    expect(shown).toEqual(expected);
  });

  it('shows the windows from before a restart of the web server', async () => {
    const restartedAt = Date.now();
    await stopApp();
    ({ proc: app, url } = await launchApp());
    await page.goto(url);
    await page.getByTestId('chart-as-table').click();
    const rowTimes = () =>
      page
        .getByTestId('line-chart')
        .locator('tbody tr')
        .evaluateAll((rows) => rows.map((r) => Number(r.getAttribute('data-t'))));
    // The new process starts its history from the output topic: windows well before the restart are drawn.
    await expect
      .poll(async () => Math.min(...(await rowTimes())), { timeout: 30_000 })
      .toBeLessThan(restartedAt - 20_000);
    await page.getByTestId('chart-as-table').click();
  });

  it('shows a poison record on the operations page, and a fixed redrive goes back through the worker', async () => {
    const sensorId = `poison-${Date.now()}`;
    const producer = testKafka().producer();
    await producer.connect();
    await producer.send({
      topic: config.inputTopic,
      messages: [{ value: JSON.stringify({ id: sensorId, time: 'not a time', value: 1 }) }],
    });
    await producer.disconnect();
    await page.goto(`${url}/operations`);
    const row = page.getByTestId('dead-letters-table').locator('tbody tr', { hasText: sensorId });
    await expect.poll(() => row.count(), { timeout: 30_000 }).toBe(1);
    await row.locator('input[type=checkbox]').check();
    await page.getByTestId('replace-toggle').check();
    // A few seconds ahead (MAX_FUTURE_SECONDS allows 5): the redrive itself takes a moment, and the
    // reading must still be on time when the worker reads it back.
    await page
      .getByTestId('replacement-input')
      .fill(JSON.stringify({ id: sensorId, time: Date.now() / 1_000 + 4, value: 42.5 }));
    await page.getByTestId('redrive-button').click();
    await confirmIt();
    await expect
      .poll(() => page.getByTestId('redrive-outcome').innerText(), { timeout: 60_000 })
      .toContain('1 record was sent back to the input topic');
    const fixed = await waitFor(
      'the redriven reading in a window',
      async () => (await api<WindowResultRecord[]>(`/api/windows?sensorId=${sensorId}`))[0],
      60_000,
    );
    expect(fixed).toMatchObject({ count: 1, sum: 42.5 });
    await expect.poll(() => row.innerText(), { timeout: 15_000 }).not.toMatch(/\bno\s*$/);
    await checkAxe(page, 'operations');
  });

  it('shows a 900 000-byte dead letter by its first line, the rest on request, and downloads all of it', async () => {
    const marker = `huge-${Date.now()}`;
    // Not JSON (no closing brace); its first line is the marker, then 900 000 bytes in all.
    const value = `${marker}\n{"note": "${'y'.repeat(900_000 - marker.length - 12)}"`;
    const producer = testKafka().producer();
    await producer.connect();
    await producer.send({ topic: config.inputTopic, messages: [{ value }] });
    await producer.disconnect();
    await page.goto(`${url}/operations`);
    const row = page.getByTestId('dead-letters-table').locator('tbody tr', { hasText: marker });
    await expect.poll(() => row.count(), { timeout: 30_000 }).toBe(1);
    const cell = row.locator('td.ops-bytes-cell').last();
    expect((await cell.locator('code').innerText()).trim()).toBe(`${marker}…`);
    // One line and its controls, not 8 KiB of wrapped text (about 4 000 px before).
    expect((await row.boundingBox())!.height).toBeLessThan(200);
    await cell.getByText('Show all').click();
    expect((await cell.locator('pre').innerText()).length).toBeGreaterThan(8_000);
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      cell.getByRole('button', { name: /Download all 900.000 bytes/ }).click(),
    ]);
    expect(readFileSync((await download.path())!, 'utf8')).toBe(value);
    await checkAxe(page, 'operations with a large dead letter');
  });

  it('stops the simulation from the UI, and every window matches the input topic', async () => {
    await page.goto(url);
    await page.getByTestId('simulator-stop').click();
    // Cancel first (Escape): nothing stops; then confirm.
    await expect.poll(() => page.getByTestId('confirm-dialog').isVisible()).toBe(true);
    await page.keyboard.press('Escape');
    await expect.poll(() => page.getByTestId('confirm-dialog').isVisible()).toBe(false);
    expect((await api<{ running: boolean }>('/api/simulator')).running).toBe(true);
    await page.getByTestId('simulator-stop').click();
    await confirmIt();
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

  it('sends the security headers on pages and API answers, and no page broke its Content-Security-Policy', async () => {
    for (const path of ['/', '/operations', '/api/config', '/healthz']) {
      const res = await fetch(url + path);
      expect(res.headers.get('content-security-policy'), path).toContain("frame-ancestors 'none'");
      expect(res.headers.get('x-content-type-options'), path).toBe('nosniff');
      expect(res.headers.get('x-frame-options'), path).toBe('DENY');
      expect(res.headers.get('referrer-policy'), path).toBe('strict-origin-when-cross-origin');
    }
    expect(cspViolations).toEqual([]);
  });
});
