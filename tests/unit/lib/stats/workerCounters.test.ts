import { describe, expect, it } from 'vitest';
import { DEAD_LETTER_REASONS, WorkerCounters } from '../../../../lib/stats/workerCounters';

describe('WorkerCounters', () => {
  it('counts late readings per sensor for at most maxSensors sensors, a known one always', () => {
    const counters = new WorkerCounters(2);
    for (const id of ['a', 'b', 'c', 'a', 'd']) counters.countLate(id);
    expect(Object.fromEntries(counters.lateBySensor)).toEqual({ a: 2, b: 1 });
    expect([counters.late, counters.lateUntracked]).toEqual([5, 2]);
    const other = new WorkerCounters(2);
    other.countLate('e');
    const total = WorkerCounters.sum([counters, other], 2);
    expect(total.lateBySensor.size).toBe(2);
    expect([total.late, total.lateUntracked]).toEqual([6, 3]);
  });

  it('has too_many_sensors among the dead-letter reasons, counted like the others', () => {
    expect(DEAD_LETTER_REASONS).toContain('too_many_sensors');
    const counters = new WorkerCounters();
    counters.countDeadLetter('too_many_sensors');
    counters.countDeadLetter('not_json');
    expect(counters.deadLettered).toBe(2);
  });
});
