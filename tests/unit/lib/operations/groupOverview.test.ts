import { AssignerProtocol } from 'kafkajs';
import { describe, expect, it } from 'vitest';
import { encodeCheckpoint, encodeMergeCheckpoint } from '../../../../lib/checkpoint';
import { memberViews, mergeWatermark, overview, topicProgress } from '../../../../lib/operations/groupOverview';
import { decodeMemberAssignment } from '../../../../lib/operations/memberAssignment';

describe('decodeMemberAssignment', () => {
  it('reads what a kafkajs member is assigned, topics and partitions sorted', () => {
    const bytes = AssignerProtocol.MemberAssignment.encode({
      version: 1,
      assignment: { readings: [2, 0], 'a-partials': [1] },
      userData: Buffer.from('x'),
    });
    expect(decodeMemberAssignment(bytes)).toEqual([
      { topic: 'a-partials', partitions: [1] },
      { topic: 'readings', partitions: [0, 2] },
    ]);
  });

  it('reads an empty assignment as no partitions', () => {
    expect(
      decodeMemberAssignment(
        AssignerProtocol.MemberAssignment.encode({ version: 0, assignment: {}, userData: Buffer.alloc(0) }),
      ),
    ).toEqual([]);
  });

  it.each([
    ['no bytes (a member mid-rebalance)', Buffer.alloc(0)],
    ['null', null],
    ['a truncated topic name', Buffer.from([0, 0, 0, 0, 0, 1, 0, 9, 0x61])],
    ['a negative version', Buffer.from([0xff, 0xff, 0, 0, 0, 0])],
    ['a huge count', Buffer.from([0, 0, 0x7f, 0xff, 0xff, 0xff])],
    ['a truncated partition list', Buffer.from([0, 0, 0, 0, 0, 1, 0, 1, 0x61, 0, 0, 0, 2, 0, 0, 0, 1])],
  ])('gives null for %s', (_what, bytes) => {
    expect(decodeMemberAssignment(bytes)).toBeNull();
  });
});

describe('topicProgress', () => {
  const ends = [
    { partition: 1, high: '50', low: '0' },
    { partition: 0, high: '100', low: '10' },
    { partition: 2, high: '7', low: '7' },
  ];

  it('computes lag from the committed offset, or the log start without one, and decodes the watermark', () => {
    const progress = topicProgress(
      'in',
      'partition',
      [
        {
          partition: 0,
          offset: '90',
          metadata: encodeCheckpoint({
            resumeAt: 95,
            watermarkMs: 1_700_000_000_000,
            maxEventTimeMs: 1_700_000_002_000,
          }),
        },
        { partition: 1, offset: '-1', metadata: null },
        { partition: 2, offset: '7', metadata: 'not a checkpoint' },
      ],
      ends,
    );
    expect(progress).toEqual({
      topic: 'in',
      lag: 10 + 50 + 0,
      partitions: [
        { partition: 0, committed: 90, end: 100, lag: 10, watermarkMs: 1_700_000_000_000 },
        { partition: 1, committed: null, end: 50, lag: 50, watermarkMs: null },
        { partition: 2, committed: 7, end: 7, lag: 0, watermarkMs: null },
      ],
    });
  });

  it('counts no lag when the committed offset is past the last stable offset', () => {
    expect(
      topicProgress('in', 'partition', [{ partition: 2, offset: '9', metadata: null }], [ends[2]]).partitions[0].lag,
    ).toBe(0);
  });

  it("gives a merge partition the lowest of its sources' watermarks, null while any is unknown", () => {
    const progress = topicProgress(
      'partials',
      'merge',
      [
        {
          partition: 0,
          offset: '5',
          metadata: encodeMergeCheckpoint({ resumeAt: 5, sourceWatermarks: [300, 100, 200] }),
        },
        { partition: 1, offset: '5', metadata: encodeMergeCheckpoint({ resumeAt: 5, sourceWatermarks: [300, null] }) },
        // A first-stage checkpoint is not a merge checkpoint.
        { partition: 2, offset: '5', metadata: encodeCheckpoint({ resumeAt: 5, watermarkMs: 1, maxEventTimeMs: 2 }) },
      ],
      ends,
    );
    expect(progress.partitions.map((p) => [p.watermarkMs, p.sourceWatermarksMs])).toEqual([
      [100, [300, 100, 200]],
      [null, [300, null]],
      [null, []],
    ]);
    expect(mergeWatermark([])).toBeNull();
  });
});

describe('memberViews and overview', () => {
  it('names members, strips the slash from the host, and adds up the totals', () => {
    const members = memberViews([
      { memberId: 'm-2', clientId: 'windowpane', clientHost: '/10.0.0.2', memberAssignment: Buffer.alloc(0) },
      {
        memberId: 'm-1',
        clientId: 'windowpane',
        clientHost: '/127.0.0.1',
        memberAssignment: AssignerProtocol.MemberAssignment.encode({
          version: 0,
          assignment: { in: [0] },
          userData: Buffer.alloc(0),
        }),
      },
    ]);
    expect(members).toEqual([
      { memberId: 'm-1', clientId: 'windowpane', host: '127.0.0.1', assignment: [{ topic: 'in', partitions: [0] }] },
      { memberId: 'm-2', clientId: 'windowpane', host: '10.0.0.2', assignment: null },
    ]);
    const input = {
      topic: 'in',
      lag: 7,
      partitions: [
        { partition: 0, committed: 1, end: 5, lag: 4, watermarkMs: 2_000 },
        { partition: 1, committed: 1, end: 4, lag: 3, watermarkMs: 1_000 },
        { partition: 2, committed: null, end: 0, lag: 0, watermarkMs: null },
      ],
    };
    const partials = { topic: 'p', lag: 5, partitions: [] };
    const o = overview({ at: 1, groupId: 'g', state: 'Stable', input, partials, members, counters: null });
    expect(o.totals).toEqual({ lag: 12, members: 2, lowestWatermarkMs: 1_000 });
    expect(
      overview({
        at: 1,
        groupId: 'g',
        state: 'Empty',
        input: { ...input, partitions: [], lag: 0 },
        partials: null,
        members: [],
        counters: null,
      }).totals,
    ).toEqual({ lag: 0, members: 0, lowestWatermarkMs: null });
  });
});
