import { describe, expect, it } from 'vitest';
import { parseDecimal, type Decimal } from '../../../../lib/decimal';
import { MergeEngine } from '../../../../lib/engine/mergeEngine';
import { singleSizeSchedule } from '../../../../lib/engine/schedule';
import { quietUntil, WindowEngine, type EngineReading, type WindowResult } from '../../../../lib/engine/windowEngine';
import { decodePartialsRecord, encodePartialsBatches } from '../../../../lib/partials';
import { recomputeWindows, sortWindows } from '../../../../lib/reference';
import { windowText } from '../../../../lib/windowRecord';

const T0 = 1_763_900_000_000;
const dec = (v: string) => parseDecimal(v) as Decimal;
const partial = (sensorId: string, start: number, count: number, sum: string, min = sum, max = sum): WindowResult => ({
  sensorId,
  windowStart: T0 + start,
  windowEnd: T0 + start + 1_000,
  count,
  sum: dec(sum),
  min: dec(min),
  max: dec(max),
});

describe('MergeEngine', () => {
  it('emits a window only when every source has passed its end, with the partials added up exactly', () => {
    const m = new MergeEngine(3);
    expect(m.addPartial(partial('a', 0, 2, '0.1', '-1', '1.1'), 0, 0)).toBe('added');
    expect(m.addPartial(partial('a', 0, 1, '0.2', '0.2', '0.2'), 1, 1)).toBe('added');
    m.advanceSource(0, T0 + 1_000);
    m.advanceSource(1, T0 + 5_000);
    expect(m.close()).toEqual([]); // source 2 has reported nothing
    m.advanceSource(2, T0 + 999);
    expect(m.close()).toEqual([]);
    m.advanceSource(2, T0 + 1_000);
    expect(m.close().map((w) => windowText(w))).toEqual([
      {
        sensorId: 'a',
        windowStart: T0,
        windowEnd: T0 + 1_000,
        count: 3,
        sum: '0.3',
        min: '-1',
        max: '1.1',
        mean: '0.1',
      },
    ]);
    expect(m.close()).toEqual([]);
  });

  it('skips a partial its source sent already, before or after its watermark passed, and never moves a source back', () => {
    const m = new MergeEngine(2);
    m.advanceSource(0, T0 + 2_000);
    m.advanceSource(0, T0);
    expect(m.checkpoint().sourceWatermarks).toEqual([T0 + 2_000, null]);
    // Source 0 already said every window ending by T0 + 2 s is complete: this is a repeat.
    expect(m.addPartial(partial('a', 0, 1, '1'), 0, 0)).toBe('repeated');
    expect(m.addPartial(partial('a', 2_000, 1, '1'), 0, 1)).toBe('added');
    expect(m.addPartial(partial('a', 2_000, 1, '1'), 0, 2)).toBe('repeated'); // twice before its watermark
    expect(m.addPartial(partial('a', 2_000, 3, '5'), 1, 3)).toBe('added');
    m.advanceSource(0, T0 + 3_000);
    m.advanceSource(1, T0 + 3_000);
    expect(m.close().map((w) => windowText(w))).toEqual([
      {
        sensorId: 'a',
        windowStart: T0 + 2_000,
        windowEnd: T0 + 3_000,
        count: 4,
        sum: '6',
        min: '1',
        max: '5',
        mean: '1.5',
      },
    ]);
    expect(() => m.advanceSource(2, T0)).toThrow(RangeError);
    expect(() => m.addPartial(partial('a', 5_000, 1, '1'), 2, 4)).toThrow(RangeError);
  });

  it('restarts from its checkpoint: replayed partials of emitted windows are skipped, open ones rebuilt', () => {
    const m = new MergeEngine(2);
    m.addPartial(partial('a', 0, 1, '1'), 0, 0);
    m.addPartial(partial('a', 1_000, 1, '2'), 1, 1);
    m.advanceSource(0, T0 + 1_000);
    m.advanceSource(1, T0 + 1_000);
    expect(m.close()).toHaveLength(1);
    expect(m.oldestOpenPosition()).toBe(1);
    const restarted = new MergeEngine(2, JSON.parse(JSON.stringify(m.checkpoint())));
    // Replaying: a partial of an emitted window is passed over; one of an open window is rebuilt
    // although its source's watermark (from the checkpoint) is past it.
    expect(restarted.addPartial(partial('a', 0, 1, '1'), 0, 0, true)).toBe('emitted');
    expect(restarted.addPartial(partial('a', 1_000, 1, '2'), 1, 1, true)).toBe('added');
    m.advanceSource(0, T0 + 2_000);
    m.advanceSource(1, T0 + 2_000);
    restarted.advanceSource(0, T0 + 2_000);
    restarted.advanceSource(1, T0 + 2_000);
    expect(restarted.close().map((w) => windowText(w))).toEqual(m.close().map((w) => windowText(w)));
  });
});

describe('two stages over unkeyed input', () => {
  it('equal the reference over all partitions, whichever partition each reading landed on', () => {
    let seed = 11;
    const rand = () => (seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31;
    const partitions = 3;
    const logs: EngineReading[][] = Array.from({ length: partitions }, () => []);
    for (let i = 0; i < 9_000; i++) {
      const reading = {
        sensorId: `s${i % 17}`,
        timeMs: T0 + i * 3 + Math.floor(rand() * 1_000) - 500,
        value: dec(((Math.floor(rand() * 20_000) - 10_000) / 100).toFixed(2)),
      };
      logs[Math.floor(rand() * partitions)].push(reading); // no key: any partition
    }
    const options = { schedule: singleSizeSchedule(1_000), allowedLatenessMs: 600, idleTimeoutMs: 60_000 };
    const stage1 = logs.map(() => new WindowEngine(options));
    // What the partials topic carries: each partition's partials, then its watermark, as records.
    const topic: string[] = [];
    const merge = new MergeEngine(partitions);
    const emitted: WindowResult[] = [];
    const late: EngineReading[] = [];
    const step = (p: number, now: number) => {
      // Small records, so a step's partials span several of them as a large step's do.
      const closed = stage1[p].advance(quietUntil(now));
      const watermark = stage1[p].watermarkMs;
      topic.push(...encodePartialsBatches(p, closed, Number.isFinite(watermark) ? watermark : null, 400));
    };
    // Interleave the partitions as consumers would: a few readings from each in turn.
    const cursors = logs.map(() => 0);
    while (cursors.some((c, p) => c < logs[p].length)) {
      for (let p = 0; p < partitions; p++) {
        for (let k = 0; k < 1 + Math.floor(rand() * 40) && cursors[p] < logs[p].length; k++) {
          const r = logs[p][cursors[p]++];
          if (stage1[p].ingest(r, T0) === 'late') late.push(r);
        }
        step(p, T0);
      }
    }
    for (let p = 0; p < partitions; p++) step(p, T0 + 3_600_000); // idle: everything closes
    topic.forEach((text, position) => {
      const record = decodePartialsRecord(Buffer.from(text));
      if ('error' in record) throw new Error(record.error);
      for (const partial of record.partials) expect(merge.addPartial(partial, record.source, position)).toBe('added');
      if (record.watermarkMs !== null) merge.advanceSource(record.source, record.watermarkMs);
      emitted.push(...merge.close());
    });

    const reference = recomputeWindows(logs, options.schedule, options.allowedLatenessMs);
    expect(sortWindows(emitted).map((w) => windowText(w))).toEqual(reference.windows.map((w) => windowText(w)));
    expect(late).toHaveLength(reference.late.length);
    expect(late.length).toBeGreaterThan(0);
    expect(new Set(emitted.map((w) => `${w.sensorId}/${w.windowStart}`)).size).toBe(emitted.length);
  });
});
