/**
 * A validating, byte-level JSON reader for one document that reports where the values at a few
 * configured dotted paths lie, without building strings or objects per record.
 *
 * It exists because summing exact decimals needs a number's original text, which JSON.parse
 * discards (Node 20 has no source-text access). Every decision equals what
 * `JSON.parse(buf.toString('utf8'))` followed by walking the path would give: the scanner is a
 * complete RFC 8259 validator (so it can refuse exactly what JSON.parse refuses), the last of
 * duplicate keys wins, keys are compared after unescaping, and any depth of nesting works
 * (containers are tracked on an explicit stack, never by recursion).
 *
 * Byte-level structure equals string-level structure: every structural character is ASCII, and
 * UTF-8 decoding never swallows an ASCII byte into a replacement character, so invalid UTF-8
 * only ever changes the contents of strings (as U+FFFD), never whether the document parses.
 */

type TokenKind = 'missing' | 'string' | 'number' | 'true' | 'false' | 'null' | 'object' | 'array';

/** Where one path's value lies in the buffer: byte offsets [start, end) of its raw JSON token (for a string, including the quotes). */
export interface FieldToken {
  kind: TokenKind;
  start: number;
  end: number;
  /** The string token contains a backslash escape, so its bytes are not its value. */
  escaped: boolean;
}

export type ScanResult = 'ok' | 'not_json' | 'not_object';

/** One node of the path trie: the value reached by a sequence of keys. */
interface PathNode {
  readonly parent: PathNode | null;
  /** Indices of the paths that end here (more than one when a path is configured twice). */
  readonly targets: number[];
  /**
   * Indices of the paths that end strictly below: they lose their value when this key repeats.
   * (Paths ending here need no reset: the new value overwrites their token anyway.)
   */
  readonly below: number[];
  readonly names: string[];
  /** UTF-8 of each child's key; a lone quote for a key no raw byte sequence can spell (see `exactBytes`). */
  readonly keys: Uint8Array[];
  readonly children: PathNode[];
  /** Every child key can be matched by comparing bytes, even against keys holding bytes ≥ 0x80. */
  allExact: boolean;
}

/** Compiled once at start-up by `compileFieldPaths`; `scanFields` fills `out[i]` for `paths[i]`. */
export interface FieldPaths {
  readonly paths: readonly string[];
  /** @internal The trie walked while scanning; the root stands for the top-level object. */
  readonly root: PathNode;
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COLON = 0x3a;
const COMMA = 0x2c;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;
const MINUS = 0x2d;
const PLUS = 0x2b;
const DOT = 0x2e;
const ZERO = 0x30;
const NINE = 0x39;

const IN_OBJECT = 1;
const IN_ARRAY = 2;

const HAS_ESCAPE = 1;
const HAS_HIGH = 2;

/** A key that can never equal the bytes of a raw JSON key, which cannot contain a bare quote. */
const NEVER_BYTES = Uint8Array.of(QUOTE);

function newNode(parent: PathNode | null): PathNode {
  return { parent, targets: [], below: [], names: [], keys: [], children: [], allExact: true };
}

/**
 * UTF-8 of a key, or null when byte equality would not be string equality: a lone surrogate can
 * only come from a `\u` escape, and U+FFFD also stands for every invalid byte sequence.
 */
function exactBytes(key: string): Uint8Array | null {
  const bytes: number[] = [];
  for (let k = 0; k < key.length; k++) {
    let c = key.charCodeAt(k);
    if (c === 0xfffd) return null;
    if (c >= 0xd800 && c <= 0xdfff) {
      const next = key.charCodeAt(k + 1);
      if (c >= 0xdc00 || !(next >= 0xdc00 && next <= 0xdfff)) return null;
      c = 0x10000 + ((c - 0xd800) << 10) + (next - 0xdc00);
      k++;
    }
    if (c < 0x80) bytes.push(c);
    else if (c < 0x800) bytes.push(0xc0 | (c >> 6), 0x80 | (c & 0x3f));
    else if (c < 0x10000) bytes.push(0xe0 | (c >> 12), 0x80 | ((c >> 6) & 0x3f), 0x80 | (c & 0x3f));
    else bytes.push(0xf0 | (c >> 18), 0x80 | ((c >> 12) & 0x3f), 0x80 | ((c >> 6) & 0x3f), 0x80 | (c & 0x3f));
  }
  return Uint8Array.from(bytes);
}

/**
 * Compiles dotted paths ('id', 'device.id', 'reading.celsius'); each segment is a plain object key
 * (no array indexing, so a key containing '.' cannot be addressed). Throws when a path is not a
 * string or has an empty segment. Repeated paths are allowed and each gets its own token.
 */
export function compileFieldPaths(paths: readonly string[]): FieldPaths {
  const root = newNode(null);
  paths.forEach((path, index) => {
    if (typeof path !== 'string') throw new TypeError(`field path #${index + 1} must be a string`);
    const segments = path.split('.');
    if (segments.some((segment) => segment === '')) {
      throw new Error(
        `field path ${JSON.stringify(path)}: a path segment must not be empty (no leading, trailing or doubled '.')`,
      );
    }
    let node = root;
    segments.forEach((segment, depth) => {
      let at = node.names.indexOf(segment);
      if (at < 0) {
        const bytes = exactBytes(segment);
        if (bytes === null) node.allExact = false;
        node.names.push(segment);
        node.keys.push(bytes ?? NEVER_BYTES);
        node.children.push(newNode(node));
        at = node.children.length - 1;
      }
      node = node.children[at];
      if (depth < segments.length - 1) node.below.push(index);
    });
    node.targets.push(index);
  });
  return { paths: [...paths], root };
}

/** Fresh tokens for `scanFields`' `out`, all of one shape so the hot path stays monomorphic. */
export function newTokens(count: number): FieldToken[] {
  const tokens: FieldToken[] = [];
  for (let k = 0; k < count; k++) tokens.push({ kind: 'missing', start: 0, end: 0, escaped: false });
  return tokens;
}

/** Kinds of the open containers; shared because scans never interleave, grown for deep documents. */
let containerStack = new Uint8Array(64);

/** Flags of the last string `scanString` read; a module variable spares a result object. */
let stringFlags = 0;

function isSpace(b: number): boolean {
  return b === 0x20 || b === 0x0a || b === 0x0d || b === 0x09;
}

function skipSpace(buf: Uint8Array, i: number, len: number): number {
  while (i < len && isSpace(buf[i])) i++;
  return i;
}

function isHex(b: number): boolean {
  return (b >= ZERO && b <= NINE) || ((b | 0x20) >= 0x61 && (b | 0x20) <= 0x66);
}

/** `i` is at the opening quote; returns the index after the closing quote, or -1 if invalid. */
function scanString(buf: Uint8Array, i: number, len: number): number {
  let flags = 0;
  i++;
  while (i < len) {
    const b = buf[i];
    if (b === QUOTE) {
      stringFlags = flags;
      return i + 1;
    }
    if (b === BACKSLASH) {
      flags |= HAS_ESCAPE;
      if (i + 1 >= len) return -1;
      const e = buf[i + 1];
      if (e === 0x75) {
        if (i + 5 >= len || !isHex(buf[i + 2]) || !isHex(buf[i + 3]) || !isHex(buf[i + 4]) || !isHex(buf[i + 5]))
          return -1;
        i += 6;
      } else if (
        e === QUOTE ||
        e === BACKSLASH ||
        e === 0x2f ||
        e === 0x62 ||
        e === 0x66 ||
        e === 0x6e ||
        e === 0x72 ||
        e === 0x74
      ) {
        i += 2;
      } else {
        return -1;
      }
    } else if (b < 0x20) {
      return -1;
    } else {
      if (b >= 0x80) flags |= HAS_HIGH;
      i++;
    }
  }
  return -1;
}

function isDigit(b: number): boolean {
  return b >= ZERO && b <= NINE;
}

/** `i` is at '-' or a digit; returns the index after -?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?, or -1. */
function scanNumber(buf: Uint8Array, i: number, len: number): number {
  if (buf[i] === MINUS) i++;
  if (i >= len) return -1;
  if (buf[i] === ZERO) i++;
  else if (isDigit(buf[i])) while (i < len && isDigit(buf[i])) i++;
  else return -1;
  if (i < len && buf[i] === DOT) {
    i++;
    if (i >= len || !isDigit(buf[i])) return -1;
    while (i < len && isDigit(buf[i])) i++;
  }
  if (i < len && (buf[i] | 0x20) === 0x65) {
    i++;
    if (i < len && (buf[i] === PLUS || buf[i] === MINUS)) i++;
    if (i >= len || !isDigit(buf[i])) return -1;
    while (i < len && isDigit(buf[i])) i++;
  }
  return i;
}

/** Index after the literal if `buf` holds its bytes at `i`, else -1. */
function scanLiteral(buf: Uint8Array, i: number, len: number, literal: Uint8Array): number {
  const n = literal.length;
  if (i + n > len) return -1;
  for (let k = 1; k < n; k++) if (buf[i + k] !== literal[k]) return -1;
  return i + n;
}

const TRUE = Uint8Array.of(0x74, 0x72, 0x75, 0x65);
const FALSE = Uint8Array.of(0x66, 0x61, 0x6c, 0x73, 0x65);
const NULL = Uint8Array.of(0x6e, 0x75, 0x6c, 0x6c);

/** The child of `node` that the key at [start, end) (quotes excluded) names, or null. */
function childFor(node: PathNode, buf: Uint8Array, start: number, end: number, flags: number): PathNode | null {
  const keys = node.keys;
  if (flags === 0 || (flags === HAS_HIGH && node.allExact)) {
    const n = end - start;
    for (let c = 0; c < keys.length; c++) {
      const key = keys[c];
      if (key.length !== n) continue;
      let k = 0;
      while (k < n && buf[start + k] === key[k]) k++;
      if (k === n) return node.children[c];
    }
    return null;
  }
  // Escaped (or oddly spelled) keys are rare: compare their decoded value like JSON.parse would.
  const name: string =
    (flags & HAS_ESCAPE) !== 0 ? JSON.parse(decodeUtf8(buf, start - 1, end + 1)) : decodeUtf8(buf, start, end);
  const at = node.names.indexOf(name);
  return at < 0 ? null : node.children[at];
}

function setTokens(
  out: FieldToken[],
  targets: number[],
  kind: TokenKind,
  start: number,
  end: number,
  escaped: boolean,
): void {
  for (let k = 0; k < targets.length; k++) {
    const token = out[targets[k]];
    token.kind = kind;
    token.start = start;
    token.end = end;
    token.escaped = escaped;
  }
}

/**
 * Scans the whole of `buf` as one JSON document. `out[i]` receives the token of `paths.paths[i]`
 * (kind 'missing' when absent or reached through a non-object); `out`'s objects are reused, so a
 * scan allocates nothing unless a tracked key is escaped. Returns 'not_json' exactly when
 * JSON.parse of the UTF-8 text would throw, 'not_object' for valid JSON whose top level is not an
 * object; `out` is meaningful only for 'ok'.
 */
export function scanFields(buf: Uint8Array, paths: FieldPaths, out: FieldToken[]): ScanResult {
  const count = paths.paths.length;
  if (out.length < count) throw new RangeError(`scanFields needs ${count} tokens, got ${out.length}`);
  for (let k = 0; k < count; k++) {
    const token = out[k];
    token.kind = 'missing';
    token.start = 0;
    token.end = 0;
    token.escaped = false;
  }
  const len = buf.length;
  let stack = containerStack;
  let depth = 0;
  // Containers 1..tracked are on a path of the trie; `node` belongs to container `tracked`.
  // Below an untracked container everything is untracked, so a depth counter suffices.
  let tracked = 0;
  let node: PathNode | null = null;
  // The trie node of the value about to be read (null when no path reaches it).
  let pending: PathNode | null = paths.root;
  let topIsObject = false;
  let i = skipSpace(buf, 0, len);

  for (;;) {
    // A value starts at i.
    if (i >= len) return 'not_json';
    const b = buf[i];
    if (b === OPEN_BRACE || b === OPEN_BRACKET) {
      if (depth === 0) topIsObject = b === OPEN_BRACE;
      if (depth === stack.length) {
        const grown = new Uint8Array(stack.length * 2);
        grown.set(stack);
        stack = containerStack = grown;
      }
      stack[depth++] = b === OPEN_BRACE ? IN_OBJECT : IN_ARRAY;
      if (pending !== null) {
        node = pending;
        tracked = depth;
        setTokens(out, pending.targets, b === OPEN_BRACE ? 'object' : 'array', i, i, false);
      }
      i = skipSpace(buf, i + 1, len);
      if (i >= len) return 'not_json';
      // An empty container is closed by the loop below, which accepts only the matching closer.
      if (buf[i] !== (b === OPEN_BRACE ? CLOSE_BRACE : CLOSE_BRACKET)) {
        if (b === OPEN_BRACKET) {
          pending = null;
          continue;
        }
        i = readKey(buf, i, len, depth === tracked ? node : null, out);
        if (i < 0) return 'not_json';
        pending = matched;
        continue;
      }
    } else {
      let end: number;
      let kind: TokenKind;
      let escaped = false;
      if (b === QUOTE) {
        end = scanString(buf, i, len);
        kind = 'string';
        escaped = (stringFlags & HAS_ESCAPE) !== 0;
      } else if (b === MINUS || isDigit(b)) {
        end = scanNumber(buf, i, len);
        kind = 'number';
      } else if (b === 0x74) {
        end = scanLiteral(buf, i, len, TRUE);
        kind = 'true';
      } else if (b === 0x66) {
        end = scanLiteral(buf, i, len, FALSE);
        kind = 'false';
      } else if (b === 0x6e) {
        end = scanLiteral(buf, i, len, NULL);
        kind = 'null';
      } else {
        return 'not_json';
      }
      if (end < 0) return 'not_json';
      if (pending !== null) setTokens(out, pending.targets, kind, i, end, escaped);
      i = end;
    }

    // A value ended just before i: close containers until another value is due.
    for (;;) {
      i = skipSpace(buf, i, len);
      if (depth === 0) {
        if (i !== len) return 'not_json';
        return topIsObject ? 'ok' : 'not_object';
      }
      if (i >= len) return 'not_json';
      const c = buf[i];
      const inside = stack[depth - 1];
      if (c === COMMA) {
        i = skipSpace(buf, i + 1, len);
        if (inside === IN_ARRAY) {
          pending = null;
        } else {
          i = readKey(buf, i, len, depth === tracked ? node : null, out);
          if (i < 0) return 'not_json';
          pending = matched;
        }
        break;
      }
      if ((c === CLOSE_BRACE && inside === IN_OBJECT) || (c === CLOSE_BRACKET && inside === IN_ARRAY)) {
        i++;
        if (depth === tracked) {
          const closing = node as PathNode;
          const targets = closing.targets;
          for (let k = 0; k < targets.length; k++) out[targets[k]].end = i;
          node = closing.parent;
          tracked--;
        }
        depth--;
        continue;
      }
      return 'not_json';
    }
  }
}

/** The child `readKey` found for the key it read; a module variable spares a result object. */
let matched: PathNode | null = null;

/**
 * Reads `"key" :` at i (whitespace skipped) and sets `matched` to the child of `node` it names;
 * returns the index of the value, or -1. A repeated key replaces the earlier value, so whatever
 * the earlier one filled in under that key is forgotten first.
 */
function readKey(buf: Uint8Array, i: number, len: number, node: PathNode | null, out: FieldToken[]): number {
  matched = null;
  if (i >= len || buf[i] !== QUOTE) return -1;
  const end = scanString(buf, i, len);
  if (end < 0) return -1;
  if (node !== null && node.children.length !== 0) {
    const child = childFor(node, buf, i + 1, end - 1, stringFlags);
    if (child !== null) {
      const below = child.below;
      for (let k = 0; k < below.length; k++) {
        const token = out[below[k]];
        token.kind = 'missing';
        token.start = 0;
        token.end = 0;
        token.escaped = false;
      }
      matched = child;
    }
  }
  i = skipSpace(buf, end, len);
  if (i >= len || buf[i] !== COLON) return -1;
  return skipSpace(buf, i + 1, len);
}

// ignoreBOM keeps a string that starts with U+FEFF intact, as JSON.parse does.
const utf8 = new TextDecoder('utf-8', { ignoreBOM: true });

const fromCharCode = String.fromCharCode;

function decodeUtf8(buf: Uint8Array, start: number, end: number): string {
  if (end - start <= 64) {
    let ascii = true;
    for (let k = start; k < end; k++) if (buf[k] >= 0x80) ascii = false;
    if (ascii) {
      // Short ASCII (ids, numbers, timestamps) built eight codes at a time: about twice as fast
      // as a TextDecoder call or a byte-by-byte concatenation.
      let s = '';
      let k = start;
      for (; k + 8 <= end; k += 8)
        s += fromCharCode(buf[k], buf[k + 1], buf[k + 2], buf[k + 3], buf[k + 4], buf[k + 5], buf[k + 6], buf[k + 7]);
      for (; k < end; k++) s += fromCharCode(buf[k]);
      return s;
    }
  }
  return utf8.decode(buf.subarray(start, end));
}

/** The string value of a string token: a plain UTF-8 decode, or JSON.parse of the slice when escaped. */
export function tokenString(buf: Uint8Array, token: FieldToken): string {
  if (token.kind !== 'string') throw new TypeError(`tokenString needs a string token, got ${token.kind}`);
  if (token.escaped) return JSON.parse(decodeUtf8(buf, token.start, token.end)) as string;
  return decodeUtf8(buf, token.start + 1, token.end - 1);
}

/** The raw JSON text of a token (a number's exact digits, a string with its quotes, a whole object). */
export function tokenText(buf: Uint8Array, token: FieldToken): string {
  if (token.kind === 'missing') throw new TypeError('tokenText of a missing field');
  return decodeUtf8(buf, token.start, token.end);
}
