/**
 * The "what if" panel's HTTP calls: the re-window jobs and the emitted windows of a range. Errors
 * come back as sentences. Starting and cancelling are controls: they go through components/api.ts,
 * which sends the control token and asks for it in a dialog when the server wants one.
 */
import type { RewindowJob, RewindowRequest, WindowResultRecord } from '@/lib/contract';
import { apiCall } from '@/components/shared/api';

export type Result<T> = { ok: true; value: T } | { ok: false; error: string };

/** A GET that can be aborted (polling a job, reading a range); controls go through apiCall. */
async function call<T>(method: 'GET', path: string, body?: undefined, signal?: AbortSignal): Promise<Result<T>> {
  try {
    const res = await fetch(path, { method, cache: 'no-store', signal });
    const data: unknown = await res.json().catch(() => null);
    if (res.ok) return { ok: true, value: data as T };
    const message = (data as { error?: unknown } | null)?.error;
    return { ok: false, error: typeof message === 'string' ? message : `the server answered HTTP ${res.status}` };
  } catch (error) {
    if ((error as Error).name === 'AbortError') throw error;
    return { ok: false, error: `the request failed (${(error as Error).message})` };
  }
}

export const rewindowApi = {
  // Controls: through the dashboard's call, which asks for the control token in its dialog on a 401.
  start: (request: RewindowRequest) => apiCall<RewindowJob>('POST', '/api/rewindow', request),
  get: (id: string, signal?: AbortSignal) => call<RewindowJob>('GET', `/api/rewindow/${encodeURIComponent(id)}`, undefined, signal),
  cancel: (id: string) => apiCall<RewindowJob>('DELETE', `/api/rewindow/${encodeURIComponent(id)}`),
};

/** Emitted windows shown beside a re-window's: at most this many (a 24 h range of 1 s windows fits). */
const MAX_EMITTED = 100_000;

/** The windows the worker emitted for one sensor starting in [from, to), every page of GET /api/windows. */
export async function fetchEmitted(from: number, to: number, sensorId: string, signal: AbortSignal): Promise<Result<WindowResultRecord[]>> {
  const windows: WindowResultRecord[] = [];
  let after: string | null = null;
  do {
    const params = new URLSearchParams({ from: String(from), to: String(to), sensorId, limit: '10000' });
    if (after) params.set('after', after);
    const page = await call<{ windows: WindowResultRecord[]; next: string | null }>('GET', `/api/windows?${params}`, undefined, signal);
    if (!page.ok) return page;
    windows.push(...page.value.windows);
    after = page.value.next;
  } while (after !== null && windows.length < MAX_EMITTED);
  return { ok: true, value: windows };
}
