import { describe, expect, it } from 'vitest';
import { ASIDE_HEADERS, decodeAside, encodeAside } from '../../../lib/asideEnvelope';

describe('the envelope of a record set aside', () => {
  it('round-trips: the input record as it was, why, and where it was read from', () => {
    const record = { key: Buffer.from('s1'), value: Buffer.from('{"id": "s1", "time": "soon"}') };
    const message = encodeAside(record, 'time: not a number', { topic: 'readings', partition: 2, offset: 1234 });
    expect(message.headers).toEqual({
      [ASIDE_HEADERS.reason]: 'time: not a number',
      [ASIDE_HEADERS.topic]: 'readings',
      [ASIDE_HEADERS.partition]: '2',
      [ASIDE_HEADERS.offset]: '1234',
    });
    // As a consumer gets it back: header values as bytes.
    const headers = Object.fromEntries(Object.entries(message.headers).map(([k, v]) => [k, Buffer.from(v)]));
    expect(decodeAside({ ...message, headers })).toEqual({
      key: record.key,
      value: record.value,
      reason: 'time: not a number',
      source: { topic: 'readings', partition: 2, offset: '1234' },
    });
  });

  it('reads missing or foreign headers as null', () => {
    const nothing = { topic: null, partition: null, offset: null };
    expect(decodeAside({ key: null, value: null })).toEqual({ key: null, value: null, reason: null, source: nothing });
    const headers = { [ASIDE_HEADERS.partition]: '-1', [ASIDE_HEADERS.offset]: '1e3' };
    const odd = decodeAside({ key: null, value: null, headers });
    expect(odd.source).toEqual(nothing);
  });
});
