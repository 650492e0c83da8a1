import { describe, expect, it } from 'vitest';
import { ReadContinuity } from '../../../../lib/stages/readContinuity';

describe('ReadContinuity', () => {
  it('takes batches from the position or before it', () => {
    const c = new ReadContinuity();
    expect([c.check('in/0', 10, 10), c.check('in/0', 4, 10)]).toEqual(['take', 'take']);
  });

  it('reads again from the position when a batch starts further on (fetched before a seek), once', () => {
    const c = new ReadContinuity();
    expect(c.check('in/0', 60, 10)).toBe('reread');
    expect(c.check('in/0', 10, 10)).toBe('take'); // the records in between arrive
    expect(c.check('in/0', 90, 30)).toBe('reread'); // a new gap, from a new position
  });

  it('takes a batch that still starts further on after reading again: only markers or deleted records lie between', () => {
    const c = new ReadContinuity();
    expect(c.check('in/1', 12, 10)).toBe('reread');
    expect(c.check('in/1', 12, 10)).toBe('take-after-gap');
    expect(c.check('in/1', 14, 10)).toBe('reread'); // the next time is judged afresh
  });
});
