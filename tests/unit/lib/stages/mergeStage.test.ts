import { describe, expect, it } from 'vitest';
import { parseDecimal, type Decimal } from '../../../../lib/decimal';
import type { WindowResult } from '../../../../lib/engine/windowEngine';
import { encodePartialsBatches } from '../../../../lib/partials';
import { MergeStage } from '../../../../lib/stages/mergeStage';
import type { OutputRecords, StageRecord, StepSink } from '../../../../lib/stages/stepSink';

const silent = { info: () => undefined, warn: () => undefined, error: () => undefined };
const partial = (id: string, count: number): WindowResult => {
  const v = parseDecimal('1.5') as Decimal;
  return { sensorId: id, windowStart: 0, windowEnd: 1_000, count, sum: v, min: v, max: v };
};

describe('the merge stamps a window with when it closed', () => {
  it('is the moment the first stage saw the last source pass its end, not when the merge runs', async () => {
    const written: OutputRecords[] = [];
    const sink: StepSink = {
      start: async () => ({ offset: null, metadata: undefined }),
      commit: async (records) => void written.push(...records),
    };
    const delays: number[] = [];
    const stage = new MergeStage({
      partition: 0,
      inputPartitions: 2,
      topics: { partials: 'partials', output: 'out' },
      sink,
      clock: () => 9_000,
      log: silent,
      commitDelay: { observe: (s) => delays.push(s) },
    });
    await stage.start();
    const values = [
      ...encodePartialsBatches(0, [partial('a', 2)], 1_200), // source 0 passes 1 000 at 5 000
      ...encodePartialsBatches(1, [partial('a', 3)], 1_100), // source 1 passes it at 7 000: closed then
    ];
    const records: StageRecord[] = values.map((value, i) => ({
      offset: String(i),
      timestamp: String([5_000, 7_000][i]),
      key: null,
      value: Buffer.from(value),
    }));
    await stage.processBatch(records);
    expect(written).toHaveLength(1);
    expect(written[0].messages.map((m) => m.timestamp)).toEqual(['7000']);
    expect(JSON.parse(String(written[0].messages[0].value)).count).toBe(5);
    expect(delays).toEqual([2]);
  });
});
