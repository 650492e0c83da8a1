/** The Operations view: GET /api/operations, /api/dead-letters, /api/late; POST /api/dead-letters/redrive. */
import { z } from 'zod';

/** One partition the worker group consumes: where the group is, where the log ends, and its watermark. */
export interface PartitionProgress {
  partition: number;
  /** The group's committed offset; null when it has committed nothing here. */
  committed: number | null;
  /** The last stable offset (what read_committed consumers can reach). */
  end: number;
  /** Records from the committed offset (or the log start) to the end. */
  lag: number;
  /** The watermark in the committed checkpoint (epoch ms); null without one. */
  watermarkMs: number | null;
  /** Merge stage only: each input partition's watermark as the checkpoint holds it. */
  sourceWatermarksMs?: (number | null)[];
}

export interface TopicProgress {
  topic: string;
  partitions: PartitionProgress[];
  /** Sum of the partitions' lag. */
  lag: number;
}

export interface GroupMemberView {
  memberId: string;
  clientId: string;
  host: string;
  /** Partitions the group gave this member; null when its assignment could not be decoded (e.g. mid-rebalance). */
  assignment: { topic: string; partitions: number[] }[] | null;
}

/** GET /api/operations */
export interface OperationsOverview {
  at: number;
  groupId: string;
  /** The group's state as the coordinator reports it (Stable, PreparingRebalance, Empty, …). */
  state: string;
  input: TopicProgress;
  /** The partials topic, when the group reads it (input not keyed by sensor). */
  partials: TopicProgress | null;
  members: GroupMemberView[];
  totals: {
    lag: number;
    members: number;
    /** Lowest input-partition watermark among the committed checkpoints. */
    lowestWatermarkMs: number | null;
  };
  /** The group's counters (as GET /api/stats); the page differences two samples for per-second rates. */
  counters: { at: number; windowsTotal: number; lateTotal: number; invalidTotal: number } | null;
}

/** Bytes as text when they are valid UTF-8, else base64. */
export interface BytesView {
  encoding: 'utf8' | 'base64';
  data: string;
  /** Size of the original bytes. */
  bytes: number;
  /** Only the first bytes are shown (the full record is in the topic, and a redrive sends all of it). */
  truncated: boolean;
}

/** A record set aside (dead letter or late reading), as GET /api/dead-letters and /api/late list it. */
export interface AsideRecordView {
  topic: string;
  partition: number;
  offset: string;
  timestamp: number;
  reason: string | null;
  /** Where the record was read from (its headers); null fields when a header is missing. */
  source: { topic: string | null; partition: number | null; offset: string | null };
  key: BytesView | null;
  value: BytesView | null;
  /** Dead letters: when this record was last redriven (epoch ms); null when never. */
  redrivenAt?: number | null;
}

export interface AsideRecordsPage {
  /** Null when the topic is turned off (LATE_TOPIC=none). */
  topic: string | null;
  /** Newest first. */
  records: AsideRecordView[];
}

const MAX_REDRIVE_RECORDS = 100;

/** The whole of one dead letter is sent up to this size (GET /api/dead-letters/<partition>/<offset>). */
export const WHOLE_DEAD_LETTER_BYTES = 8 * 1024 * 1024;

/** GET /api/dead-letters/<partition>/<offset>: where the record is, from the path. */
export const deadLetterPathSchema = z.strictObject({
  partition: z
    .string()
    .regex(/^\d{1,9}$/, 'must be a partition number')
    .transform(Number),
  offset: z.string().regex(/^\d{1,19}$/, 'must be a string of digits'),
});

/** POST /api/dead-letters/redrive body. */
export const redriveRequestSchema = z
  .strictObject({
    records: z
      .array(
        z.strictObject({
          partition: z.number({ error: 'must be a number' }).int('must be an integer').min(0, 'must be 0 or more'),
          offset: z.string({ error: 'must be a string of digits' }).regex(/^\d{1,19}$/, 'must be a string of digits'),
          /** Replaces the original value ("fixed"); the original is sent when absent. */
          value: z.string({ error: 'must be a string' }).optional(),
        }),
        { error: 'must be an array' },
      )
      .min(1, 'must hold at least 1 record')
      .max(MAX_REDRIVE_RECORDS, `must hold at most ${MAX_REDRIVE_RECORDS} records`),
    /** Redrive records even when they were redriven before. */
    again: z.boolean({ error: 'must be true or false' }).optional(),
  })
  .superRefine((body, ctx) => {
    const seen = new Set<string>();
    body.records.forEach((r, i) => {
      const id = `${r.partition}/${r.offset}`;
      if (seen.has(id)) {
        ctx.addIssue({
          code: 'custom',
          path: ['records', i],
          message: `repeats partition ${r.partition} offset ${r.offset}`,
        });
      }
      seen.add(id);
    });
  });
export type RedriveRequest = z.infer<typeof redriveRequestSchema>;

export type RedriveResult =
  | {
      partition: number;
      offset: string;
      status: 'redriven';
      replaced: boolean;
      to: { topic: string; partition: number; offset: string } | null;
    }
  | { partition: number; offset: string; status: 'refused'; reason: string };

/** POST /api/dead-letters/redrive answer: all records are redriven (200), or none is (4xx, `error` says why). */
export interface RedriveOutcome {
  error?: string;
  redriven: number;
  refused: number;
  results: RedriveResult[];
}
