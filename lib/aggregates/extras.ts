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
import { mergeSketch, newSketch, type Sketch } from './sketch';

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

function before(a: Observation, b: Observation): boolean {
  if (a.timeMs !== b.timeMs) return a.timeMs < b.timeMs;
  if (a.partition !== b.partition) return a.partition < b.partition;
  return a.offset < b.offset;
}

/** The state of one reading. */
export function extrasOfReading(a: Accumulation, reading: Observation): ExtraState {
  const state: ExtraState = {};
  if (a.squares) {
    state.squares = new DecimalSum();
    state.squares.add(squareDecimal(reading.value));
  }
  if (a.firstLast) {
    state.first = reading;
    state.last = reading;
  }
  if (a.sketchAccuracy !== null) {
    state.sketch = newSketch(a.sketchAccuracy);
    state.sketch.accept(decimalToNumber(reading.value));
  }
  return state;
}

export function addReadingExtras(state: ExtraState, reading: Observation): void {
  if (state.squares) state.squares.add(squareDecimal(reading.value));
  if (state.first && before(reading, state.first)) state.first = reading;
  if (state.last && before(state.last, reading)) state.last = reading;
  if (state.sketch) state.sketch.accept(decimalToNumber(reading.value));
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
    state.sketch = partial.sketch ? newSketch(a.sketchAccuracy) : null;
    if (state.sketch && !mergeSketch(state.sketch, partial.sketch!)) state.sketch = null;
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
    if (!partial.sketch || (state.sketch && !mergeSketch(state.sketch, partial.sketch))) state.sketch = null;
  }
}

export function extraResults(state: ExtraState): ExtraResults {
  const out: ExtraResults = {};
  if (state.squares) out.sumSquares = state.squares.value;
  if (state.first) out.first = state.first;
  if (state.last) out.last = state.last;
  if (state.sketch) out.sketch = state.sketch;
  return out;
}
