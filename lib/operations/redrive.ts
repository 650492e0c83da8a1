/**
 * Redrive rules, pure: which dead letters of a request may go back to the input topic, and the
 * record that remembers each redrive in the compacted redrive topic (keyed by
 * `<dlq topic>/<partition>/<offset>`, so the latest redrive of a dead letter is what compaction
 * keeps). A request is all or nothing, as it is one Kafka transaction: if any record is refused,
 * none is sent, and the answer says which and why.
 */
import { z } from 'zod';
import type { RedriveRequest, RedriveResult } from '../contract';
import { parseRecord } from '../parseRecord';

export function redriveKey(dlqTopic: string, partition: number, offset: string): string {
  return `${dlqTopic}/${partition}/${offset}`;
}

const redriveEntrySchema = z.object({
  v: z.literal(1),
  at: z.number(),
  dlq: z.object({ topic: z.string(), partition: z.number().int().nonnegative(), offset: z.string() }),
  to: z.object({ topic: z.string(), partition: z.number().int(), offset: z.string() }).nullable(),
  replaced: z.boolean(),
  /** How many times this dead letter has been redriven. */
  times: z.number().int().positive(),
});
export type RedriveEntry = z.infer<typeof redriveEntrySchema>;

export function encodeRedriveEntry(entry: RedriveEntry): string {
  return JSON.stringify(entry);
}

/** Null for anything that is not a redrive record (a tombstone, another writer's record). */
export function decodeRedriveEntry(value: Uint8Array | null): RedriveEntry | null {
  const parsed = parseRecord(value, redriveEntrySchema);
  return parsed.ok ? parsed.value : null;
}

/** What the dead-letter topic holds at a requested offset. */
export interface DeadLetter {
  key: Buffer | null;
  value: Buffer | null;
}

export interface RedriveSend {
  index: number;
  partition: number;
  offset: string;
  key: Buffer | null;
  value: Buffer | null;
  replaced: boolean;
  /** This dead letter's earlier redrive, when it is sent again. */
  previous: RedriveEntry | undefined;
}

export type RedrivePlan =
  { ok: true; sends: RedriveSend[] } | { ok: false; status: 404 | 409; error: string; results: RedriveResult[] };

/**
 * `found(partition, offset)`: the dead letter, or undefined when the topic has no committed record
 * there. `redriven(key)`: its last redrive, read from the redrive topic after this redriver has
 * fenced any other (server/web/operations/redriver.ts), so no redrive can be missing from it.
 */
export function planRedrive(
  request: RedriveRequest,
  dlqTopic: string,
  found: (partition: number, offset: string) => DeadLetter | undefined,
  redriven: (key: string) => RedriveEntry | undefined,
): RedrivePlan {
  const refusals = new Map<number, { status: 404 | 409; reason: string }>();
  const sends: RedriveSend[] = [];
  request.records.forEach((r, index) => {
    const name = redriveKey(dlqTopic, r.partition, r.offset);
    const previous = redriven(name);
    if (previous && !request.again) {
      refusals.set(index, {
        status: 409,
        reason: `${name} was already redriven at ${new Date(previous.at).toISOString()}; send "again": true to redrive it again`,
      });
      return;
    }
    const letter = found(r.partition, r.offset);
    if (!letter) {
      refusals.set(index, {
        status: 404,
        reason: `${name} is not a record of the dead-letter topic (no committed record at that partition and offset)`,
      });
      return;
    }
    const replaced = r.value !== undefined;
    sends.push({
      index,
      partition: r.partition,
      offset: r.offset,
      key: letter.key,
      value: replaced ? Buffer.from(r.value!, 'utf8') : letter.value,
      replaced,
      previous,
    });
  });
  if (refusals.size === 0) return { ok: true, sends };
  // 409 wins: the records exist, the operator only has to confirm sending them again.
  const status = [...refusals.values()].some((r) => r.status === 409) ? 409 : 404;
  const results: RedriveResult[] = request.records.map((r, index) => ({
    partition: r.partition,
    offset: r.offset,
    status: 'refused',
    reason:
      refusals.get(index)?.reason ??
      'not redriven: another record of this request was refused, and a request is all or nothing',
  }));
  const error = [...refusals].map(([index, r]) => `records.${index}: ${r.reason}`).join('; ');
  return { ok: false, status, error, results };
}
