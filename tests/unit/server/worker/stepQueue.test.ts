import { describe, expect, it } from 'vitest';
import { StepQueue } from '../../../../server/worker/stepQueue';

describe('StepQueue', () => {
  it('runs steps one at a time in order', async () => {
    const order: string[] = [];
    const q = new StepQueue(() => undefined);
    const slow = q.enqueue(async () => {
      await new Promise((r) => setTimeout(r, 20));
      order.push('a');
    });
    const fast = q.enqueue(async () => void order.push('b'));
    await Promise.all([slow, fast]);
    expect(order).toEqual(['a', 'b']);
  });

  it('stops at the first failure, reports it once and skips what was queued after it', async () => {
    const failures: string[] = [];
    const ran: string[] = [];
    const q = new StepQueue((e) => failures.push(e.message));
    const failing = q.enqueue(async () => {
      throw new Error('broker gone');
    });
    const after = q.enqueue(async () => void ran.push('after'));
    await expect(failing).rejects.toThrow('broker gone');
    await after;
    expect(failures).toEqual(['broker gone']);
    expect(ran).toEqual([]);
    await q.enqueue(async () => void ran.push('later'));
    expect(ran).toEqual([]); // stopped for good
  });

  it('close waits for the step in progress and runs nothing later', async () => {
    const ran: string[] = [];
    const q = new StepQueue(() => undefined);
    void q.enqueue(async () => {
      await new Promise((r) => setTimeout(r, 20));
      ran.push('in progress');
    });
    void q.enqueue(async () => void ran.push('queued, not started'));
    await new Promise((r) => setTimeout(r, 5)); // the first step is under way
    await q.close();
    await q.enqueue(async () => void ran.push('too late'));
    expect(ran).toEqual(['in progress']);
  });
});
