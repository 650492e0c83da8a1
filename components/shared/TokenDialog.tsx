'use client';
/**
 * Asks for a token in a modal dialog when the server refuses a request without one (401): the read
 * token where reads need one, the control token for controls (it opens reads too); on the dashboard
 * and on /operations. The token is kept for this browser tab only (sessionStorage, in controlToken.ts).
 */
import { useState } from 'react';
import { setTokenAsker } from '@/components/shared/controlToken';
import { useAskDialog } from '@/components/shared/useAskDialog';

export function TokenDialog() {
  const { dialog, question: message, answer } = useAskDialog<string, string | null>(setTokenAsker);
  const [token, setToken] = useState('');

  const finish = (value: string | null) => {
    answer(value);
    setToken(''); // the next question starts empty
  };

  return (
    <dialog
      ref={dialog}
      className="modal-dialog"
      aria-labelledby="token-title"
      onCancel={() => finish(null)}
      data-testid="token-dialog"
    >
      <form
        method="dialog"
        onSubmit={(e) => {
          e.preventDefault();
          finish(token);
        }}
      >
        <h2 id="token-title">Token needed</h2>
        <p>{message}</p>
        <label>
          Read or control token
          <input
            type="password"
            autoComplete="off"
            value={token}
            onChange={(e) => setToken(e.target.value)}
            autoFocus
            data-testid="token-input"
          />
        </label>
        <div className="dialog-actions">
          <button type="button" onClick={() => finish(null)}>
            Cancel
          </button>
          <button type="submit" className="primary">
            Use token
          </button>
        </div>
      </form>
    </dialog>
  );
}
