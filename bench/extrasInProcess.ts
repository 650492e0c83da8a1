/**
 * What each extra aggregate costs the windowing itself, without Kafka: three input partitions'
 * engines, their partials encoded and decoded, the merge, the output records, in one process.
 * Rounds are interleaved and medians printed, as the machine is shared.
 *
 *   npx tsx bench/extrasInProcess.ts [rounds]
 */
import { accumulationFor, EXTRA_AGGREGATES, type ExtraAggregate } from '../lib/aggregates/choice';
import { parseDecimal, type Decimal } from '../lib/decimal';
import { MergeEngine } from '../lib/engine/mergeEngine';
import { WindowEngine } from '../lib/engine/windowEngine';
import { decodePartialsRecord, encodePartialsBatches } from '../lib/partials';
import { encodeWindowRecord } from '../lib/windowRecord';

const READINGS = 300_000;
const SENSORS = 1_000;
const PARTITIONS = 3;
const T0 = 1_763_900_000_000;
const VALUES: Decimal[] = Array.from({ length: 1_000 }, (_, i) => parseDecimal(String((i % 500) / 10 + 10)) as Decimal);

/** Readings per second through both stages with `extras` chosen: 1 s windows, 10 readings per sensor and window. */
function run(extras: readonly ExtraAggregate[]): number {
  const accumulation = accumulationFor({ extras, relativeAccuracy: 0.01 });
  const schedule = [{ fromMs: Number.NEGATIVE_INFINITY, windowMs: 1_000 }];
  const engines = Array.from(
    { length: PARTITIONS },
    (_, partition) =>
      new WindowEngine({ schedule, allowedLatenessMs: 200, idleTimeoutMs: 1e9, accumulation, partition }),
  );
  const merge = new MergeEngine(PARTITIONS, undefined, accumulation);
  let written = 0;
  const started = performance.now();
  for (let i = 0; i < READINGS; i++) {
    const reading = { sensorId: `s${i % SENSORS}`, timeMs: T0 + Math.floor(i / 10), value: VALUES[i % VALUES.length] };
    engines[i % PARTITIONS].ingest(reading, 0, i);
    if (i % 3_000 !== 2_999) continue;
    engines.forEach((engine, source) => {
      for (const text of encodePartialsBatches(source, engine.advance(null), engine.watermarkMs)) {
        const record = decodePartialsRecord(Buffer.from(text));
        if ('error' in record) throw new Error(record.error);
        for (const partial of record.partials) merge.addPartial(partial, source, i);
        if (record.watermarkMs !== null) merge.advanceSource(source, record.watermarkMs);
      }
    });
    for (const w of merge.close()) written += encodeWindowRecord(w, extras).length;
  }
  if (written === 0) throw new Error('no window was written');
  return READINGS / ((performance.now() - started) / 1_000);
}

const CASES: [string, readonly ExtraAggregate[]][] = [
  ['base five only', []],
  ['variance, stddev', ['variance', 'stddev']],
  ['first, last', ['first', 'last']],
  ['p50, p90, p95, p99', ['p50', 'p90', 'p95', 'p99']],
  ['every extra', EXTRA_AGGREGATES],
];

const rounds = Number(process.argv[2] ?? 5);
const results = CASES.map(() => [] as number[]);
for (let r = 0; r < rounds; r++) CASES.forEach(([, extras], i) => results[i].push(run(extras)));
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const base = median(results[0]);
console.log(`| chosen | readings/s (median of ${rounds}) | of base |\n| --- | ---: | ---: |`);
CASES.forEach(([name], i) => {
  const m = median(results[i]);
  console.log(`| ${name} | ${Math.round(m).toLocaleString('en-US')} | ${(m / base).toFixed(2)}× |`);
});
