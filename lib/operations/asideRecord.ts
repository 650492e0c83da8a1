/**
 * How a record of the dead-letter or late topic is shown: its headers decoded (lib/asideEnvelope.ts),
 * key and value as text when they are valid UTF-8 and as base64 when not, so any bytes travel safely
 * in JSON and the page never has to guess. Pure; the server hands in what kafkajs consumed.
 */
import { decodeAside, type HeaderValue } from '../asideEnvelope';
import type { AsideRecordView, BytesView } from '../contract';

export interface ConsumedRecord {
  offset: string;
  timestamp: string;
  key: Uint8Array | null;
  value: Uint8Array | null;
  headers?: Record<string, HeaderValue>;
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * `maxBytes`: only this much is shown (a dead letter may be 1 MiB); cut at a character boundary
 * when the bytes are text, so a cut never turns valid UTF-8 into invalid. What is kept is a copy
 * of the shown part, never a view of `bytes`: a view (a string sliced from it, a subarray) would
 * hold the whole record's buffer in memory for as long as the view is kept.
 */
export function bytesView(bytes: Uint8Array | null, maxBytes: number): BytesView | null {
  if (bytes === null) return null;
  const truncated = bytes.length > maxBytes;
  try {
    const text = utf8.decode(bytes);
    // V8 may keep a sliced string as a view of the whole one: flatten the cut into a string of its own.
    const data = truncated ? copyOfText(cutText(text, maxBytes)) : text;
    return { encoding: 'utf8', data, bytes: bytes.length, truncated };
  } catch {
    const shown = truncated ? bytes.subarray(0, maxBytes) : bytes;
    return {
      encoding: 'base64',
      data: Buffer.from(shown).toString('base64'),
      bytes: bytes.length,
      truncated,
    };
  }
}

/** The text in a string of its own, so it holds no reference to the longer string it was cut from. */
function copyOfText(text: string): string {
  return Buffer.from(text, 'utf8').toString('utf8');
}

/** The longest prefix of `text` whose UTF-8 encoding fits in `maxBytes`. */
function cutText(text: string, maxBytes: number): string {
  let bytes = 0;
  let end = 0;
  for (const ch of text) {
    const size = Buffer.byteLength(ch, 'utf8');
    if (bytes + size > maxBytes) break;
    bytes += size;
    end += ch.length;
  }
  return text.slice(0, end);
}

export function asideRecordView(
  topic: string,
  partition: number,
  record: ConsumedRecord,
  maxBytes: number,
): AsideRecordView {
  const { key, value, reason, source } = decodeAside(record);
  return {
    topic,
    partition,
    offset: record.offset,
    timestamp: Number(record.timestamp),
    reason,
    source,
    key: bytesView(key, maxBytes),
    value: bytesView(value, maxBytes),
  };
}
