/**
 * The byte scanner must agree with JSON.parse on everything it accepts, and decline the rest.
 * Checked on hand-picked edge cases and on many seeded random variations of readings.
 */
import { describe, expect, it } from 'vitest';
import { decodeReading, validateReading } from '../../lib/reading';
import { scanReading, type ScannedFields } from '../../lib/readingScanner';

const NOW = 1_763_900_000_000;
const rules = { maxFutureMs: 10_000 };

function viaJson(text: string) {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return { ok: false, code: 'not_json', reason: 'value: not valid JSON' };
  }
  return validateReading(parsed, NOW, rules);
}

function agrees(text: string): { scanned: boolean } {
  const out: ScannedFields = { id: undefined, time: undefined, value: undefined };
  const scanned = scanReading(Buffer.from(text, 'utf8'), out);
  if (scanned) {
    const parsed = JSON.parse(text) as Record<string, unknown>; // must not throw when the scanner accepted it
    expect({ id: out.id, time: out.time, value: out.value }, text).toEqual({ id: parsed.id, time: parsed.time, value: parsed.value });
    expect(Object.is(out.value, parsed.value), text).toBe(true);
  }
  expect(decodeReading(Buffer.from(text, 'utf8'), NOW, rules), text).toEqual(viaJson(text));
  return { scanned };
}

describe('scanReading', () => {
  it.each([
    ['{"id":3,"time":1763900000.25,"value":7}', true],
    [' { "id" : "kitchen" ,\n"time":1763899999 , "value" : -0 } ', true],
    ['{"value":7,"time":1.5e9,"id":3,"extra":"x","n":-12.5e-3}', true],
    ['{"id":1,"id":2,"time":1,"value":1}', true],
    ['{}', true],
    ['{"id":9007199254740993,"time":1,"value":123456789012345678}', true],
    ['{"id":1,"time":1,"value":1e999}', true],
    ['{"id":"a\\"b","time":1,"value":1}', false],
    ['{"id":"é","time":1,"value":1}', false],
    ['{"id":true,"time":1,"value":1}', false],
    ['{"id":{"x":1},"time":1,"value":1}', false],
    ['{"id":1,"time":01,"value":1}', false],
    ['{"id":1,"time":1.,"value":1}', false],
    ['{"id":1,"time":.5,"value":1}', false],
    ['{"id":1,"time":1,"value":1,}', false],
    ['{"id":1,"time":1,"value":1} x', false],
    ['{"id":1,"time":1,"value":+1}', false],
    ['{"id":1,"time":1,"value":1e}', false],
    ['\uFEFF{"id":1,"time":1,"value":1}', false],
    ['[1,2]', false],
    ['', false],
    ['{"id":"tab\there","time":1,"value":1}', false],
  ])('%s → scanned %s, same decision as JSON.parse', (text, expected) => {
    expect(agrees(text).scanned).toBe(expected);
  });

  it('agrees with JSON.parse on 20 000 seeded variations', () => {
    let s = 42;
    const rand = (n: number) => ((s = (s * 1_103_515_245 + 12_345) % 2 ** 31) % n);
    const pieces = ['{', '}', '"id"', '"time"', '"value"', '"x"', ':', ',', ' ', '1', '-', '0', '.', '5', 'e', '+', '"s"', '"', '\\', 'true', '1763900000.5', '9'];
    let scannedCount = 0;
    for (let n = 0; n < 20_000; n++) {
      let text: string;
      if (rand(2) === 0) {
        // A well-formed reading with random numbers and spacing.
        const num = () => [String(rand(1000)), `-${rand(100)}`, `${rand(100)}.${rand(1000)}`, `${rand(9) + 1}e${rand(20)}`, `${rand(10)}E-${rand(5)}`][rand(5)];
        const sp = () => [' ', '', '\n', '\t'][rand(4)];
        const id = rand(3) === 0 ? `"s${rand(50)}"` : num();
        text = `${sp()}{${sp()}"id"${sp()}:${sp()}${id}${sp()},"time":${num()},${sp()}"value":${num()}${sp()}}${sp()}`;
      } else {
        text = Array.from({ length: rand(14) + 1 }, () => pieces[rand(pieces.length)]).join('');
      }
      if (agrees(text).scanned) scannedCount++;
    }
    expect(scannedCount).toBeGreaterThan(5_000);
  });
});
