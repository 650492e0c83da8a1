/** The dashboard's calls for the window-size config and the simulator. */
import type { RuntimeConfig, SimulatorStatus } from '@/lib/contract';
import type { SimulatedValues } from '@/lib/simulation';
import { request } from '@/components/shared/request';

interface ConfigChange {
  windowSeconds?: number | null;
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
};
