import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LosslessNumber, stringifyJson } from '@contract/json/lossless-json';
import { losslessContext } from '@/testing/factories';
import { findJsonSyntaxError, formatJson, parseContextText, parseJsonText, positionAt } from './json-text';

describe('positionAt', () => {
  it('counts lines and columns from 1 with \\n, \\r\\n and \\r', () => {
    expect(positionAt('abc', 0)).toEqual({ line: 1, column: 1, offset: 0 });
    expect(positionAt('a\nbc', 3)).toEqual({ line: 2, column: 2, offset: 3 });
    expect(positionAt('a\r\nbc', 4)).toEqual({ line: 2, column: 2, offset: 4 });
    expect(positionAt('a\rb', 2)).toEqual({ line: 2, column: 1, offset: 2 });
  });
});

describe('parseJsonText', () => {
  it('parses valid JSON losslessly: numbers as written, members in order', () => {
    const result = parseJsonText('{"z": [1, 2.5e3, -0, "x\\u0041", true, null], "10": 750727362669608961, "a": 1.10}');
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(stringifyJson(result.value)).toBe('{"z":[1,2.5e3,-0,"xA",true,null],"10":750727362669608961,"a":1.10}');
    expect(result.value instanceof Map && result.value.get('10')).toEqual(new LosslessNumber('750727362669608961'));
  });

  it('refuses duplicate keys, naming the key and where it is (Save stays off)', () => {
    const result = parseJsonText('{\n  "a": 1,\n  "b": {"k": 1, "k": 2}\n}');
    expect(result).toMatchObject({ ok: false, error: { kind: 'duplicate_key', line: 3, column: 17 } });
    if (result.ok) return;
    expect(result.error.message).toContain('Duplicate key "k" at $.b.k');
  });

  it('refuses nesting deeper than the server accepts', () => {
    const result = parseJsonText(`${'['.repeat(129)}${']'.repeat(129)}`);
    expect(result).toMatchObject({ ok: false, error: { kind: 'too_deep', line: 1, column: 129 } });
  });

  it.each([
    ['{\n  "a": 1,\n}', 2, 9, 'Trailing comma'],
    ['{\n  "a": 1\n  "b": 2\n}', 3, 3, 'Expected "," or "}"'],
    ['{\n  a: 1\n}', 2, 3, 'property name in double quotes'],
    ["{\"a\": 'x'}", 1, 7, 'double quotes'],
    ['{"a": undefined}', 1, 7, 'Unexpected "undefined"'],
    ['{"a": 01}', 1, 7, 'leading zeros'],
    ['{"a": 1.}', 1, 9, 'decimal point'],
    ['{"a": "x\ny"}', 1, 9, 'line break'],
    ['{"a": "\\q"}', 1, 8, 'Invalid escape'],
    ['{"a": 1', 1, 8, 'missing "}"'],
    ['[1, 2', 1, 6, 'missing "]"'],
    ['{"a": 1} x', 1, 10, 'after the end'],
    ['{"a" 1}', 1, 6, 'Expected ":"'],
    ['', 1, 1, 'empty'],
    ['{"a": 1 // note\n}', 1, 9, 'Expected "," or "}"'],
    ['// note\n{}', 1, 1, 'Comments'],
  ])('locates the error in %j at line %i, column %i', (text, line, column, message) => {
    const result = parseJsonText(text);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error).toMatchObject({ line, column });
    expect(result.error.message).toContain(message);
  });

  it('agrees with JSON.parse on arbitrary JSON and on arbitrary strings', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        const text = JSON.stringify(value, null, 2);
        expect(findJsonSyntaxError(text)).toBeNull();
      }),
    );
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom(...'{}[],:"\\ \n0123-.eEtruefalsn'.split('')), maxLength: 24 }), (text) => {
        let valid = true;
        try {
          JSON.parse(text);
        } catch {
          valid = false;
        }
        expect(findJsonSyntaxError(text) === null).toBe(valid);
      }),
      { numRuns: 3000 },
    );
  });

  it('copes with very deep nesting without overflowing the stack', () => {
    const deep = '['.repeat(100_000) + ']'.repeat(99_999);
    const result = parseJsonText(deep);
    expect(result.ok).toBe(false);
    // The first problem in the text is the 129th level; the scanner still finds the rest.
    if (!result.ok) expect(result.error.message).toContain('Nested deeper than 128 levels');
    expect(findJsonSyntaxError(deep)?.message).toContain('missing "]"');
  });
});

describe('parseContextText', () => {
  it('accepts an object or null', () => {
    expect(parseContextText('{"a": 1}')).toEqual({ ok: true, value: losslessContext({ a: 1 }) });
    expect(parseContextText(' null ')).toEqual({ ok: true, value: null });
  });

  it('refuses arrays, strings and numbers, pointing at the value', () => {
    const result = parseContextText('\n  [1, 2]');
    expect(result).toEqual({
      ok: false,
      error: { line: 2, column: 3, offset: 3, message: 'The context must be a JSON object or null, not an array' },
    });
    expect(parseContextText('"x"', 'A merge patch')).toMatchObject({
      ok: false,
      error: { message: 'A merge patch must be a JSON object or null, not a string' },
    });
    expect(parseContextText('42')).toMatchObject({ ok: false, error: { message: expect.stringContaining('not a number') } });
  });
});

describe('formatJson', () => {
  it('pretty-prints with two spaces, numbers exactly and members in order', () => {
    expect(formatJson(losslessContext({ a: [1] }))).toBe('{\n  "a": [\n    1\n  ]\n}');
    const parsed = parseJsonText('{"z":1.10,"2":750727362669608961}');
    expect(parsed.ok && formatJson(parsed.value)).toBe('{\n  "z": 1.10,\n  "2": 750727362669608961\n}');
  });
});
