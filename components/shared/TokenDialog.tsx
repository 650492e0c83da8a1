'use client';
/**
 * Asks for the control token in a modal dialog when the server refuses a control without one
 * (401), on the dashboard and on /operations. The token is kept for this browser tab only
 * (sessionStorage, in controlToken.ts).
 */
import { useEffect, useRef, useState } from 'react';
import { setTokenAsker } from '@/components/shared/controlToken';

export function TokenDialog() {
  const dialog = useRef<HTMLDialogElement>(null);
  const [request, setRequest] = useState<{ message: string; resolve(token: string | null): void } | null>(null);
  const [token, setToken] = useState('');

  useEffect(() => {
    setTokenAsker(
      (message) =>
        new Promise((resolve) => {
          setToken('');
          setRequest({ message, resolve });
        }),
    );
    return () => setTokenAsker(null);
  }, []);

  useEffect(() => {
    if (request && dialog.current && !dialog.current.open) dialog.current.showModal();
  }, [request]);

  const finish = (value: string | null) => {
    request?.resolve(value);
    setRequest(null);
    dialog.current?.close();
  };

  return (
    <dialog
      ref={dialog}
      className="token-dialog"
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
        <h2 id="token-title">Control token needed</h2>
        <p>{request?.message}</p>
        <label>
          Control token
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
