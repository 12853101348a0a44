import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compareJsonNumbers } from './numbers';

/** Exact value of a JSON number as a fraction n / 10^k with BigInts (the oracle). */
function exact(text: string): { n: bigint; k: number } {
  const match = /^(-?)(\d+)(?:\.(\d+))?(?:[eE]([+-]?\d+))?$/.exec(text);
  if (!match) throw new Error(text);
  const [, sign, int, frac = '', exp = '0'] = match;
  let n = BigInt(`${int}${frac}`);
  let k = frac.length - Number(exp);
  if (k < 0) {
    n *= 10n ** BigInt(-k);
    k = 0;
  }
  return { n: sign === '-' ? -n : n, k };
}
const oracle = (a: string, b: string): number => {
  const x = exact(a);
  const y = exact(b);
  const k = Math.max(x.k, y.k);
  const l = x.n * 10n ** BigInt(k - x.k);
  const r = y.n * 10n ** BigInt(k - y.k);
  return l < r ? -1 : l > r ? 1 : 0;
};

const numberText = fc
  .tuple(
    fc.boolean(),
    fc.oneof(fc.constant('0'), fc.stringMatching(/^[1-9][0-9]{0,24}$/)),
    fc.option(fc.stringMatching(/^[0-9]{1,6}$/)),
    fc.option(fc.integer({ min: -30, max: 30 })),
  )
  .map(([neg, int, frac, exp]) => `${neg ? '-' : ''}${int}${frac === null ? '' : `.${frac}`}${exp === null ? '' : `e${exp}`}`);

describe('compareJsonNumbers', () => {
  it('is exact where doubles are not', () => {
    expect(compareJsonNumbers('750727362669608961', '750727362669608960')).toBe(1);
    expect(compareJsonNumbers('9007199254740993', '9007199254740992')).toBe(1);
    expect(compareJsonNumbers('1.10', '1.1')).toBe(0);
    expect(compareJsonNumbers('11e-1', '1.1')).toBe(0);
    expect(compareJsonNumbers('1E2', '100')).toBe(0);
    expect(compareJsonNumbers('-0', '0')).toBe(0);
    expect(compareJsonNumbers('1e400', '1e399')).toBe(1);
    expect(compareJsonNumbers('-1e400', '-5')).toBe(-1);
    expect(compareJsonNumbers('0.1', '0.10000000000000000555')).toBe(-1);
  });

  it('agrees with exact BigInt arithmetic (property)', () => {
    fc.assert(
      fc.property(numberText, numberText, (a, b) => {
        expect(compareJsonNumbers(a, b)).toBe(oracle(a, b));
      }),
      { numRuns: 3000 },
    );
  });
});
