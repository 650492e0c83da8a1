/** Resident memory per open sensor-window: the engine alone, in a fresh process, at S sensors. */
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { ROOT } from './engines';

export interface MemoryResult {
  sensors: number;
  openSensorWindows: number;
  bytesPerOpenSensorWindow: number;
}

export function measureMemory(sensors: number, log: (m: string) => void): MemoryResult {
  const openPerSensor = 5;
  const result = spawnSync(
    process.execPath,
    [
      '--expose-gc',
      '--import',
      'tsx',
      path.join(ROOT, 'bench', 'memoryProbe.ts'),
      String(sensors),
      String(openPerSensor),
    ],
    {
      cwd: ROOT,
      encoding: 'utf8',
    },
  );
  if (result.status !== 0) throw new Error(`memory probe failed: ${result.stderr}`);
  const { openSensorWindows, bytes } = JSON.parse(result.stdout.trim().split('\n').at(-1)!) as {
    openSensorWindows: number;
    bytes: number;
  };
  const memory = { sensors, openSensorWindows, bytesPerOpenSensorWindow: bytes / openSensorWindows };
  log(
    `memory: ${openSensorWindows.toLocaleString('en')} open sensor-windows, ${Math.round(memory.bytesPerOpenSensorWindow)} bytes of RSS each`,
  );
  return memory;
}
