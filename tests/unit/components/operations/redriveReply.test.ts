/** A redrive's answer, refused or not, as the Operations view words it. */
import { describe, expect, it } from 'vitest';
import type { RedriveOutcome } from '@/lib/contract';
import { redriveReply } from '@/components/operations/operationsApi';
import { redriveSentences } from '@/components/operations/opsText';

const outcome: RedriveOutcome = {
  redriven: 0,
  refused: 1,
  results: [{ partition: 0, offset: '12', status: 'refused', reason: 'dlq/0/12 is not a dead letter' }],
};

describe('redriveReply', () => {
  it("keeps a refused redrive's outcome per record, and the server's reason", () => {
    const reply = redriveReply({
      ok: false,
      status: 409,
      message: 'records.0: dlq/0/12 is not a dead letter',
      fromServer: true,
      body: outcome,
    });
    expect(reply).toEqual({ status: 409, outcome, error: 'records.0: dlq/0/12 is not a dead letter' });
    expect(redriveSentences(reply, 'dlq')).toEqual([
      'Nothing was redriven: a redrive sends every selected record or none.',
      'dlq/0/12 was not redriven: dlq/0/12 is not a dead letter.',
    ]);
  });

  it('says why nothing was redriven when no outcome came back', () => {
    const reply = redriveReply({
      ok: false,
      status: 0,
      message: 'the server could not be reached (offline)',
      fromServer: false,
      body: null,
    });
    expect(redriveSentences(reply, 'dlq')).toEqual([
      'Nothing was redriven: the server could not be reached (offline).',
    ]);
    expect(redriveReply({ ok: true, data: { ...outcome, redriven: 1, refused: 0, results: [] } })).toMatchObject({
      status: 200,
      error: null,
    });
  });
});
