/**
 * Reads the windows of a time range from `GET /api/windows`, page after page by its `next`
 * cursor, up to a budget: for the dashboard's range (and its export) and the "what if" panel's
 * emitted windows.
 */
import type { WindowResultRecord } from '@/lib/contract';
import { request, type RequestResult } from '@/components/shared/request';

/** Windows starting in [from, to), of one sensor or of all. */
interface WindowsQuery {
  from: number;
  to: number;
  sensorId?: string;
}

export interface WindowPages {
  windows: WindowResultRecord[];
  /** True when the budget was reached before the end of the range. */
  truncated: boolean;
}

/** The server's largest page. */
const PAGE = 10_000;

export async function readWindowPages(
  query: WindowsQuery,
  budget: number,
  signal: AbortSignal,
): Promise<RequestResult<WindowPages>> {
  const windows: WindowResultRecord[] = [];
  let after: string | null = null;
  do {
    const params = new URLSearchParams({
      from: String(query.from),
      to: String(query.to),
      limit: String(Math.min(PAGE, budget - windows.length)),
    });
    if (query.sensorId !== undefined) params.set('sensorId', query.sensorId);
    if (after) params.set('after', after);
    const page = await request<{ windows: WindowResultRecord[]; next: string | null }>(
      'GET',
      `/api/windows?${params}`,
      { signal },
    );
    if (!page.ok) return page;
    windows.push(...page.data.windows);
    after = page.data.next ?? null;
  } while (after !== null && windows.length < budget);
  return { ok: true, data: { windows, truncated: after !== null } };
}
