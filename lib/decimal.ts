/**
 * Exact decimal values and sums for the window aggregates.
 *
 * Readings arrive as JSON number text, and a window's sum must not depend on binary rounding
 * (0.1 + 0.2 is 0.3), on the order readings arrive in, or on how partial sums were split and
 * merged; nor may it stop being exact at 2^53. So a value is kept as integer units at a decimal
 * scale, always in one canonical form: equal values are identical objects field for field, and
 * their text is identical.
 *
 * This runs once per reading, so units stay a plain number while they are a safe integer (no
 * BigInt allocation, no BigInt arithmetic), and switch to BigInt exactly when they are not.
 * Every fast path below relies on one fact: a double operation on safe integers whose exact
 * result is a safe integer is exact, and when the exact result is not safe the rounded double
 * has magnitude ≥ 2^53, so an `abs ≤ MAX_SAFE` check after the fact tells which case it was.
 *
 * Decimals passed in must be canonical (made by this module); results always are.
 */

/**
 * An exact decimal: units × 10^-scale. Canonical: scale ≥ 0; when scale > 0 the last digit of
 * units is not 0; units is a number when it is a safe integer, else a bigint; zero is
 * {units: 0, scale: 0} (no negative zero).
 */
export interface Decimal {
  readonly units: number | bigint;
  readonly scale: number;
}

/**
 * Limits on ONE input value, checked after normalisation (trailing zeros after the point do not
 * count: 1.50 has 1 digit after the point, 0.1000000000000000000000 has 1):
 * - maxScale: at most 20 digits after the decimal point (1e-20 is accepted, 1e-21 refused);
 * - maxIntegerDigits: at most 40 digits before it, i.e. absolute value below 1e40 (1e40 refused).
 * They bound the work one reading can cause (at most 60 significant digits) and let huge exponent
 * text such as 1e999999 be refused from digit counts alone. Sums and means are not limited: a sum
 * of many limit-sized values may exceed 1e40, and a mean may have more than 20 decimals.
 */
export const DECIMAL_LIMITS = Object.freeze({ maxScale: 20, maxIntegerDigits: 40 });

const NOT_A_NUMBER = 'must be a JSON number';
const TOO_PRECISE = `has more than ${DECIMAL_LIMITS.maxScale} digits after the decimal point`;
const TOO_LARGE = `must be below 1e${DECIMAL_LIMITS.maxIntegerDigits} in absolute value`;

const MAX_SAFE = Number.MAX_SAFE_INTEGER;
const MAX_SAFE_N = BigInt(MAX_SAFE);
/** Powers of ten that are exact doubles; products with them are checked with `abs ≤ MAX_SAFE`. */
const MAX_EXACT_POW10 = 22;
/** POW10[k] is the double nearest 10^k; exact for k ≤ 22, and only those are used where exactness matters. */
const POW10: number[] = [];
for (let k = 0; k <= 40; k++) POW10.push(Number(`1e${k}`));
const POW10N: bigint[] = [1n];
function pow10n(k: number): bigint {
  while (POW10N.length <= k && POW10N.length < 100) POW10N.push(POW10N[POW10N.length - 1] * 10n);
  return k < POW10N.length ? POW10N[k] : 10n ** BigInt(k);
}

const ZERO: Decimal = Object.freeze({ units: 0, scale: 0 });

/** Canonical Decimal from safe-integer units (strips trailing zeros). */
function fromSafe(units: number, scale: number): Decimal {
  if (units === 0) return ZERO;
  // Not `units % 10`: past 2^31 that is a call to fmod. For |units| ≤ 2^53 the quotient is below
  // 2^50, where doubles are spaced ≤ 1/8, so a remainder of 1..9 tenths never rounds to a whole.
  let q = units / 10;
  while (scale > 0 && Math.floor(q) === q) {
    units = q;
    scale--;
    q = units / 10;
  }
  return { units, scale };
}

/** Canonical Decimal from bigint units (strips trailing zeros, back to a number when safe). */
function fromBig(units: bigint, scale: number): Decimal {
  if (units === 0n) return ZERO;
  while (scale > 0 && units % 10n === 0n) {
    units /= 10n;
    scale--;
  }
  if (units >= -MAX_SAFE_N && units <= MAX_SAFE_N) return { units: Number(units), scale };
  return { units, scale };
}

// ---------------------------------------------------------------------------------------------
// Parsing

const MINUS = 0x2d;
const PLUS = 0x2b;
const DOT = 0x2e;
const D0 = 0x30;
const D1 = 0x31;
const D9 = 0x39;
const LOWER_E = 0x65;
const UPPER_E = 0x45;
/** Exponents are clamped here while read: any nonzero value past it breaks a limit anyway, and the clamp keeps them exact doubles. */
const EXPONENT_CLAMP = 1e14;
/** Digits turned into one BigInt at a time: a number holds 15 digits exactly. */
const CHUNK_DIGITS = 15;
const CHUNK_N = 10n ** BigInt(CHUNK_DIGITS);

/** One reader for both strings and bytes; each branch stays monomorphic, so V8 inlines it. */
function at(src: string | Uint8Array, i: number): number {
  return typeof src === 'string' ? src.charCodeAt(i) : src[i];
}

function parseRange(src: string | Uint8Array, start: number, end: number): Decimal | string {
  let i = start;
  const neg = i < end && at(src, i) === MINUS;
  if (neg) i++;
  const intStart = i;
  if (i >= end) return NOT_A_NUMBER;
  // Every mantissa digit goes into v on the way; v only grows, so if it ends ≤ MAX_SAFE it is exact.
  let v = 0;
  let c = at(src, i);
  if (c === D0) i++;
  else if (c >= D1 && c <= D9) {
    v = c - D0;
    i++;
    while (i < end && (c = at(src, i)) >= D0 && c <= D9) {
      v = v * 10 + (c - D0);
      i++;
    }
  } else return NOT_A_NUMBER;
  const intEnd = i;
  let fracLen = 0;
  if (i < end && at(src, i) === DOT) {
    i++;
    const fracStart = i;
    while (i < end && (c = at(src, i)) >= D0 && c <= D9) {
      v = v * 10 + (c - D0);
      i++;
    }
    fracLen = i - fracStart;
    if (fracLen === 0) return NOT_A_NUMBER;
  }
  // The digits are [intStart, digitsEnd), with a dot at intEnd when fracLen > 0.
  const digitsEnd = i;
  let exponent = 0;
  if (i < end) {
    c = at(src, i);
    if (c !== LOWER_E && c !== UPPER_E) return NOT_A_NUMBER;
    i++;
    let expNeg = false;
    if (i < end) {
      c = at(src, i);
      if (c === PLUS) i++;
      else if (c === MINUS) {
        expNeg = true;
        i++;
      }
    }
    if (i >= end) return NOT_A_NUMBER;
    for (; i < end; i++) {
      c = at(src, i);
      if (c < D0 || c > D9) return NOT_A_NUMBER;
      if (exponent < EXPONENT_CLAMP) exponent = exponent * 10 + (c - D0);
    }
    if (expNeg) exponent = -exponent;
  }

  if (v <= MAX_SAFE) {
    if (v === 0) return ZERO; // -0, 0e5, -0.0, 0e-999999
    let scale = fracLen - exponent;
    let q = v / 10; // as in fromSafe
    while (scale > 0 && Math.floor(q) === q) {
      v = q;
      scale--;
      q = v / 10;
    }
    // v has at most 16 digits, so a scale within the limit leaves it far below 1e40.
    if (scale > DECIMAL_LIMITS.maxScale) return TOO_PRECISE;
    if (scale >= 0) return { units: neg ? -v : v, scale };
    // POW10 above 1e22 is inexact, but there it exceeds any 16-digit v by far.
    if (-scale > DECIMAL_LIMITS.maxIntegerDigits || v >= POW10[DECIMAL_LIMITS.maxIntegerDigits + scale])
      return TOO_LARGE;
    const u = v * POW10[-scale];
    if (u <= MAX_SAFE) return { units: neg ? -u : u, scale: 0 };
    const b = BigInt(v) * pow10n(-scale);
    return { units: neg ? -b : b, scale: 0 };
  }
  return parseLong(src, neg, intStart, intEnd, digitsEnd, fracLen, exponent);
}

/** Mantissas past 2^53: normalise from digit counts alone, so limits are checked before any number is built. */
function parseLong(
  src: string | Uint8Array,
  neg: boolean,
  intStart: number,
  intEnd: number,
  digitsEnd: number,
  fracLen: number,
  exponent: number,
): Decimal | string {
  let c: number;
  let first = intStart;
  while ((c = at(src, first)) === D0 || c === DOT) first++; // stops: some digit is nonzero
  let last = digitsEnd - 1;
  while ((c = at(src, last)) === D0 || c === DOT) last--;
  const dotInside = fracLen > 0 && first < intEnd && last > intEnd;
  const significant = last - first + 1 - (dotInside ? 1 : 0);
  const trailingZeros = digitsEnd - 1 - last - (fracLen > 0 && last < intEnd ? 1 : 0);
  const scale = fracLen - trailingZeros - exponent;
  if (significant - scale > DECIMAL_LIMITS.maxIntegerDigits) return TOO_LARGE;
  if (scale > DECIMAL_LIMITS.maxScale) return TOO_PRECISE;

  // Without the trailing zeros the digits may fit after all (at most 60 of them, so v stays finite).
  let v = 0;
  for (let j = first; j <= last; j++) {
    c = at(src, j);
    if (c !== DOT) v = v * 10 + (c - D0);
  }
  if (scale < 0) v *= POW10[-scale];
  if (v <= MAX_SAFE) return { units: neg ? -v : v, scale: scale < 0 ? 0 : scale };

  let big = 0n;
  let chunk = 0;
  let chunkLen = 0;
  for (let j = first; j <= last; j++) {
    c = at(src, j);
    if (c === DOT) continue;
    chunk = chunk * 10 + (c - D0);
    if (++chunkLen === CHUNK_DIGITS) {
      big = big * CHUNK_N + BigInt(chunk);
      chunk = 0;
      chunkLen = 0;
    }
  }
  big = big * pow10n(chunkLen) + BigInt(chunk);
  if (scale < 0) big *= pow10n(-scale);
  return { units: neg ? -big : big, scale: scale < 0 ? 0 : scale };
}

/**
 * Parses JSON number text, exactly RFC 8259's grammar -?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?
 * (no surrounding whitespace). Returns the Decimal, or the reason naming the rule broken.
 */
export function parseDecimal(text: string): Decimal | string {
  return parseRange(text, 0, text.length);
}

/** As parseDecimal, from bytes [start, end) of `buf`; builds no string. */
export function parseDecimalBytes(buf: Uint8Array, start: number, end: number): Decimal | string {
  if (!(Number.isInteger(start) && Number.isInteger(end) && start >= 0 && start <= end && end <= buf.length)) {
    throw new RangeError(`parseDecimalBytes: range [${start}, ${end}) is not within 0..${buf.length}`);
  }
  return parseRange(buf, start, end);
}

// ---------------------------------------------------------------------------------------------
// Arithmetic

function addBig(a: Decimal, b: Decimal): Decimal {
  let x = BigInt(a.units);
  let y = BigInt(b.units);
  let scale = a.scale;
  if (b.scale > scale) {
    x *= pow10n(b.scale - scale);
    scale = b.scale;
  } else if (b.scale < scale) {
    y *= pow10n(scale - b.scale);
  }
  return fromBig(x + y, scale);
}

/** a + b, exact. */
export function addDecimal(a: Decimal, b: Decimal): Decimal {
  const au = a.units;
  const bu = b.units;
  if (typeof au === 'number' && typeof bu === 'number') {
    if (au === 0) return b;
    if (bu === 0) return a;
    if (a.scale === b.scale) {
      const r = au + bu;
      if (r <= MAX_SAFE && r >= -MAX_SAFE) return fromSafe(r, a.scale);
      return addBig(a, b);
    }
    let x = au;
    let y = bu;
    let scale = a.scale;
    const diff = b.scale - scale;
    if (diff > 0) {
      if (diff > MAX_EXACT_POW10) return addBig(a, b);
      x *= POW10[diff];
      scale = b.scale;
    } else {
      if (-diff > MAX_EXACT_POW10) return addBig(a, b);
      y *= POW10[-diff];
    }
    const r = x + y;
    if (Math.abs(x) <= MAX_SAFE && Math.abs(y) <= MAX_SAFE && Math.abs(r) <= MAX_SAFE) return fromSafe(r, scale);
  }
  return addBig(a, b);
}

function compareBig(a: Decimal, b: Decimal): -1 | 0 | 1 {
  let x = BigInt(a.units);
  let y = BigInt(b.units);
  if (a.scale < b.scale) x *= pow10n(b.scale - a.scale);
  else if (b.scale < a.scale) y *= pow10n(a.scale - b.scale);
  return x < y ? -1 : x > y ? 1 : 0;
}

export function compareDecimal(a: Decimal, b: Decimal): -1 | 0 | 1 {
  const au = a.units;
  const bu = b.units;
  if (typeof au === 'number' && typeof bu === 'number') {
    const diff = b.scale - a.scale;
    if (diff === 0) return au < bu ? -1 : au > bu ? 1 : 0;
    const sa = au < 0 ? -1 : au > 0 ? 1 : 0;
    const sb = bu < 0 ? -1 : bu > 0 ? 1 : 0;
    if (sa !== sb) return sa < sb ? -1 : 1;
    if (Math.abs(diff) <= MAX_EXACT_POW10) {
      const x = diff > 0 ? au * POW10[diff] : au;
      const y = diff < 0 ? bu * POW10[-diff] : bu;
      if (Math.abs(x) <= MAX_SAFE && Math.abs(y) <= MAX_SAFE) return x < y ? -1 : x > y ? 1 : 0;
    }
  }
  return compareBig(a, b);
}

const MEAN_DIGITS = 15;
const MEAN_LIMIT = 10n ** BigInt(MEAN_DIGITS);

/**
 * sum ÷ count, rounded half-to-even to 15 significant digits (what a double shows reliably, and
 * deterministic: the same sum and count always give the same mean). count is a safe integer ≥ 1.
 */
export function divideDecimal(sum: Decimal, count: number): Decimal {
  if (!Number.isSafeInteger(count) || count < 1)
    throw new RangeError(`divideDecimal: count must be a safe integer ≥ 1, got ${count}`);
  return roundedQuotient(BigInt(sum.units), BigInt(count), sum.scale);
}

/**
 * num ÷ (den × 10^scale), rounded half-to-even to 15 significant digits, as divideDecimal rounds a
 * mean: for aggregates that are exact fractions (a variance). den ≥ 1.
 */
export function roundedQuotient(num: bigint, den: bigint, scale: number): Decimal {
  if (den < 1n) throw new RangeError(`roundedQuotient: den must be ≥ 1, got ${den}`);
  let n = num;
  if (n === 0n) return ZERO;
  const neg = n < 0n;
  if (neg) n = -n;
  // n/den lies in (10^(dn-dd-1), 10^(dn-dd+1)), so with shift = 15-dn+dd the quotient has 15 or 16 digits.
  let shift = MEAN_DIGITS - n.toString().length + den.toString().length;
  let q: bigint;
  let top: bigint;
  let bottom: bigint;
  for (;;) {
    top = shift >= 0 ? n * pow10n(shift) : n;
    bottom = shift >= 0 ? den : den * pow10n(-shift);
    q = top / bottom;
    if (q < MEAN_LIMIT) break;
    shift--;
  }
  const twiceRem = 2n * (top - q * bottom);
  if (twiceRem > bottom || (twiceRem === bottom && (q & 1n) === 1n)) q += 1n;
  return scaled(neg ? -q : q, scale + shift);
}

/**
 * The square root of num ÷ (den × 10^scale), rounded half-to-even to 15 significant digits: exact
 * and deterministic (a standard deviation from its exact variance fraction). num ≥ 0, den ≥ 1.
 */
export function roundedSqrtQuotient(num: bigint, den: bigint, scale: number): Decimal {
  if (num < 0n || den < 1n) throw new RangeError('roundedSqrtQuotient: num must be ≥ 0 and den ≥ 1');
  if (num === 0n) return ZERO;
  // √(num / (den·10^scale)) · 10^e = √(num·den·10^(2e-scale+2k)) / (den·10^k), with k making the
  // power of ten whole. Start at an e whose root has at least 16 digits, step down to 15, and round
  // by comparing squares exactly.
  const digits = (num.toString().length - den.toString().length - scale) / 2;
  let e = Math.ceil(MEAN_DIGITS - digits) + 1;
  for (;;) {
    const k = Math.max(0, Math.ceil((scale - 2 * e) / 2));
    const radicand = num * den * pow10n(2 * e - scale + 2 * k);
    const divisor = den * pow10n(k);
    let q = sqrtFloor(radicand) / divisor;
    if (q >= MEAN_LIMIT) {
      e--;
      continue;
    }
    // Half-to-even: √r/d ≥ q + ½  ⇔  4r ≥ d²(2q+1)², equality meaning exactly half.
    const half = divisor * (2n * q + 1n);
    const lhs = 4n * radicand;
    const rhs = half * half;
    if (lhs > rhs || (lhs === rhs && (q & 1n) === 1n)) q += 1n;
    return scaled(q, e);
  }
}

/** a², exact. */
export function squareDecimal(a: Decimal): Decimal {
  const u = a.units;
  if (typeof u === 'number') {
    const p = u * u;
    if (p <= MAX_SAFE) return fromSafe(p, a.scale * 2);
  }
  const b = BigInt(u);
  return fromBig(b * b, a.scale * 2);
}

/** The integer ⌊√n⌋ of n ≥ 0 (Newton's method from above). */
function sqrtFloor(n: bigint): bigint {
  if (n < 2n) return n;
  let x = BigInt(Math.floor(Math.sqrt(Number(n)))) + 1n;
  if (x * x <= n) x = n; // Number(n) overflowed to Infinity: start from n itself.
  for (;;) {
    const y = (x + n / x) >> 1n;
    if (y >= x) break;
    x = y;
  }
  while (x * x > n) x -= 1n;
  while ((x + 1n) * (x + 1n) <= n) x += 1n;
  return x;
}

/** units × 10^-scale for any integer scale, canonical. */
function scaled(units: bigint, scale: number): Decimal {
  return scale < 0 ? fromBig(units * pow10n(-scale), 0) : fromBig(units, scale);
}

// ---------------------------------------------------------------------------------------------
// Conversions

/** Plain notation, never an exponent, never '-0': '0.3', '12', '-1.25', '0.00000001'. */
export function decimalToString(d: Decimal): string {
  const u = d.units;
  const neg = u < 0;
  // Safe integers print without an exponent (String switches to one only at 1e21).
  let digits = typeof u === 'number' ? String(neg ? -u : u) : (neg ? -u : u).toString();
  const scale = d.scale;
  if (scale > 0) {
    if (digits.length <= scale) digits = '0'.repeat(scale - digits.length + 1) + digits;
    const point = digits.length - scale;
    digits = `${digits.slice(0, point)}.${digits.slice(point)}`;
  }
  return neg ? `-${digits}` : digits;
}

/** The nearest double. */
export function decimalToNumber(d: Decimal): number {
  const u = d.units;
  // Both operands are exact doubles, and IEEE division rounds the exact quotient correctly.
  if (typeof u === 'number' && d.scale <= MAX_EXACT_POW10) return d.scale === 0 ? u : u / POW10[d.scale];
  return Number(decimalToString(d));
}

/** n must be a safe integer (beyond that a double no longer says which integer was meant). */
export function decimalFromInteger(n: number): Decimal {
  if (!Number.isSafeInteger(n)) throw new RangeError(`decimalFromInteger: ${n} is not a safe integer`);
  return n === 0 ? ZERO : { units: n, scale: 0 };
}

// ---------------------------------------------------------------------------------------------
// Accumulator

/**
 * A running sum for the hot path: adding allocates nothing while the running units stay a safe
 * integer. Between reads it is kept at the largest scale seen rather than canonical (which saves
 * a rescale per add); `value` is canonical and always equals folding addDecimal over the same
 * values, in any order.
 */
export class DecimalSum {
  private units = 0;
  private big: bigint | null = null;
  private scale = 0;

  add(d: Decimal): void {
    const du = d.units;
    if (this.big === null && typeof du === 'number') {
      let x = this.units;
      let y = du;
      let scale = this.scale;
      const diff = d.scale - scale;
      if (diff > 0) {
        if (diff > MAX_EXACT_POW10) return this.addBig(d);
        x *= POW10[diff];
        scale = d.scale;
      } else if (diff < 0) {
        if (-diff > MAX_EXACT_POW10) return this.addBig(d);
        y *= POW10[-diff];
      }
      const r = x + y;
      if (Math.abs(x) <= MAX_SAFE && Math.abs(y) <= MAX_SAFE && Math.abs(r) <= MAX_SAFE) {
        this.units = r;
        this.scale = scale;
        return;
      }
    }
    this.addBig(d);
  }

  private addBig(d: Decimal): void {
    let x = this.big ?? BigInt(this.units);
    let y = BigInt(d.units);
    let scale = this.scale;
    if (d.scale > scale) {
      x *= pow10n(d.scale - scale);
      scale = d.scale;
    } else if (d.scale < scale) {
      y *= pow10n(scale - d.scale);
    }
    // Canonical again here (rare path), so a sum that comes back into range returns to the fast path.
    const r = fromBig(x + y, scale);
    if (typeof r.units === 'number') {
      this.units = r.units;
      this.big = null;
    } else {
      this.big = r.units;
    }
    this.scale = r.scale;
  }

  get value(): Decimal {
    return this.big === null ? fromSafe(this.units, this.scale) : fromBig(this.big, this.scale);
  }

  reset(): void {
    this.units = 0;
    this.big = null;
    this.scale = 0;
  }
}

/**
 * A decimal as exact JSON-safe parts, [units as text, scale], for records between windowpane's own
 * stages: no limits apply (a partial sum may pass 1e40), and nothing is lost in transit.
 */
export function decimalParts(d: Decimal): [string, number] {
  return [String(d.units), d.scale];
}

/** decimalFromParts for units that are a safe integer: no BigInt on the way. */
export function decimalFromSafeParts(units: number, scale: number): Decimal {
  if (!Number.isSafeInteger(units) || !Number.isInteger(scale) || scale < 0)
    throw new RangeError(`not decimal parts: [${units}, ${scale}]`);
  return fromSafe(units, scale);
}

export function decimalFromParts(units: string, scale: number): Decimal {
  if (!/^-?(0|[1-9][0-9]*)$/.test(units) || !Number.isInteger(scale) || scale < 0)
    throw new RangeError(`not decimal parts: [${units}, ${scale}]`);
  return fromBig(BigInt(units), scale);
}
