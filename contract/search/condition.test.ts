import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  CONDITION_OPERATORS,
  formatCondition,
  formatPath,
  isPresenceCondition,
  parseCondition,
  type Condition,
  type ConditionParseResult,
  type Literal,
  type PathSegment,
} from './condition';

const ok = (text: string) => {
  const result = parseCondition(text);
  if (!result.ok) throw new Error(`${text}: ${result.error.message}`);
  return result.condition;
};
const fail = (text: string) => {
  const result: ConditionParseResult = parseCondition(text);
  if (result.ok) throw new Error(`${text} parsed: ${JSON.stringify(result.condition)}`); // fidelity-ok: test message
  return result.error;
};

describe('parseCondition', () => {
  it('reads the three path forms', () => {
    expect(ok('customer.email = "alice@example.com"')).toEqual({
      path: ['customer', 'email'],
      op: '=',
      value: { type: 'string', value: 'alice@example.com' },
    });
    expect(ok('items[0].sku = "A-1"').path).toEqual(['items', 0, 'sku']);
    expect(ok('["key.with.dots"].x exists').path).toEqual(['key.with.dots', 'x']);
    expect(ok('a["b c"][12]["\\u00e9\\""] exists').path).toEqual(['a', 'b c', 12, 'é"']);
    expect(ok('données.prix-total >= 1').path).toEqual(['données', 'prix-total']);
    expect(ok('a.0 exists').path).toEqual(['a', '0']);
  });

  it('reads every operator, with or without spaces around symbols', () => {
    for (const op of ['=', '!=', '<', '<=', '>', '>=', '~'] as const) {
      const value = op === '~' ? '"x"' : '5';
      expect(ok(`a ${op} ${value}`).op).toBe(op);
      expect(ok(`a${op}${value}`).op).toBe(op);
    }
    expect(ok('error exists')).toEqual({ path: ['error'], op: 'exists' });
    expect(ok('  error   !exists  ')).toEqual({ path: ['error'], op: '!exists' });
    expect(ok('error!exists')).toEqual({ path: ['error'], op: '!exists' });
  });

  it('keeps numbers as written and reads every literal', () => {
    expect(ok('id = 750727362669608961').op === '=' && ok('id = 750727362669608961')).toMatchObject({
      value: { type: 'number', text: '750727362669608961' },
    });
    const literal = (text: string): Literal => {
      const condition = ok(`a = ${text}`);
      if (isPresenceCondition(condition)) throw new Error('no value');
      return condition.value;
    };
    expect(literal('-1.10e+5')).toEqual({ type: 'number', text: '-1.10e+5' });
    expect(literal('1E400')).toEqual({ type: 'number', text: '1E400' });
    expect(literal('"50"')).toEqual({ type: 'string', value: '50' });
    expect(literal('true')).toEqual({ type: 'boolean', value: true });
    expect(literal('false')).toEqual({ type: 'boolean', value: false });
    expect(literal('null')).toEqual({ type: 'null' });
    expect(literal('"tab\\there \\"q\\" \\/ 😀"')).toEqual({ type: 'string', value: 'tab\there "q" / 😀' });
  });

  it.each([
    ['', 0, 'a member name'],
    ['   ', 3, 'a member name'],
    ['= 5', 0, 'a member name'],
    ['a', 1, 'an operator (= != < <= > >= ~ exists !exists)'],
    ['a 5', 2, 'an operator (= != < <= > >= ~ exists !exists)'],
    ['a =', 3, 'a value'],
    ['a = alice', 4, 'a JSON value (string, number, true, false, null)'],
    ['a = "open', 9, 'a closing "'],
    ['a = "bad \\x"', 10, 'an escape (\\" \\\\ \\/ \\b \\f \\n \\r \\t \\uXXXX)'],
    ['a = 01', 4, 'a JSON number'],
    ['a = 1.', 4, 'a JSON number'],
    ['a = 5 6', 6, 'the end of the condition'],
    ['a exists 5', 9, 'the end of the condition'],
    ['a < true', 4, 'a number'],
    ['a >= null', 5, 'a number'],
    ['a ~ 5', 4, 'a string'],
    ['a.', 2, 'a member name'],
    ['a..b = 1', 2, 'a member name'],
    ['a[ = 1', 2, 'an array index (0, 1, 2…)'],
    ['a[01] = 1', 3, ']'],
    ['a[-1] = 1', 2, 'an array index (0, 1, 2…)'],
    ['a[1 = 1', 3, ']'],
    ['[0] = 1', 1, 'a member name in double quotes'],
    ['["a" = 1', 4, ']'],
    ['aexists', 7, 'an operator (= != < <= > >= ~ exists !exists)'],
  ])('%j fails at %i expecting %s', (text, position, expected) => {
    const error = fail(text);
    expect(error.position).toBe(position);
    expect(error.expected).toContain(expected);
    expect(error.message.length).toBeGreaterThan(5);
  });

  it('refuses conditions over the length limit', () => {
    expect(fail(`a = "${'x'.repeat(2000)}"`).expected).toEqual(['a shorter condition']);
  });

  it('never throws, and errors point inside or at the end of the text', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.stringMatching(/^[a-z."[\]0-9 =!<>~\\e-]{0,20}$/)), (text) => {
        const result = parseCondition(text);
        if (!result.ok) {
          expect(result.error.position).toBeGreaterThanOrEqual(0);
          expect(result.error.position).toBeLessThanOrEqual(text.length);
          expect(result.error.expected.length).toBeGreaterThan(0);
        }
      }),
      { numRuns: 2000 },
    );
  });
});

const segment: fc.Arbitrary<PathSegment> = fc.oneof(
  fc.string({ minLength: 1, maxLength: 8 }),
  fc.stringMatching(/^[a-z_][a-z0-9_-]{0,6}$/),
  fc.nat({ max: 999_999_999 }),
);
const path = fc
  .tuple(fc.oneof(fc.string({ minLength: 1, maxLength: 8 }), fc.stringMatching(/^[a-z][a-z0-9]{0,6}$/)), fc.array(segment, { maxLength: 4 }))
  .map(([first, rest]) => [first, ...rest]);
const numberText = fc
  .tuple(fc.boolean(), fc.oneof(fc.constant('0'), fc.stringMatching(/^[1-9][0-9]{0,20}$/)), fc.option(fc.stringMatching(/^[0-9]{1,5}$/)), fc.option(fc.stringMatching(/^[eE][+-]?[0-9]{1,3}$/)))
  .map(([neg, int, frac, exp]) => `${neg ? '-' : ''}${int}${frac === null ? '' : `.${frac}`}${exp ?? ''}`);
const literal: fc.Arbitrary<Literal> = fc.oneof(
  fc.string().map((value) => ({ type: 'string' as const, value })),
  numberText.map((text) => ({ type: 'number' as const, text })),
  fc.boolean().map((value) => ({ type: 'boolean' as const, value })),
  fc.constant({ type: 'null' as const }),
);
const condition: fc.Arbitrary<Condition> = fc
  .tuple(path, fc.constantFrom(...CONDITION_OPERATORS), literal, fc.string())
  .map(([p, op, value, text]): Condition => {
    if (op === 'exists' || op === '!exists') return { path: p, op };
    if (op === '~') return { path: p, op, value: { type: 'string', value: text } };
    if ((op === '<' || op === '<=' || op === '>' || op === '>=') && value.type !== 'number' && value.type !== 'string') {
      return { path: p, op, value: { type: 'string', value: text } };
    }
    return { path: p, op, value };
  });

describe('formatCondition', () => {
  it('writes the canonical forms', () => {
    expect(formatPath(['customer', 'email'])).toBe('customer.email');
    expect(formatPath(['items', 0, 'sku'])).toBe('items[0].sku');
    expect(formatPath(['key.with.dots', 'x'])).toBe('["key.with.dots"].x');
    expect(formatPath(['a b', 'say "hi"\n'])).toBe('["a b"]["say \\"hi\\"\\n"]');
    expect(formatCondition(ok('  a.b=750727362669608961'))).toBe('a.b = 750727362669608961');
    expect(formatCondition(ok('e   exists'))).toBe('e exists');
  });

  it('round-trips: parse(format(c)) = c (property)', () => {
    fc.assert(
      fc.property(condition, (c) => {
        expect(ok(formatCondition(c))).toEqual(c);
      }),
      { numRuns: 1000 },
    );
  });
});
