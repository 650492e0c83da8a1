/**
 * Exact decimals: parsing against RFC 8259's grammar and the per-value limits, and sums, comparisons,
 * means and text checked against slow BigInt references on seeded random inputs, so that both the
 * safe-integer fast paths and the BigInt fallback are exercised and must agree.
 */
import { describe, expect, it } from 'vitest';
import {
  addDecimal,
  compareDecimal,
  DECIMAL_LIMITS,
  type Decimal,
  DecimalSum,
  decimalFromInteger,
  decimalFromParts,
  decimalParts,
  decimalToNumber,
  decimalToString,
  divideDecimal,
  parseDecimal,
  roundedQuotient,
  roundedSqrtQuotient,
  squareDecimal,
  parseDecimalBytes,
} from '../../../lib/decimal';

const NOT_JSON = 'must be a JSON number';
const TOO_PRECISE = 'has more than 20 digits after the decimal point';
const TOO_LARGE = 'must be below 1e40 in absolute value';
const MAX_SAFE_N = BigInt(Number.MAX_SAFE_INTEGER);

function dec(text: string): Decimal {
  const d = parseDecimal(text);
  if (typeof d === 'string') throw new Error(`${text}: ${d}`);
  return d;
}

/** Type, units and scale in one string, so bigint 5n and number 5 never compare equal. */
function key(d: Decimal): string {
  return `${typeof d.units}:${String(d.units)}:${d.scale}`;
}

function expectCanonical(d: Decimal, label = ''): void {
  expect(Number.isInteger(d.scale) && d.scale >= 0, `${label} scale ${d.scale}`).toBe(true);
  if (typeof d.units === 'number') {
    expect(Number.isSafeInteger(d.units), `${label} safe`).toBe(true);
    expect(Object.is(d.units, -0), `${label} -0`).toBe(false);
  } else {
    expect(d.units > MAX_SAFE_N || d.units < -MAX_SAFE_N, `${label} bigint only when unsafe`).toBe(true);
  }
  const big = BigInt(d.units);
  if (d.scale > 0) expect(big % 10n !== 0n, `${label} trailing zero`).toBe(true);
  if (big === 0n) expect(d.scale, `${label} zero scale`).toBe(0);
}

// ------------------------------------------------------------------------------------------------
// Slow references, written independently of the module: values as BigInt × 10^-20.

const REF_SCALE = 20;

function refParse(text: string): bigint {
  const m = /^(-?)(\d+)(?:\.(\d+))?(?:[eE]([+-]?\d+))?$/.exec(text);
  if (!m) throw new Error(`reference cannot parse ${text}`);
  const frac = m[3] ?? '';
  const shift = REF_SCALE - frac.length + Number(m[4] ?? '0');
  let v = BigInt(m[2] + frac);
  if (v === 0n) return 0n;
  if (shift >= 0) v *= 10n ** BigInt(shift);
  else {
    const div = 10n ** BigInt(-shift);
    if (v % div !== 0n) throw new Error(`reference: ${text} has more than ${REF_SCALE} decimals`);
    v /= div;
  }
  return m[1] ? -v : v;
}

function toRef(d: Decimal): bigint {
  expect(d.scale).toBeLessThanOrEqual(REF_SCALE);
  return BigInt(d.units) * 10n ** BigInt(REF_SCALE - d.scale);
}

/** m × 10^exp in plain notation, no trailing fraction zeros, no '-0'. */
function formatPlain(m: bigint, exp: number): string {
  if (m === 0n) return '0';
  const sign = m < 0n ? '-' : '';
  let s = (m < 0n ? -m : m).toString();
  if (exp >= 0) return sign + s + '0'.repeat(exp);
  const scale = -exp;
  if (s.length <= scale) s = '0'.repeat(scale - s.length + 1) + s;
  const int = s.slice(0, s.length - scale);
  const frac = s.slice(s.length - scale).replace(/0+$/, '');
  return sign + int + (frac ? `.${frac}` : '');
}

/** (ref × 10^-20) ÷ count, rounded half-to-even to 15 significant digits, by digit strings. */
function refMean(ref: bigint, count: number): string {
  if (ref === 0n) return '0';
  const neg = ref < 0n;
  const n = neg ? -ref : ref;
  const precision = 100; // quotient digits far beyond the 15 kept
  const scaled = n * 10n ** BigInt(precision);
  const q = scaled / BigInt(count);
  const sticky = scaled % BigInt(count) !== 0n;
  const digits = q.toString();
  expect(digits.length).toBeGreaterThan(16);
  const keep = digits.slice(0, 15);
  const rest = digits.slice(15);
  const beyond = /[1-9]/.test(rest.slice(1)) || sticky;
  const up = rest[0] > '5' || (rest[0] === '5' && (beyond || Number(keep[14]) % 2 === 1));
  const mantissa = BigInt(keep) + (up ? 1n : 0n);
  return formatPlain(neg ? -mantissa : mantissa, rest.length - precision - REF_SCALE);
}

// ------------------------------------------------------------------------------------------------
// Seeded randomness (no dependency): a 32-bit LCG.

function rng(seed: number) {
  let state = seed >>> 0;
  const next = (): number => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
  const int = (lo: number, hi: number): number => lo + Math.floor(next() * (hi - lo + 1));
  const digits = (n: number): string => {
    let s = '';
    for (let i = 0; i < n; i++) s += String(int(0, 9));
    return s;
  };
  const shuffle = <T>(xs: T[]): T[] => {
    const out = xs.slice();
    for (let i = out.length - 1; i > 0; i--) {
      const j = int(0, i);
      [out[i], out[j]] = [out[j], out[i]];
    }
    return out;
  };
  /** A valid reading text: scales 0–20, magnitudes up to 1e39, plain or exponent form, some trailing zeros. */
  const decimalText = (): string => {
    const small = next() < 0.5;
    const intDigits = small ? int(0, 6) : int(0, 39);
    const scale = small ? int(0, 4) : int(0, 20);
    const intPart = intDigits === 0 ? '0' : String(int(1, 9)) + digits(intDigits - 1);
    const frac = digits(scale);
    const sign = next() < 0.4 ? '-' : '';
    const form = next();
    if (form < 0.7 || (intPart === '0' && frac === '')) {
      const zeros = next() < 0.1 ? '0'.repeat(int(1, 5)) : '';
      return sign + intPart + (frac || zeros ? `.${frac}${zeros}` : '');
    }
    // Exponent form of the same value: mantissa d.ddd × 10^e.
    const all = (intPart + frac).replace(/^0+/, '');
    if (all === '') return `${sign}0e${int(0, 30)}`;
    const exp = all.length - 1 - scale;
    const mant = all.length > 1 ? `${all[0]}.${all.slice(1)}` : all;
    const e = next() < 0.5 ? 'e' : 'E';
    return `${sign}${mant}${e}${exp >= 0 && next() < 0.5 ? '+' : ''}${exp}`;
  };
  return { next, int, digits, shuffle, decimalText };
}

function sumAll(ds: Decimal[]): Decimal {
  return ds.reduce(addDecimal, decimalFromInteger(0));
}

// ------------------------------------------------------------------------------------------------

const VALID: [string, string][] = [
  ['0', '0'],
  ['-0', '0'],
  ['0e5', '0'],
  ['-0.0', '0'],
  ['0.000', '0'],
  ['-0e-999999', '0'],
  ['0e999999999999999999999999', '0'],
  ['7', '7'],
  ['-7', '-7'],
  ['21.37', '21.37'],
  ['-0.5', '-0.5'],
  ['-0.05', '-0.05'],
  ['1e-3', '0.001'],
  ['1.5E+10', '15000000000'],
  ['1.5e10', '15000000000'],
  ['1E2', '100'],
  ['1E+0', '1'],
  ['1e-0', '1'],
  ['-1.0e+1', '-10'],
  ['0.1e1', '1'],
  ['12e-1', '1.2'],
  ['100e-2', '1'],
  ['1.50', '1.5'],
  ['-0.0012e2', '-0.12'],
  ['0.1000000000000000000000', '0.1'],
  ['0.00000000000000000000100e1', '0.00000000000000000001'],
  ['1e-20', '0.00000000000000000001'],
  ['-1e-20', '-0.00000000000000000001'],
  ['0.00000001', '0.00000001'],
  ['1000000000000000000000e-21', '1'],
  ['9007199254740991', '9007199254740991'],
  ['9007199254740993', '9007199254740993'],
  ['-9007199254740993', '-9007199254740993'],
  ['123456789012345678901234567890', '123456789012345678901234567890'],
  ['123456789012345600000000e-20', '1234.567890123456'],
  ['12345678901234567890.12345678901234567890', '12345678901234567890.1234567890123456789'],
  ['1e39', `1${'0'.repeat(39)}`],
  ['-1e39', `-1${'0'.repeat(39)}`],
  ['9'.repeat(40), '9'.repeat(40)],
  [`9.${'9'.repeat(39)}e39`, '9'.repeat(40)],
  [`${'9'.repeat(40)}.${'9'.repeat(20)}`, `${'9'.repeat(40)}.${'9'.repeat(20)}`],
  [`1${'0'.repeat(42)}e-10`, `1${'0'.repeat(32)}`],
];

const INVALID: [string, string][] = [
  ['+1', NOT_JSON],
  ['01', NOT_JSON],
  ['-01', NOT_JSON],
  ['00', NOT_JSON],
  ['1.', NOT_JSON],
  ['.5', NOT_JSON],
  ['-.5', NOT_JSON],
  ['1e', NOT_JSON],
  ['1e+', NOT_JSON],
  ['1e-', NOT_JSON],
  ['1.e5', NOT_JSON],
  ['1e5.5', NOT_JSON],
  ['1.5.5', NOT_JSON],
  ['1,5', NOT_JSON],
  ['1_000', NOT_JSON],
  ['--1', NOT_JSON],
  ['-', NOT_JSON],
  ['0x10', NOT_JSON],
  ['NaN', NOT_JSON],
  ['Infinity', NOT_JSON],
  ['-Infinity', NOT_JSON],
  ['\u0661', NOT_JSON], // Arabic-Indic digit one
  ['', NOT_JSON],
  [' 1', NOT_JSON],
  ['1 ', NOT_JSON],
  ['1\n', NOT_JSON],
  ['1e-21', TOO_PRECISE],
  ['-1e-21', TOO_PRECISE],
  ['1.000000000000000000001', TOO_PRECISE],
  ['0.0000000000000000000001', TOO_PRECISE],
  ['10e-22', TOO_PRECISE],
  ['5e-324', TOO_PRECISE],
  ['1e-999999', TOO_PRECISE],
  ['1e40', TOO_LARGE],
  ['-1e40', TOO_LARGE],
  ['1'.padEnd(41, '0'), TOO_LARGE],
  ['10000000000000000000000000000000000000000.5', TOO_LARGE],
  ['0.1e41', TOO_LARGE],
  ['1e999999', TOO_LARGE],
  ['1e99999999999999999999999999', TOO_LARGE],
  ['12345678901234567890123e30', TOO_LARGE],
];

describe('parseDecimal', () => {
  it('states its limits', () => {
    expect(DECIMAL_LIMITS).toEqual({ maxScale: 20, maxIntegerDigits: 40 });
  });

  it.each(VALID)('parses %j as %s, canonically', (text, expected) => {
    const d = dec(text);
    expect(decimalToString(d)).toBe(expected);
    expectCanonical(d, text);
    expect(toRef(d)).toBe(refParse(text));
  });

  it.each(INVALID)('refuses %j: %s', (text, reason) => {
    expect(parseDecimal(text)).toBe(reason);
  });

  it('keeps units a number while safe and a bigint beyond', () => {
    expect(dec('21.37')).toStrictEqual({ units: 2137, scale: 2 });
    expect(dec('-0')).toStrictEqual({ units: 0, scale: 0 });
    expect(Object.is(dec('-0').units, 0)).toBe(true);
    expect(dec('9007199254740991')).toStrictEqual({ units: 9007199254740991, scale: 0 });
    expect(dec('9007199254740992')).toStrictEqual({ units: 9007199254740992n, scale: 0 });
    expect(dec('0.9007199254740993')).toStrictEqual({ units: 9007199254740993n, scale: 16 });
    expect(dec('1.5e15')).toStrictEqual({ units: 1500000000000000, scale: 0 });
    expect(dec('9.1e15')).toStrictEqual({ units: 9100000000000000n, scale: 0 });
  });
});

describe('parseDecimalBytes', () => {
  const all = [...VALID.map(([t]) => t), ...INVALID.map(([t]) => t)];

  it.each(all)('agrees with parseDecimal on %j, alone and mid-buffer', (text) => {
    const expected = parseDecimal(text);
    const alone = Buffer.from(text, 'utf8');
    expect(parseDecimalBytes(alone, 0, alone.length)).toStrictEqual(expected);
    // Digits either side of the slice would change the value if they were read.
    const prefix = '{"value":9';
    const framed = Buffer.from(`${prefix}${text}5e1}`, 'utf8');
    const start = Buffer.byteLength(prefix);
    expect(parseDecimalBytes(framed, start, start + alone.length)).toStrictEqual(expected);
    const plain = new Uint8Array(framed); // not a Buffer
    expect(parseDecimalBytes(plain, start, start + alone.length)).toStrictEqual(expected);
  });

  it('refuses a range outside the buffer', () => {
    const buf = Buffer.from('123');
    expect(() => parseDecimalBytes(buf, -1, 2)).toThrow(RangeError);
    expect(() => parseDecimalBytes(buf, 0, 4)).toThrow(RangeError);
    expect(() => parseDecimalBytes(buf, 2, 1)).toThrow(RangeError);
    expect(parseDecimalBytes(buf, 1, 1)).toBe(NOT_JSON);
    expect(parseDecimalBytes(buf, 1, 3)).toStrictEqual({ units: 23, scale: 0 });
  });
});

describe('addDecimal', () => {
  const add = (...texts: string[]) => sumAll(texts.map(dec));

  it('is exact where doubles are not', () => {
    expect(0.1 + 0.2).not.toBe(0.3);
    expect(add('0.1', '0.2')).toStrictEqual({ units: 3, scale: 1 });
    expect(decimalToString(add('0.1', '0.2'))).toBe('0.3');
    expect(decimalToNumber(add('0.1', '0.2'))).toBe(0.3);
    expect(decimalToString(add('1e-20', '1'))).toBe('1.00000000000000000001');
    expect(add('1e-20', '1')).toStrictEqual({ units: 100000000000000000001n, scale: 20 });
  });

  it('strips trailing zeros from results', () => {
    expect(add('0.15', '0.05')).toStrictEqual({ units: 2, scale: 1 });
    expect(add('0.75', '0.25')).toStrictEqual({ units: 1, scale: 0 });
    expect(add('123456789.125', '0.875')).toStrictEqual({ units: 123456790, scale: 0 });
  });

  it('goes past 2^53 with BigInt and comes back to numbers', () => {
    const max = decimalFromInteger(Number.MAX_SAFE_INTEGER);
    const over = addDecimal(max, decimalFromInteger(1));
    expect(over).toStrictEqual({ units: 9007199254740992n, scale: 0 });
    const odd = addDecimal(over, decimalFromInteger(1));
    expect(decimalToString(odd)).toBe('9007199254740993');
    expect(odd).toStrictEqual(dec('9007199254740993'));
    const back = addDecimal(odd, decimalFromInteger(-2));
    expect(back).toStrictEqual({ units: 9007199254740991, scale: 0 });
    // A fraction pushes the units past 2^53 even though the value is small.
    expect(add('9007199254740991', '0.5')).toStrictEqual({ units: 90071992547409915n, scale: 1 });
    expect(add('9007199254740991', '0.5', '-0.5')).toStrictEqual({ units: 9007199254740991, scale: 0 });
    expect(decimalToString(add('1e39', '1e39', '1e39'))).toBe(`3${'0'.repeat(39)}`);
  });

  it('adds negatives and crosses zero', () => {
    expect(add('-1.25', '-0.75')).toStrictEqual({ units: -2, scale: 0 });
    expect(decimalToString(add('0.5', '-0.75'))).toBe('-0.25');
    expect(decimalToString(add('-0.5', '0.75'))).toBe('0.25');
    const zero = add('0.1', '-0.1');
    expect(zero).toStrictEqual({ units: 0, scale: 0 });
    expect(Object.is(zero.units, 0)).toBe(true);
    expect(decimalToString(add('-0.1', '0.1'))).toBe('0');
    expect(add('1e39', '0.5', '-1e39')).toStrictEqual({ units: 5, scale: 1 });
    expect(add('-9007199254740993', '9007199254740992.25')).toStrictEqual({ units: -75, scale: 2 });
  });

  it('DecimalSum gives the same canonical value as addDecimal, and resets', () => {
    const texts = [
      '21.37',
      '7',
      '-0.5',
      '1e-3',
      '1.5E+10',
      '1e-20',
      '9007199254740993',
      '-1e39',
      '1e39',
      '-0.00000000000000000001',
    ];
    const sum = new DecimalSum();
    for (const t of texts) sum.add(dec(t));
    expect(key(sum.value)).toBe(key(add(...texts)));
    expect(decimalToString(sum.value)).toBe('9007214254741020.871');
    sum.reset();
    expect(sum.value).toStrictEqual({ units: 0, scale: 0 });
    sum.add(dec('0.1'));
    sum.add(dec('0.2'));
    expect(sum.value).toStrictEqual({ units: 3, scale: 1 });
  });
});

describe('compareDecimal, decimalToString, decimalToNumber, decimalFromInteger', () => {
  it('compares across scales, signs and representations', () => {
    const cases: [string, string, -1 | 0 | 1][] = [
      ['1.5', '1.50', 0],
      ['1.5', '15e-1', 0],
      ['-0', '0', 0],
      ['0.1', '0.2', -1],
      ['-0.1', '-0.2', 1],
      ['-1', '0.00000000000000000001', -1],
      ['1', '0.99999999999999999999', 1],
      ['9007199254740993', '9007199254740992.5', 1],
      ['1e39', '999999999999999999999999999999999999999.99999999999999999999', 1],
      ['-1e39', '1e-20', -1],
      ['90071992547409.91', '9007199254740.991', 1],
    ];
    for (const [a, b, expected] of cases) {
      expect(compareDecimal(dec(a), dec(b)), `${a} vs ${b}`).toBe(expected);
      expect(compareDecimal(dec(b), dec(a)), `${b} vs ${a}`).toBe(-expected || 0);
    }
  });

  it('prints plain notation', () => {
    expect(decimalToString({ units: 3, scale: 1 })).toBe('0.3');
    expect(decimalToString({ units: 12, scale: 0 })).toBe('12');
    expect(decimalToString({ units: -125, scale: 2 })).toBe('-1.25');
    expect(decimalToString({ units: 1, scale: 8 })).toBe('0.00000001');
    expect(decimalToString({ units: -1, scale: 8 })).toBe('-0.00000001');
    expect(decimalToString({ units: 123456789012345678901234567890n, scale: 0 })).toBe(
      '123456789012345678901234567890',
    );
    expect(decimalToString({ units: -12345678901234567890123456789n, scale: 24 })).toBe(
      '-12345.678901234567890123456789',
    );
    expect(decimalToString({ units: 0, scale: 0 })).toBe('0');
  });

  it('converts to the nearest double', () => {
    expect(decimalToNumber(dec('21.37'))).toBe(21.37);
    expect(Object.is(decimalToNumber(dec('-0')), 0)).toBe(true);
    expect(decimalToNumber(dec('1e39'))).toBe(1e39);
    expect(decimalToNumber(dec('9007199254740993'))).toBe(9007199254740992);
    expect(decimalToNumber(dec('1e-20'))).toBe(1e-20);
    expect(decimalToNumber(dec('-0.00000000000000000001'))).toBe(-1e-20);
    expect(decimalToNumber(divideDecimal(dec('1e-20'), 3))).toBe(3.33333333333333e-21);
  });

  it('builds from safe integers only', () => {
    expect(decimalFromInteger(7)).toStrictEqual({ units: 7, scale: 0 });
    expect(decimalFromInteger(-7)).toStrictEqual({ units: -7, scale: 0 });
    expect(Object.is(decimalFromInteger(-0).units, 0)).toBe(true);
    expect(() => decimalFromInteger(2 ** 53)).toThrow(RangeError);
    expect(() => decimalFromInteger(1.5)).toThrow(RangeError);
    expect(() => decimalFromInteger(Number.NaN)).toThrow(RangeError);
  });
});

describe('divideDecimal', () => {
  it.each([
    ['0.5', 1, '0.5'],
    ['1', 8, '0.125'],
    ['2', 3, '0.666666666666667'],
    ['-2', 3, '-0.666666666666667'],
    ['1', 3, '0.333333333333333'],
    ['10', 4, '2.5'],
    ['0', 5, '0'],
    ['-0', 1, '0'],
    ['1.0000000000000005', 1, '1'], // below the half: down
    ['1.000000000000005', 1, '1'], // exact tie, 0 is even: stays
    ['1.000000000000015', 1, '1.00000000000002'], // exact tie, 1 is odd: up
    ['1.000000000000025', 1, '1.00000000000002'], // exact tie, 2 is even: stays
    ['-1.000000000000015', 1, '-1.00000000000002'],
    ['2.00000000000001', 2, '1'], // the division makes the tie 1.000000000000005: stays
    ['2.00000000000003', 2, '1.00000000000002'], // the division makes the tie 1.000000000000015: up
    ['0.00000000000000000003', 2, '0.000000000000000000015'],
    ['1e-20', 3, '0.00000000000000000000333333333333333'],
    ['1e39', 7, `142857142857143${'0'.repeat(24)}`],
    ['123456789012345678', 1, '123456789012346000'],
    ['999999999999999.5', 1, '1000000000000000'], // rounds up to a 16th digit
    ['7', 9007199254740991, '0.00000000000000077715611723761'],
  ] as [string, number, string][])('%s / %i = %s', (sum, count, expected) => {
    const mean = divideDecimal(dec(sum), count);
    expect(decimalToString(mean)).toBe(expected);
    expectCanonical(mean);
  });

  it('refuses counts that are not safe integers ≥ 1', () => {
    expect(() => divideDecimal(dec('1'), 0)).toThrow(RangeError);
    expect(() => divideDecimal(dec('1'), -1)).toThrow(RangeError);
    expect(() => divideDecimal(dec('1'), 1.5)).toThrow(RangeError);
  });
});

describe('squareDecimal', () => {
  it.each([
    ['0', '0'],
    ['-1.5', '2.25'],
    ['0.1', '0.01'],
    ['94906265', '9007199136250225'], // just under 2^53: still a safe integer
    ['94906266.5', '9007199420969022.25'], // past 2^53 in units: BigInt
    ['-123456789012345678901234567890', '15241578753238836750495351562536198787501905199875019052100'],
  ])('%s² = %s', (a, expected) => {
    const sq = squareDecimal(dec(a));
    expect(decimalToString(sq)).toBe(expected);
    expectCanonical(sq);
  });

  it('equals a BigInt square on seeded random values', () => {
    const { next: r } = rng(0x5a1);
    for (let i = 0; i < 2_000; i++) {
      const digits = 1 + Math.floor(r() * 30);
      const scale = Math.floor(r() * 15);
      let text = String(1 + Math.floor(r() * 9));
      while (text.length < digits) text += String(Math.floor(r() * 10));
      const units = BigInt((r() < 0.5 ? '-' : '') + text);
      const expected = decimalToString(decimalFromParts(String(units * units), scale * 2));
      expect(decimalToString(squareDecimal(decimalFromParts(String(units), scale)))).toBe(expected);
    }
  });
});

describe('roundedQuotient and roundedSqrtQuotient', () => {
  it('rounds a fraction as divideDecimal rounds a mean', () => {
    expect(decimalToString(roundedQuotient(2n, 3n, 0))).toBe(decimalToString(divideDecimal(dec('2'), 3)));
    expect(decimalToString(roundedQuotient(-2n, 3n, 2))).toBe('-0.00666666666666667');
    expect(decimalToString(roundedQuotient(5n, 1n, 0))).toBe('5');
    expect(() => roundedQuotient(1n, 0n, 0)).toThrow(RangeError);
  });

  it.each([
    [2n, 1n, 0, '1.4142135623731'], // √2 = 1.41421356237309504…: the 15th digit rounds up to 10
    [1n, 4n, 0, '0.5'],
    [9n, 1n, 2, '0.3'],
    [1n, 1n, 1, '0.316227766016838'], // √0.1
    [2n, 1n, 41, '0.00000000000000000000447213595499958'], // √(2e-41) = 4.4721359549995794e-21
    [10n ** 60n, 1n, 0, '1000000000000000000000000000000'],
    [0n, 7n, 3, '0'],
  ])('√(%s ÷ (%s × 10^%i)) = %s', (num, den, scale, expected) => {
    const root = roundedSqrtQuotient(num, den, scale);
    expect(decimalToString(root)).toBe(expected);
    expectCanonical(root);
  });

  it('is the correctly rounded root: its neighbours a unit of the 15th digit away are farther from it', () => {
    const { next: r } = rng(0x5a2);
    for (let i = 0; i < 500; i++) {
      const num = BigInt(1 + Math.floor(r() * 1e12)) * BigInt(1 + Math.floor(r() * 1e6));
      const den = BigInt(1 + Math.floor(r() * 1e9));
      const scale = Math.floor(r() * 30);
      const root = roundedSqrtQuotient(num, den, scale);
      // root = u × 10^-s with at most 15 significant digits; compare the squares of root ± ½ ulp exactly.
      const u = BigInt(root.units);
      const s = root.scale;
      const digits = u.toString().length;
      const pad = 15 - digits; // units of the 15th significant digit
      const U = u * 10n ** BigInt(Math.max(0, pad));
      const S = s + Math.max(0, pad);
      // (U ± ½)² × 10^(-2S) against num / (den × 10^scale), all scaled to integers.
      const target = num * 4n * 10n ** BigInt(2 * S); // 4·X·10^(2S+scale)·den … cross-multiplied below
      const lower = (2n * U - 1n) ** 2n * den * 10n ** BigInt(scale);
      const upper = (2n * U + 1n) ** 2n * den * 10n ** BigInt(scale);
      expect(lower <= target).toBe(true);
      expect(target <= upper).toBe(true);
    }
  });
});

describe('properties (seeded)', () => {
  it('sums do not depend on order or on how partial sums are split and merged, and match a BigInt reference', () => {
    const r = rng(0x5eed);
    let sawBig = 0;
    let sawSmallScale = 0;
    for (let round = 0; round < 3000; round++) {
      const n = r.int(1, 30);
      const texts: string[] = [];
      for (let i = 0; i < n; i++) texts.push(r.decimalText());
      // Some lists cancel their big parts, so sums cross back from BigInt into numbers.
      if (r.next() < 0.25)
        for (const t of texts.slice(0, r.int(0, n))) texts.push(t.startsWith('-') ? t.slice(1) : `-${t}`);
      const values = texts.map(dec);
      const total = sumAll(values);
      expectCanonical(total, texts.join(' '));
      if (typeof total.units === 'bigint') sawBig++;
      if (total.scale < 5) sawSmallScale++;

      const ref = texts.reduce((acc, t) => acc + refParse(t), 0n);
      expect(toRef(total), texts.join(' ')).toBe(ref);
      expect(decimalToString(total)).toBe(formatPlain(ref, -REF_SCALE));

      const shuffled = r.shuffle(values);
      expect(key(sumAll(shuffled))).toBe(key(total));

      // Random contiguous pieces of a shuffled order, each summed, merged in yet another order.
      const pieces: Decimal[][] = [[]];
      for (const v of shuffled) {
        if (r.next() < 0.3) pieces.push([]);
        pieces[pieces.length - 1].push(v);
      }
      const partials = pieces.map(sumAll);
      expect(key(sumAll(r.shuffle(partials)))).toBe(key(total));

      const acc = new DecimalSum();
      const accs = pieces.map((piece) => {
        const s = new DecimalSum();
        for (const v of piece) s.add(v);
        return s;
      });
      for (const v of r.shuffle(values)) acc.add(v);
      expect(key(acc.value)).toBe(key(total));
      const merged = new DecimalSum();
      for (const s of r.shuffle(accs)) merged.add(s.value);
      expect(key(merged.value)).toBe(key(total));
    }
    // Both representations were exercised.
    expect(sawBig).toBeGreaterThan(300);
    expect(sawSmallScale).toBeGreaterThan(150);
  });

  it('text round-trips: parseDecimal(decimalToString(d)) equals d', () => {
    const r = rng(0xdec1);
    for (let i = 0; i < 5000; i++) {
      const texts = Array.from({ length: r.int(1, 3) }, () => r.decimalText());
      const d = sumAll(texts.map(dec));
      const text = decimalToString(d);
      expect(text).not.toMatch(/e|^-0$|^-?0\d|\.$|\.\d*0$/i);
      const ref = texts.reduce((acc, t) => acc + refParse(t), 0n);
      const abs = ref < 0n ? -ref : ref;
      if (abs >= 10n ** BigInt(40 + REF_SCALE)) {
        expect(parseDecimal(text)).toBe(TOO_LARGE);
        continue;
      }
      expect(key(dec(text)), text).toBe(key(d));
      expect(parseDecimalBytes(Buffer.from(` ${text} `), 1, text.length + 1)).toStrictEqual(d);
      expect(decimalToNumber(d)).toBe(Number(text));
    }
  });

  it('compareDecimal agrees with the BigInt reference', () => {
    const r = rng(0xc0de);
    const tiny = ['1e-20', '-1e-20', '0.01', '-1', '0'];
    for (let i = 0; i < 5000; i++) {
      const ta = r.decimalText();
      const pick = r.next();
      // Unrelated values, near neighbours, and equal values written differently.
      const tb =
        pick < 0.4
          ? r.decimalText()
          : pick < 0.8
            ? decimalToString(addDecimal(dec(ta), dec(tiny[r.int(0, 4)])))
            : `${decimalToString(dec(ta))}e0`;
      const a = dec(ta);
      const b = dec(tb);
      const ra = toRef(a);
      const rb = toRef(b);
      const expected = ra < rb ? -1 : ra > rb ? 1 : 0;
      expect(compareDecimal(a, b), `${ta} vs ${tb}`).toBe(expected);
      expect(compareDecimal(b, a), `${tb} vs ${ta}`).toBe(-expected || 0);
      if (expected === 0) expect(key(a)).toBe(key(b));
    }
  });

  it('divideDecimal rounds half-to-even to 15 significant digits like the reference, ties included', () => {
    const r = rng(0x3ea9);
    let ties = 0;
    for (let i = 0; i < 4000; i++) {
      let text: string;
      let count: number;
      const kind = r.next();
      if (kind < 0.3) {
        // An exact tie: (15 digits, then 5) × count, divided by count.
        count = r.int(1, 100_000);
        const tie = BigInt(String(r.int(1, 9)) + r.digits(14) + '5') * BigInt(count);
        text = `${r.next() < 0.5 ? '-' : ''}${tie}e-${r.int(0, 20)}`;
        ties++;
      } else {
        text = r.decimalText();
        const c = r.next();
        count = c < 0.4 ? r.int(1, 10) : c < 0.8 ? r.int(1, 1_000_000) : r.int(1, Number.MAX_SAFE_INTEGER);
      }
      const sum = dec(text);
      const mean = divideDecimal(sum, count);
      expectCanonical(mean, `${text} / ${count}`);
      expect(decimalToString(mean), `${text} / ${count}`).toBe(refMean(toRef(sum), count));
    }
    expect(ties).toBeGreaterThan(1000);
  });
});

describe('decimalParts', () => {
  it('round-trips any decimal, beyond the input limits too, in canonical form', () => {
    const big = parseDecimal('9'.repeat(39)) as Decimal;
    const huge = addDecimal(big, big); // past 1e39·2: beyond what one input value may be
    for (const d of [
      huge,
      parseDecimal('-0.00000000000000000001'),
      parseDecimal('21.37'),
      parseDecimal('0'),
    ] as Decimal[]) {
      const [units, scale] = decimalParts(d);
      expect(decimalFromParts(units, scale)).toEqual(d);
    }
    expect(decimalToString(decimalFromParts('2500', 3))).toBe('2.5');
    expect(() => decimalFromParts('1.5', 0)).toThrow(RangeError);
    expect(() => decimalFromParts('15', -1)).toThrow(RangeError);
  });
});
