'use client';
/**
 * The confirm dialog behind confirmAction (confirm.ts): a modal <dialog> (focus stays inside it,
 * Escape cancels), announced as an alert dialog with its message, Cancel focused first so that
 * Enter alone never confirms a destructive action.
 */
import { useEffect, useRef, useState } from 'react';
import { setConfirmer, type Confirmation } from '@/components/shared/confirm';

export function ConfirmDialog() {
  const dialog = useRef<HTMLDialogElement>(null);
  const [asked, setAsked] = useState<(Confirmation & { resolve(ok: boolean): void }) | null>(null);

  useEffect(() => {
    setConfirmer((confirmation) => new Promise((resolve) => setAsked({ ...confirmation, resolve })));
    return () => setConfirmer(null);
  }, []);

  useEffect(() => {
    if (asked && dialog.current && !dialog.current.open) dialog.current.showModal();
  }, [asked]);

  const answer = (ok: boolean) => {
    asked?.resolve(ok);
    setAsked(null);
    dialog.current?.close();
  };

  return (
    <dialog
      ref={dialog}
      role="alertdialog"
      className="modal-dialog"
      aria-labelledby="confirm-title"
      aria-describedby="confirm-message"
      onCancel={() => answer(false)}
      data-testid="confirm-dialog"
    >
      <form method="dialog" onSubmit={(e) => e.preventDefault()}>
        <h2 id="confirm-title">{asked?.title}</h2>
        <p id="confirm-message">{asked?.message}</p>
        <div className="dialog-actions">
          <button type="button" onClick={() => answer(false)} autoFocus data-testid="confirm-cancel">
            Cancel
          </button>
          <button type="button" className="primary" onClick={() => answer(true)} data-testid="confirm-button">
            {asked?.action}
          </button>
        </div>
      </form>
    </dialog>
  );
}
