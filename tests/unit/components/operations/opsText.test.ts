import { describe, expect, it } from 'vitest';
import { behindNow, duration, preview, printable, redriveSentences } from '../../../../components/operations/opsText';

describe('behindNow', () => {
  it('says how far a watermark is behind the clock', () => {
    expect(behindNow(10_000, 14_900)).toBe('4 s behind now');
    expect(behindNow(0, 125_000)).toBe('2 min 5 s behind now');
    expect(behindNow(0, 3_780_000)).toBe('1 h 3 min behind now');
    expect(behindNow(0, 90_000_000)).toBe('1 d 1 h behind now');
    expect(behindNow(5_000, 2_000)).toBe('3 s ahead of now');
    expect(behindNow(null, 1)).toBe('no watermark yet');
    expect(duration(59_999)).toBe('59 s');
  });
});

describe('printable', () => {
  it('escapes control and invisible characters so a value cannot disguise itself', () => {
    expect(printable({ encoding: 'utf8', data: 'a\nb\tc\u0000d\u202ee\\', bytes: 12, truncated: false })).toEqual({
      text: 'a\\nb\\tc\\u0000d\\u202ee\\\\',
      note: null,
    });
  });

  it('keeps markup and other text as it is (the page renders it as text)', () => {
    expect(printable({ encoding: 'utf8', data: '<b>é</b>', bytes: 9, truncated: false }).text).toBe('<b>é</b>');
  });

  it('says when bytes are base64, cut short, empty or null', () => {
    expect(printable({ encoding: 'base64', data: '//4=', bytes: 2, truncated: false })).toEqual({
      text: '//4=',
      note: 'not valid UTF-8, shown as base64',
    });
    expect(printable({ encoding: 'utf8', data: 'abc', bytes: 9000, truncated: true }).note).toBe(
      'first part of 9000 bytes',
    );
    expect(printable({ encoding: 'utf8', data: '', bytes: 0, truncated: false })).toEqual({ text: '', note: 'empty' });
    expect(printable(null)).toEqual({ text: '', note: 'null' });
  });
});

describe('redriveSentences', () => {
  it('tells where each redriven record went', () => {
    const sentences = redriveSentences(
      {
        status: 200,
        error: null,
        outcome: {
          redriven: 2,
          refused: 0,
          results: [
            {
              partition: 0,
              offset: '12',
              status: 'redriven',
              replaced: false,
              to: { topic: 'in', partition: 1, offset: '345' },
            },
            { partition: 0, offset: '13', status: 'redriven', replaced: true, to: null },
          ],
        },
      },
      'dlq',
    );
    expect(sentences).toEqual([
      '2 records were sent back to the input topic.',
      'dlq/0/12 was redriven to in partition 1 at offset 345 with its original value.',
      'dlq/0/13 was redriven with your replacement value.',
    ]);
  });

  it('says nothing was redriven, and why, when the server refused', () => {
    const sentences = redriveSentences(
      {
        status: 409,
        error:
          'records.0: dlq/0/12 was already redriven at 2026-01-01T00:00:00.000Z; send "again": true to redrive it again',
        outcome: {
          redriven: 0,
          refused: 1,
          results: [
            {
              partition: 0,
              offset: '12',
              status: 'refused',
              reason:
                'dlq/0/12 was already redriven at 2026-01-01T00:00:00.000Z; send "again": true to redrive it again',
            },
          ],
        },
      },
      'dlq',
    );
    expect(sentences).toEqual([
      'Nothing was redriven: a redrive sends every selected record or none.',
      'dlq/0/12 was not redriven: dlq/0/12 was already redriven at 2026-01-01T00:00:00.000Z; tick “Send again” to redrive it anyway.',
    ]);
    expect(
      redriveSentences(
        { status: 503, error: 'redrive: nothing was redriven (timeout); try again', outcome: null },
        'dlq',
      ),
    ).toEqual(['Nothing was redriven (timeout); try again.']);
    expect(
      redriveSentences({ status: 0, error: 'the server could not be reached (offline)', outcome: null }, 'dlq'),
    ).toEqual(['Nothing was redriven: the server could not be reached (offline).']);
  });
});

describe('preview', () => {
  it('ends at the first line break, shown as \\n', () => {
    const { text } = printable({ encoding: 'utf8', data: 'first line\nsecond', bytes: 17, truncated: false });
    expect(preview(text)).toEqual({ start: 'first line', more: true });
  });

  it('ends after 160 characters of one long line, and is the whole of a short one', () => {
    expect(preview('x'.repeat(8_192))).toEqual({ start: 'x'.repeat(160), more: true });
    expect(preview('short')).toEqual({ start: 'short', more: false });
    expect(preview('')).toEqual({ start: '', more: false });
  });
});
