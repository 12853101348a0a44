import { describe, expect, it } from 'vitest';
import { parseJsonText } from '../json/lossless-json';
import { parseCondition, type Condition } from './condition';
import { conditionHolds } from './evaluate';
import { searchTextOf } from './search-text';

describe('searchTextOf', () => {
  it('holds member names, decoded strings and number spellings, folded, one per line', () => {
    expect(searchTextOf('{"Order":88123,"ref":"A-88123","say":"\\"Hi\\" caf\\u00e9","n":1.10E2,"ok":true,"z":null}')).toBe(
      ['order', '88123', 'ref', 'a-88123', 'say', '"hi" café', 'n', '1.10e2', 'ok', 'z'].join('\n'),
    );
    expect(searchTextOf(null)).toBe('');
    expect(searchTextOf('{}')).toBe('');
  });
});

const ctx = parseJsonText(
  '{"price":50,"label":"50","big":750727362669608961,"customer":{"email":"Alice@Example.com"},"items":[{"sku":"A-1"}],"key.with.dots":{"x":true},"none":null,"f":1.10}',
).value;
const cond = (text: string): Condition => {
  const parsed = parseCondition(text);
  if (!parsed.ok) throw new Error(parsed.error.message);
  return parsed.condition;
};

describe('conditionHolds (the reference semantics)', () => {
  it.each([
    ['price = 50', true],
    ['price = "50"', false],
    ['label = "50"', true],
    ['label = 50', false],
    ['price = 5e1', true],
    ['f = 1.1', true],
    ['big = 750727362669608961', true],
    ['big = 750727362669608960', false],
    ['big > 750727362669608960', true],
    ['price < 50.0000000000000001', true],
    ['label < "6"', true],
    ['label < 60', false],
    ['price != 50', false],
    ['price != "50"', true],
    ['missing != 1', true],
    ['customer.email ~ "alice@EXAMPLE"', true],
    ['customer.email = "alice@example.com"', false],
    ['items[0].sku = "A-1"', true],
    ['items[1].sku exists', false],
    ['items.0 exists', false],
    ['["key.with.dots"].x = true', true],
    ['none = null', true],
    ['none exists', true],
    ['gone !exists', true],
    ['customer exists', true],
    ['customer = null', false],
  ])('%s → %s', (text, expected) => {
    expect(conditionHolds(ctx, cond(text))).toBe(expected);
  });

  it('a null context has no members', () => {
    expect(conditionHolds(null, cond('a !exists'))).toBe(true);
    expect(conditionHolds(null, cond('a != 1'))).toBe(true);
    expect(conditionHolds(null, cond('a exists'))).toBe(false);
  });
});
