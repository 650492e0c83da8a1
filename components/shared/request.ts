/**
 * The one way the browser calls the API. An answer always comes back as a result, never a throw:
 * the data, or a failure with the HTTP status (0: no answer at all) and one wording of what went
 * wrong (the server's own error text when it sent one, else what the browser saw), for the caller
 * to put in its sentence. Every request carries the token held (controlToken.ts); a 401 asks for
 * one in the page's token dialog and tries once more.
 */
import { askForToken, forgetToken, savedToken } from '@/components/shared/controlToken';

export interface RequestFailure {
  ok: false;
  /** The HTTP status, or 0 when the server could not be reached (or the request was aborted). */
  status: number;
  /** A clause without a final stop: the server's `error`, or what happened instead. */
  message: string;
  /** True when `message` is the server's own words. */
  fromServer: boolean;
  /** The answer's JSON body, if any: a refused redrive still says what became of each record. */
  body: unknown;
}

export type RequestResult<T> = { ok: true; data: T } | RequestFailure;

interface RequestOptions {
  /** Sent as JSON. */
  body?: unknown;
  signal?: AbortSignal;
}

export async function request<T>(
  method: string,
  path: string,
  options: RequestOptions = {},
): Promise<RequestResult<T>> {
  const token = savedToken();
  const answer = await send<T>(method, path, options, token);
  if (answer.ok || answer.status !== 401) return answer;
  // Refused a read, the token sent (if any) is wrong or stale: forget it. Refused a control, it may
  // still be a good read token: kept unless the user gives another. Ask, and try once more.
  if (method === 'GET') forgetToken(token);
  if (!(await askForToken(answer.message, { read: method === 'GET' }))) return answer;
  return send<T>(method, path, options, savedToken());
}

async function send<T>(
  method: string,
  path: string,
  { body, signal }: RequestOptions,
  token: string | null,
): Promise<RequestResult<T>> {
  const headers: Record<string, string> = {};
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (token) headers.authorization = `Bearer ${token}`;
  let res: Response;
  try {
    res = await fetch(path, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      cache: 'no-store',
      signal,
    });
  } catch (error) {
    return {
      ok: false,
      status: 0,
      message: `the server could not be reached (${(error as Error).message})`,
      fromServer: false,
      body: null,
    };
  }
  const data: unknown = await res.json().catch(() => null);
  if (res.ok) return { ok: true, data: data as T };
  const said = (data as { error?: unknown } | null)?.error;
  return typeof said === 'string'
    ? { ok: false, status: res.status, message: said, fromServer: true, body: data }
    : {
        ok: false,
        status: res.status,
        message: `the server answered with status ${res.status}`,
        fromServer: false,
        body: data,
      };
}

/** A failure as the dashboard's forms say it: "The server refused: …." when it said why, else what happened. */
export function failureSentence(failure: RequestFailure): string {
  if (failure.fromServer) return `The server refused: ${failure.message}.`;
  return `${failure.message.charAt(0).toUpperCase()}${failure.message.slice(1)}.`;
}
