/**
 * Words and text for the Operations view, pure so they are unit-tested: how far behind a
 * watermark is, record bytes made safe to read (control characters escaped; the page renders
 * them as text, never as HTML), and a redrive's outcome in plain sentences.
 */
import type { BytesView, RedriveOutcome } from '@/lib/contract';

/** "4 s behind now", "2 min 5 s behind now", "1 h 3 min behind now"; "ahead of now" for clock skew. */
export function behindNow(watermarkMs: number | null, nowMs: number): string {
  if (watermarkMs === null) return 'no watermark yet';
  const ms = nowMs - watermarkMs;
  const words = duration(Math.abs(ms));
  return ms >= 0 ? `${words} behind now` : `${words} ahead of now`;
}

export function duration(ms: number): string {
  const s = Math.floor(ms / 1000);
  if (s < 60) return `${s} s`;
  if (s < 3_600) return `${Math.floor(s / 60)} min ${s % 60} s`;
  if (s < 86_400) return `${Math.floor(s / 3_600)} h ${Math.floor((s % 3_600) / 60)} min`;
  return `${Math.floor(s / 86_400)} d ${Math.floor((s % 86_400) / 3_600)} h`;
}

const ESCAPES: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t', '\\': '\\\\' };
// Control and invisible formatting characters, and the backslash: exactly what is written as an escape.
// eslint-disable-next-line no-control-regex
const UNSAFE_CHARACTERS = /[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff\\]/g;

/**
 * Bytes as readable text: valid UTF-8 with control and invisible formatting characters written
 * as escapes (so a record holding a newline or a right-to-left override cannot disguise itself),
 * or the base64 the server sent. `note` says what the reader is looking at.
 */
export function printable(view: BytesView | null): { text: string; note: string | null } {
  if (view === null) return { text: '', note: 'null' };
  const cut = view.truncated ? `first part of ${view.bytes} bytes` : null;
  if (view.encoding === 'base64')
    return { text: view.data, note: ['not valid UTF-8, shown as base64', cut].filter(Boolean).join('; ') };
  const text = view.data.replace(
    UNSAFE_CHARACTERS,
    (ch) => ESCAPES[ch] ?? `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
  return { text, note: view.bytes === 0 ? 'empty' : cut };
}

/** Characters of a key or value shown in its table cell before "show all". */
const PREVIEW_CHARACTERS = 160;

/**
 * The start of a printable text for its table cell: up to its first line break (shown as `\n`) or
 * PREVIEW_CHARACTERS, whichever comes first. A 900 000-byte dead letter otherwise fills the page
 * with 8 KiB of wrapped text.
 */
export function preview(text: string): { start: string; more: boolean } {
  const lineBreak = text.indexOf('\\n');
  const end = Math.min(lineBreak === -1 ? text.length : lineBreak, PREVIEW_CHARACTERS);
  return { start: text.slice(0, end), more: end < text.length };
}

export interface RedriveReply {
  status: number;
  outcome: RedriveOutcome | null;
  error: string | null;
}

/** What happened, in sentences, one per record where the server said something about it. */
export function redriveSentences(reply: RedriveReply, dlqTopic: string): string[] {
  const { outcome, status } = reply;
  if (!outcome || outcome.results.length === 0) {
    if (status === 200) return ['The redrive is done.'];
    const error = reply.error ?? outcome?.error ?? `the server answered with status ${status}`;
    // The server's own "redrive: …" messages already say what happened.
    return [
      error.startsWith('redrive: ')
        ? `${error.charAt(9).toUpperCase()}${error.slice(10)}.`
        : `Nothing was redriven: ${error}.`,
    ];
  }
  const name = (r: { partition: number; offset: string }) => `${dlqTopic}/${r.partition}/${r.offset}`;
  const sentences: string[] = [];
  if (outcome.redriven > 0)
    sentences.push(
      `${outcome.redriven} ${outcome.redriven === 1 ? 'record was' : 'records were'} sent back to the input topic.`,
    );
  else sentences.push('Nothing was redriven: a redrive sends every selected record or none.');
  for (const r of outcome.results) {
    if (r.status === 'redriven') {
      const where = r.to ? ` to ${r.to.topic} partition ${r.to.partition} at offset ${r.to.offset}` : '';
      sentences.push(
        `${name(r)} was redriven${where} with ${r.replaced ? 'your replacement value' : 'its original value'}.`,
      );
    } else {
      sentences.push(
        `${name(r)} was not redriven: ${r.reason.replace(/; send "again": true to redrive it again$/, '; tick “Send again” to redrive it anyway')}.`,
      );
    }
  }
  return sentences;
}
