/** Every form's busy and error state (the pure part of useSubmit). */
import { describe, expect, it } from 'vitest';
import { failureSentence, type RequestResult } from '@/components/shared/request';
import { trackSubmit, type SubmitState } from '@/components/shared/useSubmit';

describe('trackSubmit', () => {
  it('is busy with what is sent while it runs, then idle with no error', async () => {
    const states: SubmitState[] = [];
    const result = await trackSubmit(
      async () => ({ ok: true, data: 7 }) as RequestResult<number>,
      'rule-1',
      failureSentence,
      (s) => states.push(s),
    );
    expect(result).toEqual({ ok: true, data: 7 });
    expect(states).toEqual([
      { busyWith: 'rule-1', error: '' },
      { busyWith: null, error: '' },
    ]);
  });

  it('says a failure the way the form explains it, or not at all when the form says it itself', async () => {
    const failed = async (): Promise<RequestResult<number>> => ({
      ok: false,
      status: 409,
      message: 'name: taken',
      fromServer: true,
      body: null,
    });
    const states: SubmitState[] = [];
    expect(await trackSubmit(failed, 'form', failureSentence, (s) => states.push(s))).toMatchObject({
      ok: false,
      status: 409,
    });
    expect(states.at(-1)).toEqual({ busyWith: null, error: 'The server refused: name: taken.' });
    await trackSubmit(failed, 'form', null, (s) => states.push(s));
    expect(states.at(-1)).toEqual({ busyWith: null, error: '' });
  });
});
