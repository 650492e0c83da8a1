/**
 * Run by bench/memory.ts in a fresh process with --expose-gc: fills one engine with open windows
 * of S sensors and prints how much resident memory that took per open sensor-window.
 * Args: sensors windowsOpenPerSensor
 */
import { decimalFromInteger } from '../lib/decimal';
import { WindowEngine } from '../lib/engine/windowEngine';
import { singleSizeSchedule } from '../lib/engine/schedule';

const [sensorsText, openText] = process.argv.slice(2);
const sensors = Number(sensorsText);
const open = Number(openText);
const gc = (globalThis as { gc?: () => void }).gc!;
const ids = Array.from({ length: sensors }, (_, i) => String(i + 1)); // ids exist anyway: they arrive with the readings

gc();
const before = process.memoryUsage().rss;
// Allowed lateness longer than the data: nothing closes, every window stays open.
const engine = new WindowEngine({
  schedule: singleSizeSchedule(1_000),
  allowedLatenessMs: (open + 10) * 1_000,
  idleTimeoutMs: 3_600_000,
});
const base = 1_763_900_000_000;
const ONE = decimalFromInteger(1);
let position = 0;
for (let w = 0; w < open; w++) {
  for (let r = 0; r < 2; r++) {
    for (let s = 0; s < sensors; s++)
      engine.ingest({ sensorId: ids[s], timeMs: base + w * 1_000 + r * 400, value: ONE }, base, position++);
  }
}
gc();
const after = process.memoryUsage().rss;
process.stdout.write(`${JSON.stringify({ openSensorWindows: engine.openSensorWindowCount, bytes: after - before })}\n`);
