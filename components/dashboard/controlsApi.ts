/** The dashboard's calls for the window-size config, the simulator and the latest windows. */
import type { CalendarUnit } from '@/lib/calendarUnits';
import type { RuntimeConfig, SimulatorStatus, WindowResultRecord } from '@/lib/contract';
import type { SimulatedValues } from '@/lib/simulation';
import { request } from '@/components/shared/request';

interface ConfigChange {
  windowSeconds?: number | null;
  calendar?: CalendarUnit;
  timeZone?: string;
  allowedLatenessSeconds?: number | null;
}

interface SimulatorOptions {
  sensors?: number | null;
  ratePerSensor?: number | null;
  jitterSeconds?: number;
  lateShare?: number;
  values?: SimulatedValues;
  keyed?: boolean;
}

export const controlsApi = {
  getConfig: () => request<RuntimeConfig>('GET', '/api/config'),
  putConfig: (change: ConfigChange) => request<RuntimeConfig>('PUT', '/api/config', { body: change }),
  getSimulator: () => request<SimulatorStatus>('GET', '/api/simulator'),
  startSimulator: (options: SimulatorOptions) =>
    request<SimulatorStatus>('POST', '/api/simulator/start', { body: options }),
  stopSimulator: () => request<SimulatorStatus>('POST', '/api/simulator/stop'),
  /** The newest windows (of every sensor), oldest first: a re-read when the socket's resume was too long. */
  latestWindows: (limit: number) => request<WindowResultRecord[]>('GET', `/api/windows?limit=${limit}`),
};
