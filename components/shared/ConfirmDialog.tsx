'use client';
/**
 * The confirm dialog behind confirmAction (confirm.ts): a modal <dialog> (focus stays inside it,
 * Escape cancels), announced as an alert dialog with its message, Cancel focused first so that
 * Enter alone never confirms a destructive action.
 */
import { setConfirmer, type Confirmation } from '@/components/shared/confirm';
import { useAskDialog } from '@/components/shared/useAskDialog';

export function ConfirmDialog() {
  const { dialog, question: asked, answer } = useAskDialog<Confirmation, boolean>(setConfirmer);

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
