import { describe, expect, it } from 'vitest';
import { EventClock } from '../../../../lib/engine/eventClock';
import { QuietEvidence, type ProbeResult } from '../../../../lib/engine/quietEvidence';

const T0 = 1_763_900_000_000;
const probe = (atMs: number, brokersAnswered: boolean, ends: Record<number, number>, start = 0): ProbeResult => ({
  atMs,
  brokersAnswered,
  offsets: new Map(Object.entries(ends).map(([p, end]) => [Number(p), { start, end }])),
});
const positions = (entries: Record<number, number>) => new Map(Object.entries(entries).map(([p, o]) => [Number(p), o]));

const span = (sinceMs: number, untilMs: number) => ({ sinceMs, untilMs });

describe('QuietEvidence', () => {
  it('calls a partition quiet only from a probe that found it read to its end, with every broker answering', () => {
    const e = new QuietEvidence({ graceMs: 5_000, maxAgeMs: 4_000 });
    expect(e.quietSpan(0, T0)).toBeNull(); // nothing probed yet
    e.record(probe(T0, true, { 0: 10, 1: 10 }), positions({ 0: 10, 1: 7 }));
    expect(e.quietSpan(0, T0 + 100)).toEqual(span(T0, T0));
    expect(e.quietSpan(1, T0 + 100)).toBeNull(); // three records not read yet
    e.record(probe(T0 + 1_000, true, { 0: 10, 1: 10 }), positions({ 0: 10, 1: 10 }));
    // quiet since its first such probe, known up to the last one
    expect([e.quietSpan(0, T0 + 1_100), e.quietSpan(1, T0 + 1_100)]).toEqual([
      span(T0, T0 + 1_000),
      span(T0 + 1_000, T0 + 1_000),
    ]);
  });

  it('ends the span at the last probe, however late it is asked', () => {
    const e = new QuietEvidence({ graceMs: 0, maxAgeMs: 4_000 });
    e.record(probe(T0, true, { 0: 10 }), positions({ 0: 10 }));
    e.record(probe(T0 + 1_000, true, { 0: 10 }), positions({ 0: 10 }));
    expect(e.quietSpan(0, T0 + 3_900)).toEqual(span(T0, T0 + 1_000));
  });

  it('voids all evidence while a broker does not answer, and waits out the grace period after', () => {
    const e = new QuietEvidence({ graceMs: 5_000, maxAgeMs: 4_000 });
    e.record(probe(T0, true, { 0: 10 }), positions({ 0: 10 }));
    e.record(probe(T0 + 1_000, false, {}), positions({ 0: 10 }));
    expect(e.quietSpan(0, T0 + 1_500)).toBeNull();
    e.record(probe(T0 + 2_000, true, { 0: 10 }), positions({ 0: 10 }));
    expect(e.quietSpan(0, T0 + 2_500)).toBeNull(); // answering again, but within the grace period
    e.record(probe(T0 + 5_000, true, { 0: 10 }), positions({ 0: 10 }));
    expect(e.quietSpan(0, T0 + 5_500)).toBeNull(); // the grace period ends at T0 + 6 s: no probe since
    e.record(probe(T0 + 6_500, true, { 0: 10 }), positions({ 0: 10 }));
    expect(e.quietSpan(0, T0 + 6_600)).toEqual(span(T0 + 6_000, T0 + 6_500));
  });

  it('forgets a partition that got new records, one not answered for, and evidence grown old', () => {
    const e = new QuietEvidence({ graceMs: 0, maxAgeMs: 4_000 });
    e.record(probe(T0, true, { 0: 10, 1: 5 }), positions({ 0: 10, 1: 5 }));
    e.record(probe(T0 + 1_000, true, { 0: 12 }), positions({ 0: 10, 1: 5 }));
    expect([e.quietSpan(0, T0 + 1_000), e.quietSpan(1, T0 + 1_000)]).toEqual([null, null]);
    e.record(probe(T0 + 2_000, true, { 0: 12 }), positions({ 0: 12 }));
    expect(e.quietSpan(0, T0 + 2_000)).toEqual(span(T0 + 2_000, T0 + 2_000));
    expect(e.quietSpan(0, T0 + 6_001)).toBeNull(); // probes stopped answering
  });

  it('counts records removed by retention as read', () => {
    const e = new QuietEvidence({ graceMs: 0, maxAgeMs: 4_000 });
    e.record(probe(T0, true, { 0: 100 }, 100), positions({ 0: 0 }));
    expect(e.quietSpan(0, T0)).toEqual(span(T0, T0));
  });
});

describe('EventClock idle advance', () => {
  const options = { allowedLatenessMs: 1_000, idleTimeoutMs: 2_000, startedAtMs: T0 };

  it('never takes time without evidence for idleness', () => {
    const c = new EventClock(options);
    c.arrived(T0);
    c.observe(T0);
    expect(c.advanceIdle(null)).toBe(T0 - 1_000);
  });

  it('moves with the wall clock from the later of the last arrival and the start of the evidence, to its end', () => {
    const c = new EventClock(options);
    c.arrived(T0);
    c.observe(T0);
    expect(c.advanceIdle(span(T0 + 9_000, T0 + 10_000))).toBe(T0 - 1_000); // quiet for 1 s only
    expect(c.advanceIdle(span(T0 + 9_000, T0 + 12_000))).toBe(T0 + 3_000 - 1_000);
    c.arrived(T0 + 13_000);
    expect(c.advanceIdle(span(T0 + 9_000, T0 + 14_000))).toBe(T0 + 2_000); // a reading arrived: idle again from it
  });

  it('never reaches past the last probe: a reading appended after it, within the lateness, stays on time', () => {
    const c = new EventClock(options);
    c.arrived(T0);
    c.observe(T0);
    // Probes found the input read to its end from T0 + 0.5 s to T0 + 1.5 s. The worker is then held
    // up until T0 + 6.5 s; meanwhile a reading of T0 + 2 s reached Kafka at once and waits behind
    // this step. Idle time ends at the last probe: 1 s, not 6 s, so its window is still open.
    expect(c.advanceIdle(span(T0 + 500, T0 + 1_500))).toBe(T0 - 1_000);
    // Once a later probe also finds nothing unread (the reading was taken in before it), time moves on.
    expect(c.advanceIdle(span(T0 + 500, T0 + 3_000))).toBe(T0 + 2_500 - 1_000);
  });

  it('follows the wall clock on an input with no reading at all, once it is known to be quiet', () => {
    const c = new EventClock(options);
    expect(c.advanceIdle(null)).toBe(Number.NEGATIVE_INFINITY);
    expect(c.advanceIdle(span(T0 + 1_000, T0 + 5_000))).toBe(T0 + 4_000);
  });

  it('restores the watermark and measures idle time from the restart', () => {
    const c = EventClock.restore({ watermarkMs: T0, maxEventTimeMs: T0 + 1_000 }, options, T0 + 50_000);
    expect(c.advanceIdle(span(Number.NEGATIVE_INFINITY, T0 + 51_000))).toBe(T0);
    expect(c.advanceIdle(span(Number.NEGATIVE_INFINITY, T0 + 52_000))).toBe(T0 + 1_000 + 2_000 - 1_000);
  });
});
