/**
 * The Operations view's calls. The control token travels as the dashboard's controls send it
 * (components/api.ts): `Authorization: Bearer <token>`, kept for this tab in sessionStorage under
 * the same key, so a token given on either page works on both.
 */
import type { RedriveOutcome, RedriveRequest } from '@/lib/contract';
import type { RedriveReply } from '@/components/operations/opsText';

const TOKEN_KEY = 'windowpane-control-token';

export type Loaded<T> = { ok: true; value: T } | { ok: false; error: string };

export async function getJson<T>(path: string): Promise<Loaded<T>> {
  try {
    const res = await fetch(path, { cache: 'no-store' });
    const data: unknown = await res.json().catch(() => null);
    if (res.ok) return { ok: true, value: data as T };
    const message = (data as { error?: unknown } | null)?.error;
    return { ok: false, error: typeof message === 'string' ? message : `the server answered with status ${res.status}` };
  } catch (error) {
    return { ok: false, error: `the server could not be reached (${(error as Error).message})` };
  }
}

export function savedToken(): string | null {
  return typeof window === 'undefined' ? null : window.sessionStorage.getItem(TOKEN_KEY);
}

export function saveToken(token: string): void {
  if (token.trim()) window.sessionStorage.setItem(TOKEN_KEY, token.trim());
  else window.sessionStorage.removeItem(TOKEN_KEY);
}

/** 401 means the token is missing or wrong: the caller asks for one and tries again. */
export async function postRedrive(request: RedriveRequest): Promise<RedriveReply> {
  try {
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    const token = savedToken();
    if (token) headers.authorization = `Bearer ${token}`;
    const res = await fetch('/api/dead-letters/redrive', { method: 'POST', headers, body: JSON.stringify(request), cache: 'no-store' });
    const data = (await res.json().catch(() => null)) as (Partial<RedriveOutcome> & { error?: string }) | null;
    const outcome = data && Array.isArray(data.results) ? (data as RedriveOutcome) : null;
    return { status: res.status, outcome, error: typeof data?.error === 'string' ? data.error : res.ok ? null : `the server answered with status ${res.status}` };
  } catch (error) {
    return { status: 0, outcome: null, error: `the server could not be reached (${(error as Error).message})` };
  }
}
