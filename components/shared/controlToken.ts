/**
 * The control token the server asks for (401), kept for this browser tab only (sessionStorage), so
 * a token given on the dashboard works on /operations and back. When a control is refused for want
 * of it, the page's token dialog (TokenDialog.tsx) is asked for one.
 */
const TOKEN_KEY = 'windowpane-control-token';

export function savedToken(): string | null {
  return typeof window === 'undefined' ? null : window.sessionStorage.getItem(TOKEN_KEY);
}

function saveToken(token: string): void {
  window.sessionStorage.setItem(TOKEN_KEY, token);
}

export function forgetToken(): void {
  if (typeof window !== 'undefined') window.sessionStorage.removeItem(TOKEN_KEY);
}

type TokenAsker = (message: string) => Promise<string | null>;
let tokenAsker: TokenAsker | null = null;

/** The page's token dialog registers itself here while it is mounted. */
export function setTokenAsker(asker: TokenAsker | null): void {
  tokenAsker = asker;
}

/** Asks the user for a token, saying why; true when one was given (and saved). */
export async function askForToken(message: string): Promise<boolean> {
  const token = tokenAsker ? (await tokenAsker(message))?.trim() : null;
  if (!token) return false;
  saveToken(token);
  return true;
}
