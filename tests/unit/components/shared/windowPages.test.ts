/** The paged reader of GET /api/windows, for the dashboard's range and the "what if" panel. */
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { WindowResultRecord } from '@/lib/contract';
import { readWindowPages } from '@/components/shared/windowPages';
import { oneReadingWindow } from '../../../support/windows';

const w = (windowStart: number): WindowResultRecord => oneReadingWindow('s', windowStart);

/** Serves `total` windows in pages of at most `limit`, the cursor being the next index. */
function serve(total: number, failAt?: number) {
  const asked: URLSearchParams[] = [];
  vi.stubGlobal('fetch', async (url: string) => {
    const params = new URL(url, 'http://x').searchParams;
    asked.push(params);
    const start = Number(params.get('after') ?? 0);
    if (start === failAt)
      return new Response(JSON.stringify({ error: 'after: not a cursor of this range' }), { status: 400 });
    const end = Math.min(total, start + Number(params.get('limit')));
    const windows = Array.from({ length: end - start }, (_, i) => w((start + i) * 1_000));
    return new Response(JSON.stringify({ windows, next: end < total ? String(end) : null }));
  });
  return asked;
}

afterEach(() => vi.unstubAllGlobals());

describe('readWindowPages', () => {
  it('reads every page of a range by its cursor', async () => {
    const asked = serve(25_000);
    const read = await readWindowPages({ from: 0, to: 100, sensorId: 's' }, 100_000, new AbortController().signal);
    expect(read.ok && read.data.windows.length).toBe(25_000);
    expect(read.ok && read.data.truncated).toBe(false);
    expect(asked.map((p) => [p.get('after'), p.get('limit'), p.get('sensorId'), p.get('from'), p.get('to')])).toEqual([
      [null, '10000', 's', '0', '100'],
      ['10000', '10000', 's', '0', '100'],
      ['20000', '10000', 's', '0', '100'],
    ]);
  });

  it('stops at the budget, asking no more than it keeps, and says the range was cut short', async () => {
    const asked = serve(25_000);
    const read = await readWindowPages({ from: 0, to: 100 }, 12_000, new AbortController().signal);
    expect(read.ok && read.data.windows.length).toBe(12_000);
    expect(read.ok && read.data.truncated).toBe(true);
    expect(asked.map((p) => p.get('limit'))).toEqual(['10000', '2000']);
    expect(asked[0].has('sensorId')).toBe(false);
  });

  it("gives the first failed page's failure", async () => {
    serve(25_000, 10_000);
    expect(await readWindowPages({ from: 0, to: 100 }, 100_000, new AbortController().signal)).toMatchObject({
      ok: false,
      status: 400,
      message: 'after: not a cursor of this range',
    });
  });
});
