/**
 * A request a service turns down for a reason its caller can act on: the HTTP status that says
 * which kind (400 wrong, 404 unknown, 409 not here or full, 413 too large, 429 busy, 503 try
 * again) and a message that names the field. Services throw it without knowing about HTTP; the API
 * answers `{ error: message }` with `status` (server/web/http/router.ts). Anything else is a 500.
 */
export class Refusal extends Error {
  constructor(
    readonly status: number,
    message: string,
    /** For 429 and 503: when to try again (the Retry-After header). */
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
    this.name = 'Refusal';
  }
}
