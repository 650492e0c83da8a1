/**
 * The token the server asks for (401): the read token (READ_TOKEN) where reads need one, or the
 * control token, which opens reads and controls alike. Kept for this browser tab only
 * (sessionStorage), so a token given on the dashboard works on /operations and back; sent with every
 * request and in the socket.io handshake. When a request is refused for want of it, the page's
 * token dialog (TokenDialog.tsx) is asked for one: once for all the requests refused meanwhile.
 */
const TOKEN_KEY = 'windowpane-control-token';

export function savedToken(): string | null {
  return typeof window === 'undefined' ? null : window.sessionStorage.getItem(TOKEN_KEY);
}

function saveToken(token: string): void {
  window.sessionStorage.setItem(TOKEN_KEY, token);
}

/** Forgets the token held, if it is still `refused` (a request sent before a new one was given must not drop it). */
export function forgetToken(refused: string | null = savedToken()): void {
  if (typeof window !== 'undefined' && savedToken() === refused) window.sessionStorage.removeItem(TOKEN_KEY);
}

type TokenAsker = (message: string) => Promise<string | null>;
let tokenAsker: TokenAsker | null = null;
/** The dialog's answer everyone refused meanwhile waits for. */
let pending: Promise<boolean> | null = null;
/** The user dismissed the dialog: background reads (polling, the socket) do not open it again. */
let readsDeclined = false;

/** The page's token dialog registers itself here while it is mounted. */
export function setTokenAsker(asker: TokenAsker | null): void {
  tokenAsker = asker;
  pending = null;
  readsDeclined = false;
}

/**
 * Asks the user for a token, saying why; true when one was given (and saved). `read`: asked by a
 * read, which does not ask again once the user has dismissed the dialog (a control, a click, does).
 */
export function askForToken(message: string, options: { read?: boolean } = {}): Promise<boolean> {
  if (options.read && readsDeclined) return Promise.resolve(false);
  pending ??= (async () => {
    const token = tokenAsker ? (await tokenAsker(message))?.trim() : null;
    pending = null;
    readsDeclined = !token;
    if (token) saveToken(token);
    return Boolean(token);
  })();
  return pending;
}
