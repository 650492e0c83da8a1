'use client';
/**
 * A form's sending state, the same for every form: busy while its request runs (its button is
 * disabled meanwhile), then the failure as a sentence, or no error. `busyWith` names what is being
 * sent when one form sends for one of several items (a rule's Delete button).
 */
import { useCallback, useState } from 'react';
import { failureSentence, type RequestFailure, type RequestResult } from '@/components/shared/request';

export interface SubmitState {
  busyWith: string | null;
  error: string;
}

/** How a form says a failure; null when the form says it itself (a redrive's outcome). */
type Explain = ((failure: RequestFailure) => string) | null;

const IDLE: SubmitState = { busyWith: null, error: '' };

/** One send, with the state around it told to `update`: the pure part of useSubmit. */
export async function trackSubmit<T>(
  send: () => Promise<RequestResult<T>>,
  what: string,
  explain: Explain,
  update: (state: SubmitState) => void,
): Promise<RequestResult<T>> {
  update({ busyWith: what, error: '' });
  const result = await send();
  update({ busyWith: null, error: !result.ok && explain ? explain(result) : '' });
  return result;
}

interface Submit extends SubmitState {
  busy: boolean;
  /** For what the form finds wrong before sending, and to clear the error as the user types. */
  setError(error: string): void;
  /** Sends, and returns the result for the form to act on. */
  submit<T>(send: () => Promise<RequestResult<T>>, what?: string): Promise<RequestResult<T>>;
}

export function useSubmit(explain: Explain = failureSentence): Submit {
  const [state, setState] = useState<SubmitState>(IDLE);
  const setError = useCallback((error: string) => setState((s) => (s.error === error ? s : { ...s, error })), []);
  const submit = useCallback(
    <T>(send: () => Promise<RequestResult<T>>, what = 'form') => trackSubmit(send, what, explain, setState),
    [explain],
  );
  return { ...state, busy: state.busyWith !== null, setError, submit };
}
