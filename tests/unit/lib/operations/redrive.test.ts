import { describe, expect, it } from 'vitest';
import { describeIssues, redriveRequestSchema, type RedriveRequest } from '../../../../lib/contract';
import {
  decodeRedriveEntry,
  encodeRedriveEntry,
  planRedrive,
  redriveKey,
  type RedriveEntry,
} from '../../../../lib/operations/redrive';

const letters = new Map([
  ['0/5', { key: Buffer.from('k5'), value: Buffer.from('bad 5') }],
  ['0/9', { key: null, value: null }],
]);
const found = (partition: number, offset: string) => letters.get(`${partition}/${offset}`);
const entry: RedriveEntry = {
  v: 1,
  at: Date.UTC(2026, 0, 2, 3, 4, 5),
  dlq: { topic: 'dlq', partition: 0, offset: '5' },
  to: { topic: 'in', partition: 2, offset: '77' },
  replaced: false,
  times: 1,
};

describe('planRedrive', () => {
  it('sends the original bytes, or the replacement when one is given', () => {
    const plan = planRedrive(
      {
        records: [
          { partition: 0, offset: '5' },
          { partition: 0, offset: '9', value: '{"id":1}' },
        ],
      },
      'dlq',
      found,
      () => undefined,
    );
    expect(plan).toEqual({
      ok: true,
      sends: [
        {
          index: 0,
          partition: 0,
          offset: '5',
          key: Buffer.from('k5'),
          value: Buffer.from('bad 5'),
          replaced: false,
          previous: undefined,
        },
        {
          index: 1,
          partition: 0,
          offset: '9',
          key: null,
          value: Buffer.from('{"id":1}'),
          replaced: true,
          previous: undefined,
        },
      ],
    });
  });

  it('refuses the whole request with 409 when a record was redriven before, naming it', () => {
    const plan = planRedrive(
      {
        records: [
          { partition: 0, offset: '9' },
          { partition: 0, offset: '5' },
        ],
      },
      'dlq',
      found,
      (key) => (key === 'dlq/0/5' ? entry : undefined),
    );
    expect(plan).toMatchObject({ ok: false, status: 409 });
    if (plan.ok) throw new Error('unreachable');
    expect(plan.error).toBe(
      'records.1: dlq/0/5 was already redriven at 2026-01-02T03:04:05.000Z; send "again": true to redrive it again',
    );
    expect(plan.results.map((r) => r.status)).toEqual(['refused', 'refused']);
    expect(plan.results[0]).toMatchObject({ reason: expect.stringContaining('all or nothing') });
  });

  it('sends it again when asked, remembering the earlier redrive', () => {
    const plan = planRedrive({ records: [{ partition: 0, offset: '5' }], again: true }, 'dlq', found, () => entry);
    expect(plan).toMatchObject({ ok: true, sends: [{ offset: '5', previous: entry }] });
  });

  it('refuses with 404 an offset the dead-letter topic has no record at', () => {
    const plan = planRedrive({ records: [{ partition: 3, offset: '1' }] }, 'dlq', found, () => undefined);
    expect(plan).toMatchObject({
      ok: false,
      status: 404,
      error:
        'records.0: dlq/3/1 is not a record of the dead-letter topic (no committed record at that partition and offset)',
    });
  });
});

describe('redrive entries', () => {
  it('round-trip, and anything else reads as none', () => {
    expect(decodeRedriveEntry(Buffer.from(encodeRedriveEntry(entry)))).toEqual(entry);
    expect(decodeRedriveEntry(null)).toBeNull();
    expect(decodeRedriveEntry(Buffer.from('{"v":2}'))).toBeNull();
    expect(decodeRedriveEntry(Buffer.from('nope'))).toBeNull();
    expect(redriveKey('dlq', 0, '12')).toBe('dlq/0/12');
  });
});

describe('redriveRequestSchema', () => {
  const problem = (body: unknown) => {
    const result = redriveRequestSchema.safeParse(body);
    return result.success ? null : describeIssues(result.error);
  };

  it('accepts records with an optional replacement and "again"', () => {
    const body: RedriveRequest = { records: [{ partition: 0, offset: '12', value: 'fixed' }], again: true };
    expect(redriveRequestSchema.parse(body)).toEqual(body);
  });

  it.each([
    [{}, 'records: must be an array'],
    [{ records: [] }, 'records: must hold at least 1 record'],
    [
      { records: Array.from({ length: 101 }, (_, i) => ({ partition: 0, offset: String(i) })) },
      'records: must hold at most 100 records',
    ],
    [{ records: [{ partition: 0, offset: 12 }] }, 'records.0.offset: must be a string of digits'],
    [{ records: [{ partition: 0, offset: '-1' }] }, 'records.0.offset: must be a string of digits'],
    [{ records: [{ partition: -1, offset: '1' }] }, 'records.0.partition: must be 0 or more'],
    [{ records: [{ partition: 0.5, offset: '1' }] }, 'records.0.partition: must be an integer'],
    [{ records: [{ partition: 0, offset: '1', value: 5 }] }, 'records.0.value: must be a string'],
    [{ records: [{ partition: 0, offset: '1', colour: 'red' }] }, 'colour: unknown field'],
    [{ records: [{ partition: 0, offset: '1' }], again: 'yes' }, 'again: must be true or false'],
    [
      {
        records: [
          { partition: 0, offset: '1' },
          { partition: 0, offset: '1' },
        ],
      },
      'records.1: repeats partition 0 offset 1',
    ],
  ])('refuses %j: %s', (body, message) => {
    expect(problem(body)).toBe(message);
  });
});
