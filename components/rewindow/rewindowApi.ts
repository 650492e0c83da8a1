/** The "what if" panel's calls: the re-window jobs, and the windows the worker emitted for a range. */
import type { RewindowJob, RewindowRequest, WindowResultRecord } from '@/lib/contract';
import { request, type RequestResult } from '@/components/shared/request';
import { readWindowPages } from '@/components/shared/windowPages';

const jobPath = (id: string) => `/api/rewindow/${encodeURIComponent(id)}`;

export const rewindowApi = {
  start: (body: RewindowRequest) => request<RewindowJob>('POST', '/api/rewindow', { body }),
  get: (id: string, signal?: AbortSignal) => request<RewindowJob>('GET', jobPath(id), { signal }),
  cancel: (id: string) => request<RewindowJob>('DELETE', jobPath(id)),
};

/** Emitted windows shown beside a re-window's: at most this many (a 24 h range of 1 s windows fits). */
const MAX_EMITTED = 100_000;

/** The windows the worker emitted for one sensor starting in [from, to). */
export async function fetchEmitted(
  from: number,
  to: number,
  sensorId: string,
  signal: AbortSignal,
): Promise<RequestResult<WindowResultRecord[]>> {
  const pages = await readWindowPages({ from, to, sensorId }, MAX_EMITTED, signal);
  return pages.ok ? { ok: true, data: pages.data.windows } : pages;
}
