/** The plans of a bounded read: Kafka's offset answers turned into [start, end) per partition. */
import { describe, expect, it } from 'vitest';
import { offsetReads, rangesSince, wholeTopicRanges } from '../../../../lib/kafka/readPlan';

describe('wholeTopicRanges', () => {
  it('reads each partition from its first kept offset to its end, leaving out empty ones', () => {
    const ranges = wholeTopicRanges([
      { partition: 2, low: '0', high: '3' },
      { partition: 0, low: '40', high: '100' }, // the first 40 deleted by retention
      { partition: 1, low: '7', high: '7' }, // emptied by retention
      { partition: 3, low: '0', high: '0' },
    ]);
    expect(ranges).toEqual([
      { partition: 0, start: 40, end: 100 },
      { partition: 2, start: 0, end: 3 },
    ]);
  });

  it('plans nothing for a topic with nothing in it', () => {
    expect(wholeTopicRanges([])).toEqual([]);
    expect(wholeTopicRanges([{ partition: 0, low: 0, high: 0 }])).toEqual([]);
  });
});

describe('rangesSince', () => {
  it('leaves out a partition whose answer is missing from the ends', () => {
    expect(rangesSince([{ partition: 4, offset: '0' }], [{ partition: 0, high: '9' }])).toEqual([]);
  });
});

describe('offsetReads', () => {
  const ends = [
    { partition: 1, high: '20000' },
    { partition: 0, high: '100' },
  ];

  it('reads offsets close together in one range, one range per partition per read', () => {
    const reads = offsetReads(
      [
        { partition: 0, offset: '12' },
        { partition: 1, offset: '5000' },
        { partition: 0, offset: '10' },
        { partition: 0, offset: '12' },
        { partition: 1, offset: '3' },
        { partition: 1, offset: '15000' },
      ],
      ends,
    );
    expect(reads).toEqual([
      [
        { partition: 0, start: 10, end: 13 },
        { partition: 1, start: 3, end: 4 },
      ],
      [{ partition: 1, start: 5000, end: 5001 }],
      [{ partition: 1, start: 15000, end: 15001 }],
    ]);
  });

  it('leaves out offsets at or past the end and partitions the topic does not have', () => {
    const reads = offsetReads(
      [
        { partition: 0, offset: '100' },
        { partition: 0, offset: '99' },
        { partition: 7, offset: '1' },
      ],
      ends,
    );
    expect(reads).toEqual([[{ partition: 0, start: 99, end: 100 }]]);
    expect(offsetReads([{ partition: 0, offset: 100 }], ends)).toEqual([]);
    expect(offsetReads([], ends)).toEqual([]);
  });
});
