import { describe, expect, it } from 'vitest';
import {
  decodeCheckpoint,
  decodeMergeCheckpoint,
  encodeCheckpoint,
  encodeMergeCheckpoint,
} from '../../../lib/checkpoint';

describe('partition checkpoint', () => {
  it('round-trips through the offset metadata string', () => {
    const cp = { resumeAt: 1_234, watermarkMs: 1_763_900_000_000, maxEventTimeMs: 1_763_900_002_000 };
    expect(decodeCheckpoint(encodeCheckpoint(cp))).toEqual(cp);
    expect(decodeCheckpoint(encodeCheckpoint({ resumeAt: 0, watermarkMs: null, maxEventTimeMs: null }))).toEqual({
      resumeAt: 0,
      watermarkMs: null,
      maxEventTimeMs: null,
    });
  });

  it('fits the broker default offset.metadata.max.bytes (4096)', () => {
    const cp = { resumeAt: Number.MAX_SAFE_INTEGER, watermarkMs: -Number.MAX_VALUE, maxEventTimeMs: Number.MAX_VALUE };
    expect(encodeCheckpoint(cp).length).toBeLessThan(4096);
  });

  it.each([null, '', 'not json', '{"v":2,"c":1,"w":null,"m":null}', '{"v":1,"c":-1,"w":null,"m":null}'])(
    'treats %s as no checkpoint',
    (metadata) => expect(decodeCheckpoint(metadata)).toBeNull(),
  );
});

describe('merge checkpoint', () => {
  it('round-trips, and is told apart from a first-stage checkpoint', () => {
    const cp = { resumeAt: 42, sourceWatermarks: [1_763_900_000_000, null, 5] };
    expect(decodeMergeCheckpoint(encodeMergeCheckpoint(cp))).toEqual(cp);
    expect(decodeMergeCheckpoint(encodeCheckpoint({ resumeAt: 1, watermarkMs: 2, maxEventTimeMs: 3 }))).toBeNull();
    expect(decodeCheckpoint(encodeMergeCheckpoint(cp))).toBeNull();
    expect(decodeMergeCheckpoint('not json')).toBeNull();
    expect(decodeMergeCheckpoint(undefined)).toBeNull();
  });
});
