import { describe, expect, it } from 'vitest';
import { InputCursor } from '../../../../lib/stages/inputCursor';

const batch = (...offsets: number[]) => offsets.map((o) => ({ offset: String(o) }));

describe('the input cursor', () => {
  it('starts at the beginning when nothing was committed, and processes from there', () => {
    const cursor = new InputCursor();
    cursor.restart(null, 0);
    expect(cursor.readUpTo).toBe(0);
    expect(cursor.replaying).toBe(false);
    expect([0, 1, 2].map((o) => cursor.take(o))).toEqual(['process', 'process', 'process']);
    expect(cursor.readUpTo).toBe(3);
  });

  it('replays what was processed before the restart, then processes', () => {
    const cursor = new InputCursor();
    cursor.restart(10, 13);
    expect(cursor.replaying).toBe(true);
    const roles = [10, 11, 12, 13, 14].map((o) => cursor.take(o));
    expect(roles).toEqual(['replay', 'replay', 'replay', 'process', 'process']);
    expect(cursor.replaying).toBe(false);
    expect(cursor.readUpTo).toBe(15);
  });

  it('skips records of a fetch from before the start, and records it has taken in already', () => {
    const cursor = new InputCursor();
    cursor.restart(10, 0);
    expect(cursor.take(9)).toBe('skip');
    expect(cursor.readUpTo).toBe(10);
    expect(cursor.take(10)).toBe('process');
    expect(cursor.take(10)).toBe('skip');
    expect(cursor.take(12)).toBe('process');
    expect(cursor.take(11)).toBe('skip');
    expect(cursor.readUpTo).toBe(13);
  });

  it('moves past transaction markers only when the batch was taken in to its last record', () => {
    const cursor = new InputCursor();
    cursor.restart(0, 0);
    const records = batch(0, 1);
    for (const { offset } of records) cursor.take(Number(offset));
    cursor.passMarkers(records, 4);
    expect(cursor.readUpTo).toBe(4);

    // A batch whose records were all behind: it did not continue from here, so nothing is passed.
    const stale = batch(1, 2);
    for (const { offset } of stale) cursor.take(Number(offset));
    cursor.passMarkers(stale, 9);
    expect(cursor.readUpTo).toBe(4);

    // No batch end known, or an empty batch: nothing to pass.
    cursor.take(4);
    cursor.passMarkers(batch(4), undefined);
    cursor.passMarkers([], 9);
    expect(cursor.readUpTo).toBe(5);
    // Never backwards.
    cursor.passMarkers(batch(4), 3);
    expect(cursor.readUpTo).toBe(5);
  });

  it("commits the oldest open window's first record as where to replay from, else where it is", () => {
    const cursor = new InputCursor();
    cursor.restart(5, 0);
    cursor.take(5);
    cursor.take(6);
    expect(cursor.replayFrom(5)).toBe(5);
    expect(cursor.replayFrom(null)).toBe(7);
  });

  it('restarts cleanly: a new start forgets the old position', () => {
    const cursor = new InputCursor();
    cursor.restart(0, 0);
    cursor.take(0);
    cursor.take(1);
    cursor.restart(1, 2);
    expect(cursor.readUpTo).toBe(1);
    expect(cursor.replayUntil).toBe(2);
    expect(cursor.take(1)).toBe('replay');
    expect(cursor.take(2)).toBe('process');
  });
});
