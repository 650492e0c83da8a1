/**
 * scanFields must decide exactly as `JSON.parse(buf.toString('utf8'))` plus a walk of the path
 * would: checked on hand-written tables and on many seeded random documents and byte mutations.
 */
import { describe, expect, it } from 'vitest';
import {
  compileFieldPaths,
  newTokens,
  scanFields,
  tokenString,
  tokenText,
  type FieldToken,
} from '../../../../lib/input/jsonFields';

const MISSING = Symbol('missing');
const hasOwn = (o: object, key: string) => Object.prototype.hasOwnProperty.call(o, key);

type Reference = { result: 'ok' | 'not_json' | 'not_object'; values: unknown[] };

/** What JSON.parse says about `bytes`, walked along each path (own properties only, as JSON.parse creates them). */
function reference(bytes: Uint8Array, paths: readonly string[]): Reference {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(bytes).toString('utf8'));
  } catch {
    return { result: 'not_json', values: [] };
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
    return { result: 'not_object', values: [] };
  const values = paths.map((path) => {
    let at: unknown = parsed;
    for (const segment of path.split('.')) {
      if (typeof at !== 'object' || at === null || Array.isArray(at) || !hasOwn(at, segment)) return MISSING;
      at = (at as Record<string, unknown>)[segment];
    }
    return at;
  });
  return { result: 'ok', values };
}

function kindOf(value: unknown): FieldToken['kind'] {
  if (value === MISSING) return 'missing';
  if (value === null) return 'null';
  if (value === true) return 'true';
  if (value === false) return 'false';
  if (Array.isArray(value)) return 'array';
  return typeof value as 'string' | 'number' | 'object';
}

/** Why the scan of `bytes` disagrees with the reference, or null when it agrees. */
function disagreement(bytes: Uint8Array, paths: readonly string[]): string | null {
  const compiled = compileFieldPaths(paths);
  const out = newTokens(paths.length);
  const result = scanFields(bytes, compiled, out);
  const ref = reference(bytes, paths);
  if (result !== ref.result) return `result ${result}, JSON.parse says ${ref.result}`;
  if (result !== 'ok') return null;
  for (let k = 0; k < paths.length; k++) {
    const token = out[k];
    const want = ref.values[k];
    if (token.kind !== kindOf(want)) return `${paths[k]}: kind ${token.kind}, JSON.parse says ${kindOf(want)}`;
    if (token.kind === 'missing') continue;
    const text = tokenText(bytes, token);
    if (token.kind === 'string') {
      if (tokenString(bytes, token) !== want)
        return `${paths[k]}: string ${JSON.stringify(tokenString(bytes, token))} ≠ ${JSON.stringify(want)}`;
      if (token.escaped !== text.includes('\\')) return `${paths[k]}: escaped ${token.escaped} for ${text}`;
    }
    if (token.kind === 'number' && !Object.is(Number(text), want))
      return `${paths[k]}: number ${text} ≠ ${String(want)}`;
    // The token spans exactly the value: its text alone parses to the same thing.
    if (JSON.stringify(JSON.parse(text)) !== JSON.stringify(want))
      return `${paths[k]}: token text ${text} ≠ ${JSON.stringify(want)}`;
  }
  return null;
}

const utf8 = (text: string) => new Uint8Array(Buffer.from(text, 'utf8'));

/** A token as a readable word: 'number:21.37', 'string:boiler-3', 'object:{"id":1}', 'missing'. */
function describeToken(bytes: Uint8Array, token: FieldToken): string {
  switch (token.kind) {
    case 'string':
      return `string:${tokenString(bytes, token)}`;
    case 'number':
    case 'object':
    case 'array':
      return `${token.kind}:${tokenText(bytes, token)}`;
    default:
      return token.kind;
  }
}

function scanned(bytes: Uint8Array, paths: readonly string[]): { result: string; tokens: string[] } {
  const out = newTokens(paths.length);
  const result = scanFields(bytes, compileFieldPaths(paths), out);
  return { result, tokens: result === 'ok' ? out.map((token) => describeToken(bytes, token)) : [] };
}

describe('compileFieldPaths', () => {
  it.each(['', '.id', 'id.', 'device..id', '.'])('rejects %j: empty segment', (path) => {
    expect(() => compileFieldPaths(['id', path])).toThrow(/segment must not be empty/);
  });

  it('rejects a path that is not a string', () => {
    expect(() => compileFieldPaths([42 as unknown as string])).toThrow(/must be a string/);
  });

  it('needs enough tokens', () => {
    expect(() => scanFields(utf8('{}'), compileFieldPaths(['a', 'b']), newTokens(1))).toThrow(RangeError);
  });
});

describe('scanFields on valid documents', () => {
  it.each<[string, string[], string[]]>([
    [
      '{"id":3,"time":1763900000.25,"value":7}',
      ['id', 'time', 'value'],
      ['number:3', 'number:1763900000.25', 'number:7'],
    ],
    [
      '{"device":{"id":"boiler-3"},"ts":"2026-11-25T10:00:00.125Z","reading":{"celsius":21.37}}',
      ['device.id', 'ts', 'reading.celsius', 'device', 'reading.kelvin'],
      ['string:boiler-3', 'string:2026-11-25T10:00:00.125Z', 'number:21.37', 'object:{"id":"boiler-3"}', 'missing'],
    ],
    ['{}', ['id', 'device.id'], ['missing', 'missing']],
    [
      '{"device":{},"reading":null}',
      ['device.id', 'reading.celsius', 'ts', 'reading'],
      ['missing', 'missing', 'missing', 'null'],
    ],
    [
      '{"device":5,"reading":[{"celsius":1}],"s":"x"}',
      ['device.id', 'reading.celsius', 's.length', 'reading'],
      ['missing', 'missing', 'missing', 'array:[{"celsius":1}]'],
    ],
    // Duplicates: the last one wins, and a repeated object replaces the earlier one wholesale.
    ['{"id":1,"id":2}', ['id'], ['number:2']],
    ['{"device":{"id":"a"},"device":{"name":"b"}}', ['device.id', 'device.name'], ['missing', 'string:b']],
    ['{"device":{"id":"a"},"device":7}', ['device.id', 'device'], ['missing', 'number:7']],
    ['{"device":7,"device":{"id":"a"}}', ['device.id', 'device'], ['string:a', 'object:{"id":"a"}']],
    ['{"device":{"id":"a","id":"b"}}', ['device.id'], ['string:b']],
    ['{"a":{"b":1,"b":{"c":2}},"a":{"b":{"c":3},"b":4}}', ['a.b', 'a.b.c'], ['number:4', 'missing']],
    // Keys are compared after unescaping.
    ['{"\\u0069d":"x","d\\u0065vice":{"\\u0069\\u0064":1}}', ['id', 'device.id'], ['string:x', 'number:1']],
    ['{"id":1,"\\u0069d":2}', ['id'], ['number:2']],
    ['{"\\u0069d":1,"id":2}', ['id'], ['number:2']],
    ['{"a\\"b":1,"c\\\\d":2,"e\\/f":3}', ['a"b', 'c\\d', 'e/f'], ['number:1', 'number:2', 'number:3']],
    ['{"温度計":{"値":3},"\\u6e7f\\u5ea6":4}', ['温度計.値', '湿度'], ['number:3', 'number:4']],
    ['{"\\ud800":1,"\\ud83d\\ude00":2}', ['\ud800', '😀'], ['number:1', 'number:2']],
    ['{"\\ufffd":1}', ['\ufffd'], ['number:1']],
    ['{"x y":1," id":2}', ['x y', 'id'], ['number:1', 'missing']],
    // String values.
    [
      '{"a":"boiler-3","b":"温度計","c":"a\\"b","d":"😀","e":"\\ud83d\\ude00","f":"\\n\\t\\/\\\\\\b\\f\\r","g":"","h":"\\u0000","i":"\\ud800","j":"\uFEFFx","k":"\u2028\x7f"}',
      ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i', 'j', 'k'],
      [
        'string:boiler-3',
        'string:温度計',
        'string:a"b',
        'string:😀',
        'string:😀',
        'string:\n\t/\\\b\f\r',
        'string:',
        'string:\u0000',
        'string:\ud800',
        'string:\uFEFFx',
        'string:\u2028\x7f',
      ],
    ],
    // Numbers keep their text.
    [
      '{"a":0,"b":-0,"c":-12.5e-3,"d":1E+2,"e":1e999,"f":123456789012345678901234567890.000001,"g":0.1,"h":21.370,"i":-0.0e-0}',
      ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i'],
      [
        'number:0',
        'number:-0',
        'number:-12.5e-3',
        'number:1E+2',
        'number:1e999',
        'number:123456789012345678901234567890.000001',
        'number:0.1',
        'number:21.370',
        'number:-0.0e-0',
      ],
    ],
    [
      '{"t":true,"f":false,"n":null,"o":{"x":[1,{"y":2}]},"arr":[],"eo":{}}',
      ['t', 'f', 'n', 'o', 'arr', 'eo', 'o.x', 'o.x.y'],
      ['true', 'false', 'null', 'object:{"x":[1,{"y":2}]}', 'array:[]', 'object:{}', 'array:[1,{"y":2}]', 'missing'],
    ],
    [
      ' \t\r\n{ \n"device" \t: \r\n{ "id" :\t"k" } ,\n"ts":\t5 \n, "l" : [ 1 , [ ] , { } ] }\r\n ',
      ['device.id', 'ts', 'device', 'l'],
      ['string:k', 'number:5', 'object:{ "id" :\t"k" }', 'array:[ 1 , [ ] , { } ]'],
    ],
    [
      '{"a":{"b":{"c":{"d":1}}}}',
      ['a', 'a.b', 'a.b.c.d', 'a.b.c.d.e'],
      ['object:{"b":{"c":{"d":1}}}', 'object:{"c":{"d":1}}', 'number:1', 'missing'],
    ],
    [
      '{"__proto__":{"id":1},"constructor":2}',
      ['__proto__.id', 'constructor', 'toString'],
      ['number:1', 'number:2', 'missing'],
    ],
    ['{"id":5}', ['id', 'id'], ['number:5', 'number:5']],
    ['{"list":[{"id":1}],"x":{"id":3},"id":2}', ['id', 'x.id'], ['number:2', 'number:3']],
    ['{"x":{"id":1}}', ['id'], ['missing']],
  ])('%s', (text, paths, expected) => {
    const bytes = utf8(text);
    expect(scanned(bytes, paths)).toEqual({ result: 'ok', tokens: expected });
    expect(disagreement(bytes, paths)).toBeNull();
  });

  it('decodes invalid UTF-8 inside strings as JSON.parse does (U+FFFD), keys included', () => {
    const doc = (...parts: (string | number[])[]) =>
      Uint8Array.from(parts.flatMap((part) => (typeof part === 'string' ? [...Buffer.from(part, 'utf8')] : part)));
    const cases: [Uint8Array, string[], string[]][] = [
      [doc('{"id":"', [0xff, 0xfe], '"}'), ['id'], ['string:\ufffd\ufffd']],
      [doc('{"id":"a', [0xe2, 0x82], '"}'), ['id'], ['string:a\ufffd']],
      [doc('{"', [0xff], '":1}'), ['\ufffd'], ['number:1']],
      [doc('{"', [0xef, 0xbf, 0xbd], '":2}'), ['\ufffd'], ['number:2']],
      [doc('{"', [0xc3, 0xa9], '":3,"', [0xc3], '":4}'), ['é'], ['number:3']],
    ];
    for (const [bytes, paths, expected] of cases) {
      expect(scanned(bytes, paths)).toEqual({ result: 'ok', tokens: expected });
      expect(disagreement(bytes, paths)).toBeNull();
    }
  });

  it('reuses the tokens it is given and clears them between scans', () => {
    const paths = compileFieldPaths(['id', 'device.id']);
    const out = newTokens(2);
    const [first, second] = out;
    expect(scanFields(utf8('{"id":1,"device":{"id":2}}'), paths, out)).toBe('ok');
    expect(scanFields(utf8('{"other":1}'), paths, out)).toBe('ok');
    expect(out[0]).toBe(first);
    expect(out[1]).toBe(second);
    expect(out.map((token) => token.kind)).toEqual(['missing', 'missing']);
  });
});

describe('scanFields on invalid or non-object documents', () => {
  it.each<[string, 'not_json' | 'not_object']>([
    ['{"id":1,}', 'not_json'],
    ['[1,]', 'not_json'],
    ["{'id':1}", 'not_json'],
    ['{"id":\'a\'}', 'not_json'],
    ['{"id":NaN}', 'not_json'],
    ['{"id":Infinity}', 'not_json'],
    ['{"id":-Infinity}', 'not_json'],
    ['{"id":01}', 'not_json'],
    ['{"id":-01}', 'not_json'],
    ['{"id":1.}', 'not_json'],
    ['{"id":.5}', 'not_json'],
    ['{"id":+1}', 'not_json'],
    ['{"id":1e}', 'not_json'],
    ['{"id":1e+}', 'not_json'],
    ['{"id":-}', 'not_json'],
    ['{"id":0x10}', 'not_json'],
    ['{"id":"a\tb"}', 'not_json'],
    ['{"id":"\x01"}', 'not_json'],
    ['{"id":"a\nb"}', 'not_json'],
    ['{"id":"\\q"}', 'not_json'],
    ['{"id":"\\x41"}', 'not_json'],
    ['{"id":"\\u12"}', 'not_json'],
    ['{"id":"\\u12g4"}', 'not_json'],
    ['{"id":"\\U0041"}', 'not_json'],
    ['{"id":"abc', 'not_json'],
    ['{"id":"abc\\"}', 'not_json'],
    ['{"id":1', 'not_json'],
    ['{"id"', 'not_json'],
    ['{"id":}', 'not_json'],
    ['{"id" 1}', 'not_json'],
    ['{id:1}', 'not_json'],
    ['{"id":1 2}', 'not_json'],
    ['{"id":tru}', 'not_json'],
    ['{"id":True}', 'not_json'],
    ['{"id":nul}', 'not_json'],
    ['{"id":undefined}', 'not_json'],
    ['{"id":[1}]', 'not_json'],
    ['{"id":{]}', 'not_json'],
    ['["a":1]', 'not_json'],
    ['{,}', 'not_json'],
    ['{"a":1,,"b":2}', 'not_json'],
    ['{} x', 'not_json'],
    ['{}{}', 'not_json'],
    ['{}}', 'not_json'],
    ['', 'not_json'],
    ['   ', 'not_json'],
    ['\uFEFF{}', 'not_json'],
    ['\f{}', 'not_json'],
    ['{}\u00a0', 'not_json'],
    ['/* c */{}', 'not_json'],
    ['[1,2]', 'not_object'],
    [' [ ] ', 'not_object'],
    ['[{"id":1}]', 'not_object'],
    ['"s"', 'not_object'],
    ['1', 'not_object'],
    ['-0.5e3', 'not_object'],
    ['null', 'not_object'],
    ['true', 'not_object'],
    ['false', 'not_object'],
  ])('%j → %s', (text, expected) => {
    const bytes = utf8(text);
    expect(scanFields(bytes, compileFieldPaths(['id']), newTokens(1))).toBe(expected);
    expect(disagreement(bytes, ['id'])).toBeNull();
  });

  it('refuses bytes outside strings that are not JSON', () => {
    for (const bytes of [
      Uint8Array.of(0x7b, 0x7d, 0x80),
      Uint8Array.of(0xef, 0xbb, 0xbf, 0x7b, 0x7d),
      Uint8Array.of(0x7b, 0x00, 0x7d),
    ]) {
      expect(scanFields(bytes, compileFieldPaths(['id']), newTokens(1))).toBe('not_json');
      expect(disagreement(bytes, ['id'])).toBeNull();
    }
  });
});

describe('scanFields on deep nesting', () => {
  const DEEP = 100_000;

  it('an unterminated run of 100 000 [ is not_json, without a RangeError', () => {
    expect(scanFields(utf8('['.repeat(DEEP)), compileFieldPaths(['id']), newTokens(1))).toBe('not_json');
  });

  it('100 000 nested arrays are not_object, as JSON.parse agrees', () => {
    const bytes = utf8('['.repeat(DEEP) + ']'.repeat(DEEP));
    expect(scanFields(bytes, compileFieldPaths(['id']), newTokens(1))).toBe('not_object');
    expect(disagreement(bytes, ['id'])).toBeNull();
  });

  it('100 000 nested objects are walked along the path, and a field after them is found', () => {
    const inner = '{"a":'.repeat(DEEP) + '1' + '}'.repeat(DEEP);
    const bytes = utf8(`{"deep":[${inner}],"a":${inner},"id":5}`);
    const out = newTokens(4);
    expect(scanFields(bytes, compileFieldPaths(['id', 'a.a.a', 'deep.a', 'a']), out)).toBe('ok');
    expect(out.map((token) => token.kind)).toEqual(['number', 'object', 'missing', 'object']);
    expect(tokenText(bytes, out[0])).toBe('5');
    expect(out[3].end - out[3].start).toBe(inner.length);
    // Mismatched closers deep inside are still caught.
    expect(
      scanFields(utf8(`{"a":${'['.repeat(DEEP)}${']'.repeat(DEEP - 1)}}}`), compileFieldPaths(['a']), newTokens(1)),
    ).toBe('not_json');
  });
});

describe('scanFields against JSON.parse on seeded random documents', () => {
  it('agrees on 36 000 generated documents and byte mutations of them', () => {
    let seed = 20_261_125;
    const rand = (n: number) => {
      seed = (Math.imul(seed, 1_664_525) + 1_013_904_223) >>> 0;
      return Math.floor((seed / 2 ** 32) * n);
    };
    const pick = <T>(items: readonly T[]): T => items[rand(items.length)];

    const paths = [
      'id',
      'ts',
      'device.id',
      'reading.celsius',
      'device',
      'reading',
      'a.a.a',
      'é',
      '__proto__.id',
      'value',
      '\ufffd',
    ];
    // Small key alphabet, with escaped spellings, so duplicates and path hits are frequent.
    const keys = [
      '"id"',
      '"id"',
      '"ts"',
      '"device"',
      '"device"',
      '"reading"',
      '"reading"',
      '"celsius"',
      '"celsius"',
      '"value"',
      '"a"',
      '"a"',
      '"a"',
      '"\\u0069d"',
      '"d\\u0065vice"',
      '"é"',
      '"\\u00e9"',
      '"x y"',
      '""',
      '"__proto__"',
      '"温度計"',
    ];
    const strings = [
      '"boiler-3"',
      '"温度計"',
      '"a\\"b"',
      '"😀"',
      '"\\ud83d\\ude00"',
      '"\\n\\t\\/\\\\\\b\\f\\r"',
      '""',
      '"2026-11-25T10:00:00.125Z"',
      '"\\u0000"',
      '"\\ud800"',
      '"\\u00E9x"',
      '"id"',
    ];
    const numbers = [
      '0',
      '-0',
      '7',
      '21.37',
      '1763900000.25',
      '-12.5e-3',
      '1E+2',
      '1e999',
      '-1e-999',
      '123456789012345678901234567890',
      '0.1',
      '9007199254740993',
      '2.50',
    ];
    const spaces = ['', '', '', ' ', '\n', '\t', '\r\n', '  '];
    const sp = () => pick(spaces);

    const value = (depth: number): string => {
      // Shallow values are mostly objects, so nested paths are often reached.
      const r = rand(depth >= 4 ? 6 : depth >= 2 ? 10 : 12);
      if (r === 0) return pick(strings);
      if (r === 1) return pick(numbers);
      if (r === 2)
        return `${rand(2) ? '-' : ''}${rand(1000)}${rand(2) ? `.${rand(1000)}` : ''}${rand(3) === 0 ? `${pick(['e', 'E'])}${pick(['', '+', '-'])}${rand(30)}` : ''}`;
      if (r === 3) return pick(['true', 'false', 'null']);
      if (r === 4 || r === 5) return pick(strings);
      if (r <= 7 || r >= 10) return object(depth + 1);
      return `[${sp()}${Array.from({ length: rand(4) }, () => value(depth + 1)).join(`${sp()},${sp()}`)}${sp()}]`;
    };
    const object = (depth: number): string =>
      `{${sp()}${Array.from({ length: rand(6) }, () => `${pick(keys)}${sp()}:${sp()}${value(depth)}`).join(`${sp()},${sp()}`)}${sp()}}`;

    const interesting = [...'{}[]":,\\ 0123456789-+.eEtrufalsn']
      .map((c) => c.charCodeAt(0))
      .concat([0x00, 0x09, 0x0a, 0x0c, 0x0d, 0x1f, 0x7f, 0x80, 0xbf, 0xc3, 0xe2, 0xef, 0xff]);
    const mutate = (source: Uint8Array): Uint8Array => {
      const bytes = [...source];
      for (let m = rand(3) + 1; m > 0; m--) {
        const at = rand(bytes.length + 1);
        switch (rand(5)) {
          case 0:
            bytes.splice(at, 1);
            break;
          case 1:
            bytes.splice(at, 0, pick(interesting));
            break;
          case 2:
            if (at < bytes.length) bytes[at] = pick(interesting);
            break;
          case 3:
            bytes.length = Math.min(bytes.length, at);
            break;
          default: {
            const from = rand(bytes.length + 1);
            bytes.splice(at, 0, ...bytes.slice(from, from + rand(6) + 1));
          }
        }
      }
      return Uint8Array.from(bytes);
    };

    const failures: string[] = [];
    const results = { ok: 0, not_json: 0, not_object: 0 };
    const hits: Record<string, number> = {};
    const compiled = compileFieldPaths(paths);
    const out = newTokens(paths.length);
    const check = (bytes: Uint8Array) => {
      const why = disagreement(bytes, paths);
      if (why !== null && failures.length < 10)
        failures.push(`${why}: ${JSON.stringify(Buffer.from(bytes).toString('utf8'))}`);
      const result = scanFields(bytes, compiled, out);
      results[result]++;
      if (result === 'ok')
        for (let k = 0; k < paths.length; k++)
          if (out[k].kind !== 'missing')
            hits[`${paths[k]}:${out[k].kind}`] = (hits[`${paths[k]}:${out[k].kind}`] ?? 0) + 1;
    };

    for (let n = 0; n < 12_000; n++) {
      const text = rand(10) === 0 ? value(1) : object(0);
      const bytes = utf8(`${sp()}${text}${sp()}`);
      check(bytes);
      check(mutate(bytes));
      check(mutate(bytes));
    }

    expect(failures).toEqual([]);
    // The generator must actually exercise every outcome and nested hits of every kind.
    expect(results.ok).toBeGreaterThan(10_000);
    expect(results.not_json).toBeGreaterThan(10_000);
    expect(results.not_object).toBeGreaterThan(1_000);
    for (const hit of [
      'id:string',
      'id:number',
      'device.id:string',
      'device.id:number',
      'device.id:object',
      'reading.celsius:number',
      'reading.celsius:string',
      'device:object',
      'device:array',
      'é:null',
      '__proto__.id:string',
    ]) {
      expect(hits[hit] ?? 0, hit).toBeGreaterThan(20);
    }
    const deepHits = Object.entries(hits).filter(([hit]) => hit.startsWith('a.a.a:'));
    expect(deepHits.reduce((sum, [, count]) => sum + count, 0)).toBeGreaterThan(20);
  });
});
