import { describe, expect, it } from 'vitest';
import { p95Ratio, pairOrder } from './paired';

describe('pairOrder', () => {
  it('alternates which side runs first', () => {
    expect(pairOrder(0, 'on', 'off')).toEqual(['on', 'off']);
    expect(pairOrder(1, 'on', 'off')).toEqual(['off', 'on']);
    expect(pairOrder(2, 'on', 'off')).toEqual(['on', 'off']);
    expect(pairOrder(201, 'on', 'off')).toEqual(['off', 'on']);
  });

  it('runs each side first equally often over an even number of samples', () => {
    const firsts = Array.from({ length: 200 }, (_, i) => pairOrder(i, 'on', 'off')[0]);
    expect(firsts.filter((s) => s === 'on')).toHaveLength(100);
  });
});

describe('p95Ratio', () => {
  it('divides the p95s and judges against the budget', () => {
    expect(p95Ratio({ p95: 6 }, { p95: 5 }, 1.3)).toEqual({ ratio: 1.2, budget: 1.3, ok: true });
    expect(p95Ratio({ p95: 7 }, { p95: 5 }, 1.3)).toEqual({ ratio: 1.4, budget: 1.3, ok: false });
  });

  it('judges the unrounded ratio: 1.304 is over 1.3 though it prints as 1.3', () => {
    expect(p95Ratio({ p95: 1.304 }, { p95: 1 }, 1.3)).toEqual({ ratio: 1.3, budget: 1.3, ok: false });
    expect(p95Ratio({ p95: 13 }, { p95: 10 }, 1.3).ok).toBe(true);
  });

  it('a faster "on" side is within (ratio below 1)', () => {
    expect(p95Ratio({ p95: 4 }, { p95: 5 }, 1.3)).toEqual({ ratio: 0.8, budget: 1.3, ok: true });
  });

  it('gives no verdict when the "off" p95 cannot be divided by', () => {
    for (const off of [0, -1, Number.NaN, Number.POSITIVE_INFINITY]) {
      const verdict = p95Ratio({ p95: 3 }, { p95: off }, 1.3);
      expect(verdict.ok).toBeNull();
      expect(verdict.ratio).toBeNaN();
    }
    expect(p95Ratio({ p95: Number.NaN }, { p95: 3 }, 1.3).ok).toBeNull();
  });
});
