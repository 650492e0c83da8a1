/** `?limit=`: how many items a list answers. */
import { z } from 'zod';

/** A whole number from 1 to `max`; absent, the route's default. */
export function limitParam(max: number) {
  return z
    .string()
    .regex(/^\d+$/, 'must be a whole number')
    .transform(Number)
    .refine((n) => n >= 1 && n <= max, `must be between 1 and ${max}`)
    .optional();
}

/** The query of a newest-first list (GET /api/dead-letters, /api/late, /api/alerts). */
export const listLimitQuerySchema = z.strictObject({ limit: limitParam(500) });
