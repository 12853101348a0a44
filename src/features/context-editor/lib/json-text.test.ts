import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
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
  it('parses valid JSON with JSON.parse semantics', () => {
    expect(parseJsonText('{"a": [1, 2.5e3, -0, "x\\u0041", true, null]}')).toEqual({
      ok: true,
      value: { a: [1, 2500, -0, 'xA', true, null] },
    });
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
    if (!result.ok) expect(result.error.message).toContain('missing "]"');
  });
});

describe('parseContextText', () => {
  it('accepts an object or null', () => {
    expect(parseContextText('{"a": 1}')).toEqual({ ok: true, value: { a: 1 } });
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
  it('pretty-prints with two spaces', () => {
    expect(formatJson({ a: [1] })).toBe('{\n  "a": [\n    1\n  ]\n}');
  });
});
