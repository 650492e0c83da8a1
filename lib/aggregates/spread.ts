/**
 * Population variance and standard deviation from a window's exact count, sum and sum of squares:
 * variance = (n·Σx² − (Σx)²) / n², an exact fraction, rounded half-to-even to 15 significant digits
 * like the mean; stddev is the square root of that exact fraction, rounded the same way. Neither
 * depends on the order readings came in or how partitions split them.
 */
import { roundedQuotient, roundedSqrtQuotient, type Decimal } from '../decimal';

/** The variance as num ÷ (den × 10^scale). */
export interface Fraction {
  num: bigint;
  den: bigint;
  scale: number;
}

export function varianceFraction(count: number, sum: Decimal, sumSquares: Decimal): Fraction {
  const scale = Math.max(sumSquares.scale, 2 * sum.scale);
  const n = BigInt(count);
  const s = BigInt(sum.units);
  const num =
    n * BigInt(sumSquares.units) * 10n ** BigInt(scale - sumSquares.scale) -
    s * s * 10n ** BigInt(scale - 2 * sum.scale);
  return { num, den: n * n, scale };
}

export function variance(f: Fraction): Decimal {
  return roundedQuotient(f.num, f.den, f.scale);
}

export function stddev(f: Fraction): Decimal {
  return roundedSqrtQuotient(f.num, f.den, f.scale);
}
