/**
 * The state behind the aggregates a window carries beyond the base five, kept per sensor and
 * window when chosen (choice.ts): an exact sum of squares (variance, stddev), the first and last
 * reading (first, last), and a quantile sketch (p50…p99). Each merges exactly, so a window merged
 * from partitions' partials equals the window of all its readings.
 *
 * A partial that lacks state its window keeps (written by a worker with other aggregates chosen)
 * makes that state unknown for the window: the aggregate is left out of its record, never computed
 * from a share of the readings.
 */
import { decimalToNumber, DecimalSum, squareDecimal, type Decimal } from '../decimal';
import type { Accumulation } from './choice';
import { Sketch } from './sketch';

/** A reading as first/last compare it: lowest (highest) event time, ties by partition, then offset. */
export interface Observation {
  value: Decimal;
  timeMs: number;
  partition: number;
  offset: number;
}

/** Extras as a window result carries them: absent when not chosen or not known. */
export interface ExtraResults {
  sumSquares?: Decimal;
  first?: Observation;
  last?: Observation;
  sketch?: Sketch;
}

/** Per state: undefined while not kept, null once unknown (a partial lacked it). */
export interface ExtraState {
  squares?: DecimalSum | null;
  first?: Observation | null;
  last?: Observation | null;
  sketch?: Sketch | null;
}

export function keepsExtras(a: Accumulation): boolean {
  return a.squares || a.firstLast || a.sketchAccuracy !== null;
}

/** Whether the reading at (timeMs, partition, offset) comes before `b`. */
function comesBefore(timeMs: number, partition: number, offset: number, b: Observation): boolean {
  if (timeMs !== b.timeMs) return timeMs < b.timeMs;
  if (partition !== b.partition) return partition < b.partition;
  return offset < b.offset;
}

const before = (a: Observation, b: Observation) => comesBefore(a.timeMs, a.partition, a.offset, b);

/** The state of one reading: `value` at `timeMs`, at `offset` of input partition `partition`. */
export function extrasOfReading(
  a: Accumulation,
  value: Decimal,
  timeMs: number,
  partition: number,
  offset: number,
): ExtraState {
  const state: ExtraState = {};
  if (a.squares) {
    state.squares = new DecimalSum();
    state.squares.add(squareDecimal(value));
  }
  if (a.firstLast) {
    const reading = { value, timeMs, partition, offset };
    state.first = reading;
    state.last = reading;
  }
  if (a.sketchAccuracy !== null) {
    state.sketch = new Sketch(a.sketchAccuracy);
    state.sketch.accept(decimalToNumber(value));
  }
  return state;
}

/** Adds a reading (as extrasOfReading takes it); allocates only a first or last it replaces. */
export function addReadingExtras(
  state: ExtraState,
  value: Decimal,
  timeMs: number,
  partition: number,
  offset: number,
): void {
  if (state.squares) state.squares.add(squareDecimal(value));
  if (state.first && comesBefore(timeMs, partition, offset, state.first))
    state.first = { value, timeMs, partition, offset };
  if (state.last && !comesBefore(timeMs, partition, offset, state.last))
    state.last = { value, timeMs, partition, offset };
  if (state.sketch) state.sketch.accept(decimalToNumber(value));
}

/** The state of a partial, as its window's first share: what `a` keeps and the partial lacks is unknown. */
export function extrasOfPartial(a: Accumulation, partial: ExtraResults): ExtraState {
  const state: ExtraState = {};
  if (a.squares) {
    state.squares = partial.sumSquares ? new DecimalSum() : null;
    state.squares?.add(partial.sumSquares!);
  }
  if (a.firstLast) {
    state.first = partial.first ?? null;
    state.last = partial.last ?? null;
  }
  if (a.sketchAccuracy !== null) {
    state.sketch = partial.sketch ? new Sketch(a.sketchAccuracy) : null;
    if (state.sketch && !state.sketch.merge(partial.sketch!)) state.sketch = null;
  }
  return state;
}

export function addPartialExtras(state: ExtraState, partial: ExtraResults): void {
  if (state.squares !== undefined) {
    if (!partial.sumSquares) state.squares = null;
    else state.squares?.add(partial.sumSquares);
  }
  if (state.first !== undefined) {
    if (!partial.first) state.first = null;
    else if (state.first && before(partial.first, state.first)) state.first = partial.first;
  }
  if (state.last !== undefined) {
    if (!partial.last) state.last = null;
    else if (state.last && before(state.last, partial.last)) state.last = partial.last;
  }
  if (state.sketch !== undefined) {
    if (!partial.sketch || (state.sketch && !state.sketch.merge(partial.sketch))) state.sketch = null;
  }
}

/** Sets on `out` the extras `state` knows. */
export function addExtraResults(out: ExtraResults, state: ExtraState): void {
  if (state.squares) out.sumSquares = state.squares.value;
  if (state.first) out.first = state.first;
  if (state.last) out.last = state.last;
  if (state.sketch) out.sketch = state.sketch;
}
