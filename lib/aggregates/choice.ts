/**
 * Which aggregates a window carries. Every window has the base five (count, sum, min, max, mean):
 * they cost nothing, the merge and the verifier need count and sum, and every reader of the output
 * topic relies on them. A definition adds any of the others, each computed only when chosen.
 */
const BASE_AGGREGATES = ['count', 'sum', 'min', 'max', 'mean'] as const;
export const EXTRA_AGGREGATES = ['variance', 'stddev', 'first', 'last', 'p50', 'p90', 'p95', 'p99'] as const;

export type ExtraAggregate = (typeof EXTRA_AGGREGATES)[number];
export type QuantileAggregate = 'p50' | 'p90' | 'p95' | 'p99';

export const QUANTILE_OF: Readonly<Record<QuantileAggregate, number>> = { p50: 0.5, p90: 0.9, p95: 0.95, p99: 0.99 };

export const DEFAULT_RELATIVE_ACCURACY = 0.01;

export interface AggregateChoice {
  /** In EXTRA_AGGREGATES order, each once. */
  extras: readonly ExtraAggregate[];
  /** The quantile sketch's relative accuracy α: a reported quantile is within α × its exact value. */
  relativeAccuracy: number;
}

export const BASE_ONLY: AggregateChoice = { extras: [], relativeAccuracy: DEFAULT_RELATIVE_ACCURACY };

/** What a window's accumulator keeps so that the chosen aggregates can be computed and merged. */
export interface Accumulation {
  squares: boolean;
  firstLast: boolean;
  /** Null: no sketch is kept. */
  sketchAccuracy: number | null;
}

export function accumulationFor(choice: AggregateChoice): Accumulation {
  const has = (a: ExtraAggregate) => choice.extras.includes(a);
  return {
    squares: has('variance') || has('stddev'),
    firstLast: has('first') || has('last'),
    sketchAccuracy: choice.extras.some(isQuantile) ? choice.relativeAccuracy : null,
  };
}

export function isQuantile(a: string): a is QuantileAggregate {
  return Object.hasOwn(QUANTILE_OF, a);
}

const ALL_AGGREGATES: readonly string[] = [...BASE_AGGREGATES, ...EXTRA_AGGREGATES];

/**
 * A comma-separated list of aggregate names (blanks ignored, base ones allowed and always kept) as
 * the extras it chooses, or the rule it breaks.
 */
export function parseAggregateList(text: string): ExtraAggregate[] | string {
  const names = text
    .split(',')
    .map((n) => n.trim())
    .filter((n) => n.length > 0);
  const unknown = names.find((n) => !ALL_AGGREGATES.includes(n));
  if (unknown !== undefined) return `"${unknown}" is not an aggregate; choose from ${ALL_AGGREGATES.join(', ')}`;
  return EXTRA_AGGREGATES.filter((a) => names.includes(a));
}

/** The sketch keeps values within (0, 1) relative error; a very fine one costs memory for nothing. */
export const RELATIVE_ACCURACY_RANGE = { min: 0.0001, max: 0.5 } as const;
