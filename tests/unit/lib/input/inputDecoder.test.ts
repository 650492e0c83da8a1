import { describe, expect, it } from 'vitest';
import { inputDecoder, inputRecordOf } from '../../../../lib/input/inputDecoder';
import { DEFAULT_INPUT_FORMAT } from '../../../../lib/input/readingDecoder';

const T0 = 1_763_900_000_000;
const message = (key: string | null, timeMs: number, timestampMs: number) => ({
  key: key === null ? null : Buffer.from(key),
  value: Buffer.from(`{"id": "s1", "time": ${timeMs / 1000}, "value": 1.5}`),
  timestamp: String(timestampMs),
});

describe("the first stage's decode rule", () => {
  it('checks the key only for input keyed by sensor', () => {
    const keyed = inputDecoder({ input: DEFAULT_INPUT_FORMAT, maxFutureMs: 5_000, keyedBySensor: true });
    const unkeyed = inputDecoder({ input: DEFAULT_INPUT_FORMAT, maxFutureMs: 5_000, keyedBySensor: false });
    expect(keyed(inputRecordOf(message('s2', T0, T0)))).toMatchObject({ ok: false, code: 'key_mismatch' });
    const reading = { sensorId: 's1', timeMs: T0 };
    expect(keyed(inputRecordOf(message('s1', T0, T0)))).toMatchObject({ ok: true, reading });
    expect(unkeyed(inputRecordOf(message('s2', T0, T0)))).toMatchObject({ ok: true });
    expect(unkeyed(inputRecordOf(message(null, T0, T0)))).toMatchObject({ ok: true });
  });

  it('judges "too far in the future" against the record\'s own timestamp, however late it is read', () => {
    const decode = inputDecoder({ input: DEFAULT_INPUT_FORMAT, maxFutureMs: 5_000, keyedBySensor: false });
    expect(decode(inputRecordOf(message(null, T0 + 6_000, T0)))).toMatchObject({ ok: false, code: 'future_time' });
    expect(decode(inputRecordOf(message(null, T0 + 4_000, T0)))).toMatchObject({ ok: true });
  });
});
