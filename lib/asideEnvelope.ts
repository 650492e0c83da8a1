/**
 * A record the first stage sets aside (dead letters, late readings): the input record's key and
 * value as they were, and headers saying why and where it was read from. Written by
 * lib/stages/partitionStage.ts; read by the Operations pages (lib/operations/asideRecord.ts) and by
 * the verifier, which finds the input record of each late reading from them.
 */

export const ASIDE_HEADERS = {
  reason: 'windowpane-reason',
  topic: 'windowpane-topic',
  partition: 'windowpane-partition',
  offset: 'windowpane-offset',
} as const;

/**
 * How the reason of a valid reading refused for MAX_SENSORS starts (the rest says the limit): the
 * verifier leaves these out of the windows it expects, as it leaves out invalid records.
 */
export const TOO_MANY_SENSORS = 'too_many_sensors';

/** Where a record set aside was read from. */
export interface AsideSource {
  topic: string;
  partition: number;
  offset: number;
}

/** kafkajs' header values: bytes, text, or a list when a header repeats (the first is taken). */
export type HeaderValue = Uint8Array | string | (Uint8Array | string)[] | undefined;

/** A record set aside, as read back: null fields where a header is missing or is not one the stage writes. */
export interface AsideEnvelope<B> {
  key: B | null;
  value: B | null;
  reason: string | null;
  source: { topic: string | null; partition: number | null; offset: string | null };
}

export function encodeAside<B>(
  record: { key: B | null; value: B | null },
  reason: string,
  source: AsideSource,
): { key: B | null; value: B | null; headers: Record<string, string> } {
  return {
    key: record.key,
    value: record.value,
    headers: {
      [ASIDE_HEADERS.reason]: reason,
      [ASIDE_HEADERS.topic]: source.topic,
      [ASIDE_HEADERS.partition]: String(source.partition),
      [ASIDE_HEADERS.offset]: String(source.offset),
    },
  };
}

export function decodeAside<B>(record: {
  key: B | null;
  value: B | null;
  headers?: Record<string, HeaderValue>;
}): AsideEnvelope<B> {
  const h = record.headers ?? {};
  const offset = headerText(h[ASIDE_HEADERS.offset]);
  return {
    key: record.key,
    value: record.value,
    reason: headerText(h[ASIDE_HEADERS.reason]),
    source: {
      topic: headerText(h[ASIDE_HEADERS.topic]),
      partition: wholeNumber(headerText(h[ASIDE_HEADERS.partition])),
      offset: offset !== null && /^\d{1,19}$/.test(offset) ? offset : null,
    },
  };
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** A header's text; null when it is missing or not valid UTF-8. */
export function headerText(value: HeaderValue): string | null {
  const first = Array.isArray(value) ? value[0] : value;
  if (first === undefined) return null;
  if (typeof first === 'string') return first;
  try {
    return utf8.decode(first);
  } catch {
    return null;
  }
}

const wholeNumber = (text: string | null): number | null =>
  text !== null && /^\d{1,10}$/.test(text) ? Number(text) : null;
