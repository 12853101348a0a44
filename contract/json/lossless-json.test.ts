import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { numberOutOfNumericRange } from './storable';
import { searchTextOf, searchTextOfTokens } from '../search/search-text';
import {
  JsonTextError,
  LosslessNumber,
  formatJsonPath,
  isJsonObject,
  jsonEqual,
  parseJsonText,
  parseJsonTextAsync,
  quoteJsonString,
  stringifyJson,
  type JsonValue,
} from './lossless-json';

const roundTrip = (text: string) => stringifyJson(parseJsonText(text).value);

const errorOf = (text: string, options = {}): JsonTextError => {
  try {
    parseJsonText(text, options);
  } catch (error) {
    if (error instanceof JsonTextError) return error;
    throw error;
  }
  throw new Error(`parsed without error: ${text.slice(0, 50)}`);
};

describe('parseJsonText keeps what JSON.parse loses', () => {
  it('keeps every number as written', () => {
    const text = '{"creatorID":750727362669608961,"i64max":9223372036854775807,"edge":9007199254740993,"price":1.10,"one":1.0,"negzero":-0,"exp":1E2,"d":1e400,"neg":-1.5e-7}';
    expect(roundTrip(text)).toBe(text);
    const value = parseJsonText(text).value;
    expect(isJsonObject(value) && (value.get('creatorID') as LosslessNumber).value).toBe('750727362669608961');
  });

  it('keeps member order, integer-like names included', () => {
    const text = '{"z":1,"a":2,"10":3,"2":4}';
    expect(roundTrip(text)).toBe(text);
  });

  it('treats __proto__, constructor and prototype as ordinary names, touching no prototype', () => {
    const text = '{"__proto__":{"isAdmin":true},"constructor":{"prototype":{"isAdmin":true}},"prototype":1}';
    const value = parseJsonText(text).value;
    expect(roundTrip(text)).toBe(text);
    expect(isJsonObject(value) && [...value.keys()]).toEqual(['__proto__', 'constructor', 'prototype']);
    expect(({} as Record<string, unknown>).isAdmin).toBeUndefined();
    expect(Object.getPrototypeOf(value)).toBe(Map.prototype);
  });

  it('compacts whitespace outside strings only, keeping every token byte for byte', () => {
    const text = ' {\n\t"a b" : [ 1.50 , "x\\u0041 y" ,\r\n true ] , "c":null }\n';
    expect(parseJsonText(text).compact).toBe('{"a b":[1.50,"x\\u0041 y",true],"c":null}');
  });

  it('returns the compact text of each root member', () => {
    const { members } = parseJsonText('{ "agent_id" : "a", "context" : { "n" : 1.0 , "s":[ ] } }', { memberTexts: true });
    expect(members && Object.fromEntries(members)).toEqual({ agent_id: '"a"', context: '{"n":1.0,"s":[]}' });
  });

  it('does not build containers below materializeDepth, yet validates them', () => {
    const { value } = parseJsonText('{"a":{"b":[1,2]},"c":"x"}', { materializeDepth: 1 });
    expect(isJsonObject(value) && value.get('a')).toBeNull();
    expect(errorOf('{"a":{"b":1,"b":2}}', { materializeDepth: 1 }).kind).toBe('duplicate_key');
  });
});

describe('parseJsonText refuses', () => {
  it('duplicate member names, naming the key and its path', () => {
    const error = errorOf('{"ok":1,"items":[{"sku":"a"},{"sku":"b","sku":"c"}]}');
    expect(error.kind).toBe('duplicate_key');
    expect(error.key).toBe('sku');
    expect(error.path).toBe('$.items[1].sku');
    expect(error.message).toContain('"sku"');
    expect(errorOf('{"k":"first","k":"second"}').path).toBe('$.k');
  });

  it('uses the path prefix it is given', () => {
    expect(errorOf('{"a.b":{"x":1,"x":2}}', { pathPrefix: ['context'] }).path).toBe('$.context["a.b"].x');
  });

  it('nesting deeper than the limit, without recursion (200,000 levels)', () => {
    const deep = '['.repeat(200_000) + ']'.repeat(200_000);
    const error = errorOf(deep, { maxDepth: 128 });
    expect(error.kind).toBe('too_deep');
    expect(error.maxDepth).toBe(128);
    expect(parseJsonText('['.repeat(128) + ']'.repeat(128), { maxDepth: 128 }).compact).toHaveLength(256);
    // Without a limit it still parses (and stringifies) without a stack overflow.
    expect(stringifyJson(parseJsonText(deep).value)).toBe(deep);
  });

  it.each([
    ['', 'holds no JSON value'],
    ['{"a":1,}', 'member name'],
    ['[1,]', 'a value'],
    ['{"a":1} x', 'end of the text'],
    ['{a:1}', 'member name'],
    ["{'a':1}", 'member name'],
    ['[01]', "','"],
    ['[1.]', 'cut short'],
    ['[.5]', 'a value'],
    ['[+1]', 'a value'],
    ['[NaN]', 'a value'],
    ['["a\u0001"]', 'control character'],
    ['["\\x"]', 'invalid escape'],
    ['{"a":1 // c\n}', 'comment'],
    ['[1\u00a02]', "expected ',' or ']'"],
    ['{"a" 1}', "':'"],
    ['[1}', "'}'"],
    ['{"a":1', 'end of the text'],
  ])('%j as a syntax error (%s)', (text, fragment) => {
    const error = errorOf(text);
    expect(error.kind).toBe('syntax');
    expect(error.message).toContain(fragment);
    expect(error.line).toBeGreaterThanOrEqual(1);
  });
});

describe('formatJsonPath', () => {
  it('writes identifiers with dots and other names in brackets', () => {
    expect(formatJsonPath(['customer', 'email'])).toBe('$.customer.email');
    expect(formatJsonPath(['items', 0, 'sku'])).toBe('$.items[0].sku');
    expect(formatJsonPath(['key.with.dots', 'x'])).toBe('$["key.with.dots"].x');
    expect(formatJsonPath([])).toBe('$');
  });
});

describe('stringifyJson', () => {
  it("pretty-prints in JSON.stringify's 2-space layout where JSON.parse is lossless", () => {
    const text = '{"a":[1,{"b":null,"c":[]},{}],"d":"é\\n","e":true}';
    expect(stringifyJson(parseJsonText(text).value, 2)).toBe(JSON.stringify(JSON.parse(text), null, 2)); // fidelity-ok: reference layout on safe numbers
  });
  it('pretty-prints big numbers and order untouched', () => {
    expect(stringifyJson(parseJsonText('{"z":1.10,"2":750727362669608961}').value, 2)).toBe(
      '{\n  "z": 1.10,\n  "2": 750727362669608961\n}',
    );
  });
});

describe('parseJsonTextAsync', () => {
  it('gives the same value and compact text as parseJsonText, yielding between slices', async () => {
    const text = `{"items":[${Array.from({ length: 20_000 }, (_, i) => `{"n":${i}.10,"id":750727362669608961}`).join(',')}]}`;
    let ticks = 0;
    const timer = setInterval(() => (ticks += 1), 0);
    const parsed = await parseJsonTextAsync(text, { sliceMs: 1 });
    clearInterval(timer);
    expect(parsed.compact).toBe(text);
    expect(stringifyJson(parsed.value)).toBe(text);
    expect(ticks).toBeGreaterThan(0); // other tasks ran while it parsed
  });

  it('throws the same errors', async () => {
    await expect(parseJsonTextAsync('{"a":1,"a":2}')).rejects.toMatchObject({ kind: 'duplicate_key', path: '$.a' });
  });

  it('stops when its signal aborts', async () => {
    const controller = new AbortController();
    const text = `[${Array.from({ length: 50_000 }, (_, i) => i).join(',')}]`;
    const parsing = parseJsonTextAsync(text, { sliceMs: 0, signal: controller.signal });
    controller.abort();
    await expect(parsing).rejects.toThrow();
  });
});

describe('stringifyJson refuses what is not a lossless value', () => {
  it('throws on a plain object instead of looping', () => {
    expect(() => stringifyJson({ a: 1 } as unknown as JsonValue)).toThrow(TypeError);
    expect(quoteJsonString('a"b\n')).toBe('"a\\"b\\n"');
  });
});

// ----------------------------------------------------------------------------------------
// Properties: generated JSON texts with arbitrary number spellings and member names.

const numberText = fc
  .tuple(
    fc.boolean(),
    fc.oneof(fc.constant('0'), fc.stringMatching(/^[1-9][0-9]{0,25}$/)),
    fc.option(fc.stringMatching(/^[0-9]{1,20}$/), { nil: undefined }),
    fc.option(fc.tuple(fc.constantFrom('e', 'E'), fc.constantFrom('', '+', '-'), fc.stringMatching(/^[0-9]{1,4}$/)), {
      nil: undefined,
    }),
  )
  .map(([neg, int, frac, exp]) => `${neg ? '-' : ''}${int}${frac === undefined ? '' : `.${frac}`}${exp ? exp.join('') : ''}`);

const memberName = fc.oneof(
  fc.string(),
  fc.constantFrom('__proto__', 'constructor', 'prototype', '10', '2', '0', 'toString', 'hasOwnProperty'),
);

const jsonValue: fc.Arbitrary<JsonValue> = fc.letrec<{ value: JsonValue }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.constant(null),
    fc.boolean(),
    fc.string(),
    numberText.map((t) => new LosslessNumber(t)),
    fc.array(tie('value'), { maxLength: 5 }),
    fc
      .uniqueArray(fc.tuple(memberName, tie('value')), { maxLength: 5, selector: ([k]) => k })
      .map((entries) => new Map(entries)),
  ),
})).value;

describe('properties', () => {
  it('parse → stringify is the identity on compact texts', () => {
    fc.assert(
      fc.property(jsonValue, (value) => {
        const text = stringifyJson(value);
        expect(stringifyJson(parseJsonText(text).value)).toBe(text);
        expect(parseJsonText(text).compact).toBe(text);
      }),
      { numRuns: 300 },
    );
  });

  it('pretty text parses back to the same value and compacts to the compact text', () => {
    fc.assert(
      fc.property(jsonValue, (value) => {
        const pretty = stringifyJson(value, 2);
        const parsed = parseJsonText(pretty);
        expect(jsonEqual(parsed.value, value)).toBe(true);
        expect(parsed.compact).toBe(stringifyJson(value));
      }),
      { numRuns: 300 },
    );
  });

  it("memberTokens give each member's search text exactly as a second scan of its text does", () => {
    fc.assert(
      fc.property(fc.tuple(jsonValue, jsonValue, fc.boolean()), ([context, other, pretty]) => {
        const body = `{"agent_id":${stringifyJson(other, pretty ? 2 : 0)},"context":${stringifyJson(context, pretty ? 2 : 0)}}`;
        const parsed = parseJsonText(body, { memberTexts: true, memberTokens: true });
        for (const [member, value] of [['context', context], ['agent_id', other]] as const) {
          expect(searchTextOfTokens(parsed.tokens?.get(member) ?? [])).toBe(searchTextOf(stringifyJson(value)));
        }
      }),
      { numRuns: 300 },
    );
  });

  it('agrees with JSON.parse on what is valid', () => {
    fc.assert(
      fc.property(fc.json(), (text) => {
        expect(() => parseJsonText(text)).not.toThrow();
      }),
      { numRuns: 300 },
    );
  });
});

describe('numberOutOfNumericRange (PostgreSQL numeric, measured on PostgreSQL 17)', () => {
  it.each([
    ['1e131071', false], ['1e131072', true], ['9.9e131071', false], ['123e131069', false], ['123e131070', true],
    ['1e-16383', false], ['1e-16384', true], ['1.5e-16383', true], [`0.${'0'.repeat(16382)}1`, false],
    [`0.${'0'.repeat(16383)}1`, true], [`1.${'0'.repeat(16383)}`, false], [`1.${'0'.repeat(16384)}`, true],
    ['0e999999', false], ['0e-999999', true], ['0.0e-20000', true], [`1${'0'.repeat(131071)}`, false],
    [`1${'0'.repeat(131072)}`, true], ['1e400', false], ['-0', false], ['0.5e131072', false], ['1e99999999999999999999', true],
  ])('%s → %s', (text, out) => {
    expect(numberOutOfNumericRange(text)).toBe(out);
  });
});
