/**
 * Asks the user to confirm a destructive or far-reaching action (delete a rule, stop the simulator,
 * redrive dead letters, change the window size for every worker) in the page's confirm dialog
 * (ConfirmDialog.tsx), instead of window.confirm, which cannot be styled, labelled or tested.
 */
export interface Confirmation {
  title: string;
  /** One or two sentences: what will happen, to what. */
  message: string;
  /** The confirming button's words, e.g. "Delete rule". */
  action: string;
}

type Confirmer = (confirmation: Confirmation) => Promise<boolean>;
let confirmer: Confirmer | null = null;

/** The page's confirm dialog registers itself here while it is mounted. */
export function setConfirmer(next: Confirmer | null): void {
  confirmer = next;
}

/** True when the user confirmed; false when they cancelled, or no dialog is there to ask. */
export function confirmAction(confirmation: Confirmation): Promise<boolean> {
  return confirmer ? confirmer(confirmation) : Promise.resolve(false);
}
