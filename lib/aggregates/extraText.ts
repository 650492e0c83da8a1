/**
 * The extra aggregates of a closed window as the JSON number text its output record carries.
 * Variance, stddev, first and last are exact decimal text, as sum and mean are; a quantile is the
 * sketch's value (a double, within its relative accuracy of the exact quantile).
 */
import { decimalToString } from '../decimal';
import type { WindowResult } from '../engine/windowStore';
import { EXTRA_AGGREGATES, isQuantile, QUANTILE_OF, type ExtraAggregate } from './choice';
import { stddev, variance, varianceFraction } from './spread';

export type ExtraTexts = Partial<Record<ExtraAggregate, string>>;

/** The chosen extras `w` can give, in EXTRA_AGGREGATES' order; one it lacks the state for is left out. */
export function extraTexts(w: WindowResult, chosen: readonly ExtraAggregate[]): ExtraTexts {
  const out: ExtraTexts = {};
  if (chosen.length === 0) return out;
  const fraction = w.sumSquares ? varianceFraction(w.count, w.sum, w.sumSquares) : null;
  const quantiles = chosen.filter(isQuantile);
  const values = w.sketch && quantiles.length > 0 ? w.sketch.quantiles(quantiles.map((q) => QUANTILE_OF[q])) : [];
  for (const a of EXTRA_AGGREGATES) {
    if (!chosen.includes(a)) continue;
    if (a === 'variance' && fraction) out.variance = decimalToString(variance(fraction));
    else if (a === 'stddev' && fraction) out.stddev = decimalToString(stddev(fraction));
    else if (a === 'first' && w.first) out.first = decimalToString(w.first.value);
    else if (a === 'last' && w.last) out.last = decimalToString(w.last.value);
    else if (isQuantile(a) && w.sketch) out[a] = String(values[quantiles.indexOf(a)]);
  }
  return out;
}
