/** Calls to the HTTP API; failures come back as the server's one-line error text. */
import type { AlertEventsPage, AlertRule, AlertRuleBody, AlertRulesList, RuntimeConfig, SimulatorStatus } from '@/lib/contract';
import type { SimulatedValues } from '@/lib/simulation';

export type ApiResult<T> = { ok: true; value: T } | { ok: false; error: string };

const TOKEN_KEY = 'windowpane-control-token';

/** The control token the server asked for (401), kept for this browser tab only. */
function controlToken(): string | null {
  return typeof window === 'undefined' ? null : window.sessionStorage.getItem(TOKEN_KEY);
}

type TokenAsker = (message: string) => Promise<string | null>;
let tokenAsker: TokenAsker | null = null;

/** The page's token dialog (TokenDialog.tsx) registers itself here. */
export function setTokenAsker(asker: TokenAsker | null): void {
  tokenAsker = asker;
}

async function askForToken(message: string): Promise<boolean> {
  const token = tokenAsker ? await tokenAsker(message) : null;
  if (!token || !token.trim()) return false;
  window.sessionStorage.setItem(TOKEN_KEY, token.trim());
  return true;
}

async function call<T>(method: string, path: string, body?: unknown, retried = false): Promise<ApiResult<T>> {
  try {
    const headers: Record<string, string> = {};
    if (body !== undefined) headers['content-type'] = 'application/json';
    const token = controlToken();
    if (token && method !== 'GET') headers.authorization = `Bearer ${token}`;
    const res = await fetch(path, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      cache: 'no-store',
    });
    if (res.status === 401 && !retried) {
      const data = (await res.json().catch(() => null)) as { error?: string } | null;
      window.sessionStorage.removeItem(TOKEN_KEY);
      if (await askForToken(data?.error ?? 'This server requires a control token.')) return call<T>(method, path, body, true);
      return { ok: false, error: data?.error ?? 'HTTP 401' };
    }
    const data: unknown = await res.json().catch(() => null);
    if (res.ok) return { ok: true, value: data as T };
    const message = (data as { error?: unknown } | null)?.error;
    return { ok: false, error: typeof message === 'string' ? `The server refused: ${message}.` : `The server answered with status ${res.status}.` };
  } catch (error) {
    return { ok: false, error: `The server could not be reached (${(error as Error).message}).` };
  }
}

export interface ConfigChange {
  windowSeconds?: number | null;
  allowedLatenessSeconds?: number | null;
}

export interface SimulatorOptions {
  sensors?: number | null;
  ratePerSensor?: number | null;
  jitterSeconds?: number;
  lateShare?: number;
  values?: SimulatedValues;
  keyed?: boolean;
}

/** Any API call with the page's error sentences and token dialog (used by the panels' own clients). */
export function apiCall<T>(method: string, path: string, body?: unknown): Promise<ApiResult<T>> {
  return call<T>(method, path, body);
}

export const api = {
  getConfig: () => call<RuntimeConfig>('GET', '/api/config'),
  putConfig: (change: ConfigChange) => call<RuntimeConfig>('PUT', '/api/config', change),
  getSimulator: () => call<SimulatorStatus>('GET', '/api/simulator'),
  startSimulator: (options: SimulatorOptions) => call<SimulatorStatus>('POST', '/api/simulator/start', options),
  stopSimulator: () => call<SimulatorStatus>('POST', '/api/simulator/stop'),
  getAlertRules: () => call<AlertRulesList>('GET', '/api/alert-rules'),
  putAlertRule: (id: string, rule: AlertRuleBody) => call<AlertRule>('PUT', `/api/alert-rules/${encodeURIComponent(id)}`, rule),
  deleteAlertRule: (id: string) => call<{ deleted: string }>('DELETE', `/api/alert-rules/${encodeURIComponent(id)}`),
  getAlerts: (limit = 50) => call<AlertEventsPage>('GET', `/api/alerts?limit=${limit}`),
};
