/**
 * The hot path's reader of a reading's bytes: a flat JSON object whose values are numbers or
 * plain ASCII strings, scanned straight from the Buffer without building a string or an object
 * per record. Anything else (escapes, non-ASCII, nesting, true/false/null, malformed JSON)
 * returns false, and the caller falls back to JSON.parse, so results never differ from it:
 * on success the fields hold exactly what JSON.parse would have produced (last duplicate wins).
 */

export interface ScannedFields {
  id: unknown;
  time: unknown;
  value: unknown;
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COLON = 0x3a;
const COMMA = 0x2c;
const OPEN = 0x7b;
const CLOSE = 0x7d;
const MINUS = 0x2d;
const DOT = 0x2e;
const ZERO = 0x30;
const NINE = 0x39;

function isSpace(b: number): boolean {
  return b === 0x20 || b === 0x0a || b === 0x0d || b === 0x09;
}

function isDigit(b: number): boolean {
  return b >= ZERO && b <= NINE;
}

type Field = 'id' | 'time' | 'value' | null;

/** Which of the three fields the key at [start, end) names; null for any other key. */
function fieldOf(buf: Buffer, start: number, end: number): Field {
  const n = end - start;
  if (n === 2 && buf[start] === 0x69 && buf[start + 1] === 0x64) return 'id';
  if (n === 4 && buf[start] === 0x74 && buf[start + 1] === 0x69 && buf[start + 2] === 0x6d && buf[start + 3] === 0x65) return 'time';
  if (n === 5 && buf[start] === 0x76 && buf[start + 1] === 0x61 && buf[start + 2] === 0x6c && buf[start + 3] === 0x75 && buf[start + 4] === 0x65) {
    return 'value';
  }
  return null;
}

/** Fills `out` from `buf`; false when the bytes are not in the simple form (then use JSON.parse). */
export function scanReading(buf: Buffer, out: ScannedFields): boolean {
  out.id = undefined;
  out.time = undefined;
  out.value = undefined;
  const len = buf.length;
  let i = 0;
  while (i < len && isSpace(buf[i])) i++;
  if (buf[i] !== OPEN) return false;
  i++;
  while (i < len && isSpace(buf[i])) i++;
  if (buf[i] === CLOSE) {
    i++;
  } else {
    for (;;) {
      // Key
      if (buf[i] !== QUOTE) return false;
      const keyStart = ++i;
      while (i < len && buf[i] !== QUOTE) {
        const b = buf[i];
        if (b === BACKSLASH || b < 0x20 || b >= 0x80) return false;
        i++;
      }
      if (i >= len) return false;
      const field = fieldOf(buf, keyStart, i);
      i++;
      while (i < len && isSpace(buf[i])) i++;
      if (buf[i] !== COLON) return false;
      i++;
      while (i < len && isSpace(buf[i])) i++;
      // Value: a string or a number, nothing else.
      let parsed: string | number;
      const b0 = buf[i];
      if (b0 === QUOTE) {
        const start = ++i;
        while (i < len && buf[i] !== QUOTE) {
          const b = buf[i];
          if (b === BACKSLASH || b < 0x20 || b >= 0x80) return false;
          i++;
        }
        if (i >= len) return false;
        parsed = buf.toString('latin1', start, i);
        i++;
      } else if (b0 === MINUS || isDigit(b0)) {
        const start = i;
        if (buf[i] === MINUS) i++;
        // JSON numbers: -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?
        if (buf[i] === ZERO) i++;
        else if (isDigit(buf[i])) while (i < len && isDigit(buf[i])) i++;
        else return false;
        const intEnd = i;
        let simple = true;
        if (buf[i] === DOT) {
          simple = false;
          i++;
          if (!isDigit(buf[i])) return false;
          while (i < len && isDigit(buf[i])) i++;
        }
        if (buf[i] === 0x65 || buf[i] === 0x45) {
          simple = false;
          i++;
          if (buf[i] === 0x2b || buf[i] === MINUS) i++;
          if (!isDigit(buf[i])) return false;
          while (i < len && isDigit(buf[i])) i++;
        }
        const negative = buf[start] === MINUS;
        const digits = intEnd - start - (negative ? 1 : 0);
        if (simple && digits <= 15) {
          // Exact in a double: no string needed.
          let n = 0;
          for (let k = intEnd - digits; k < intEnd; k++) n = n * 10 + (buf[k] - ZERO);
          parsed = negative ? -n : n;
        } else {
          parsed = Number(buf.toString('latin1', start, i));
        }
      } else {
        return false;
      }
      if (field !== null) out[field] = parsed;
      while (i < len && isSpace(buf[i])) i++;
      if (buf[i] === COMMA) {
        i++;
        while (i < len && isSpace(buf[i])) i++;
        continue;
      }
      if (buf[i] === CLOSE) {
        i++;
        break;
      }
      return false;
    }
  }
  while (i < len && isSpace(buf[i])) i++;
  return i === len;
}
