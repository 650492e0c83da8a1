/** Calls to the HTTP API; failures come back as the server's one-line error text. */
import type { RuntimeConfig, SimulatorStatus } from '@/lib/contract';

export type ApiResult<T> = { ok: true; value: T } | { ok: false; error: string };

async function call<T>(method: string, path: string, body?: unknown): Promise<ApiResult<T>> {
  try {
    const res = await fetch(path, {
      method,
      headers: body === undefined ? undefined : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
      cache: 'no-store',
    });
    const data: unknown = await res.json().catch(() => null);
    if (res.ok) return { ok: true, value: data as T };
    const message = (data as { error?: unknown } | null)?.error;
    return { ok: false, error: typeof message === 'string' ? message : `HTTP ${res.status}` };
  } catch (error) {
    return { ok: false, error: `request failed: ${(error as Error).message}` };
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
}

export const api = {
  getConfig: () => call<RuntimeConfig>('GET', '/api/config'),
  putConfig: (change: ConfigChange) => call<RuntimeConfig>('PUT', '/api/config', change),
  getSimulator: () => call<SimulatorStatus>('GET', '/api/simulator'),
  startSimulator: (options: SimulatorOptions) => call<SimulatorStatus>('POST', '/api/simulator/start', options),
  stopSimulator: () => call<SimulatorStatus>('POST', '/api/simulator/stop'),
};
