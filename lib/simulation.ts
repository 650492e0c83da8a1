/**
 * Simulated sensors: every sensor emits one reading per tick, either a Poisson-distributed count
 * (as in the seed post) or a temperature-like decimal (two decimals, drifting around a per-sensor
 * base). Pure and seeded: the same parameters and the same sequence of
 * `due` calls produce the same readings, so a test can know what was sent.
 */
export interface SimulationParams {
  seed: number;
  sensors: number;
  ratePerSensor: number;
  /** Poisson mean of each count. */
  lambda: number;
  values: SimulatedValues;
  /** Readings are stamped up to this much earlier than their slot (out of order). */
  jitterMs: number;
  /** Share (0..1) of readings stamped `lateOffsetMs` in the past, to demo late handling. */
  lateShare: number;
  lateOffsetMs: number;
  startMs: number;
}

export const SIMULATED_VALUES = ['counts', 'temperatures'] as const;
export type SimulatedValues = (typeof SIMULATED_VALUES)[number];

export interface SimulatedReading {
  id: number;
  /** Epoch seconds, as in the input contract. */
  time: number;
  value: number;
}

/** mulberry32: small, fast and good enough for simulated data. */
export function createRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/** Knuth's method; fine for the small means sensors use. */
export function poisson(lambda: number, random: () => number): number {
  const limit = Math.exp(-lambda);
  let k = 0;
  let p = random();
  while (p > limit) {
    k++;
    p *= random();
  }
  return k;
}

export class ReadingGenerator {
  private readonly random: () => number;
  private nextSlot = 0;

  constructor(private readonly params: SimulationParams) {
    this.random = createRandom(params.seed);
  }

  private slotTimeMs(slot: number): number {
    return this.params.startMs + (slot * 1000) / this.params.ratePerSensor;
  }

  /** All readings whose slot time is ≤ `nowMs`, at most `maxReadings` (whole slots). */
  due(nowMs: number, maxReadings = Number.POSITIVE_INFINITY): SimulatedReading[] {
    const { sensors, jitterMs, lateShare, lateOffsetMs } = this.params;
    const out: SimulatedReading[] = [];
    while (this.slotTimeMs(this.nextSlot) <= nowMs && out.length + sensors <= Math.max(maxReadings, sensors)) {
      const slotMs = this.slotTimeMs(this.nextSlot);
      for (let id = 1; id <= sensors; id++) {
        let timeMs = slotMs;
        if (jitterMs > 0) timeMs -= this.random() * jitterMs;
        if (lateShare > 0 && this.random() < lateShare) timeMs -= lateOffsetMs;
        out.push({ id, time: Math.round(timeMs) / 1000, value: this.value(id, slotMs) });
      }
      this.nextSlot++;
    }
    return out;
  }

  private value(id: number, slotMs: number): number {
    if (this.params.values === 'counts') return poisson(this.params.lambda, this.random);
    // A base of 15–25 °C per sensor, a ten-minute swing of ±3 °C, and noise; rounded to 0.01.
    const base = 15 + ((id * 7_919) % 1_000) / 100;
    const swing = 3 * Math.sin((2 * Math.PI * (slotMs / 600_000 + id / 7)) % (2 * Math.PI));
    const celsius = base + swing + (this.random() - 0.5);
    return Math.round(celsius * 100) / 100;
  }
}
