import { describe, expect, it } from 'vitest';
import { RateBudget } from '@/lib/rate-budget';
import { secondsUntilReadsResume } from './rate-wait';

describe('secondsUntilReadsResume', () => {
  it('counts down a pause, rounding up', () => {
    let now = 10_000;
    const budget = new RateBudget({ windows: [], now: () => now });
    budget.pauseUntil(now + 4200);
    expect(secondsUntilReadsResume(budget, now)).toBe(5);
    now += 4000;
    expect(secondsUntilReadsResume(budget, now)).toBe(1);
    now += 300;
    expect(secondsUntilReadsResume(budget, now)).toBe(0);
  });

  it('includes the wait of a full window', () => {
    const now = 10_000;
    const budget = new RateBudget({ windows: [{ limit: 2, windowMs: 60_000 }], marginMs: 0, now: () => now });
    budget.record(now - 30_000);
    budget.record(now - 20_000);
    expect(secondsUntilReadsResume(budget, now)).toBe(30);
  });

  it("falls back to the error's Retry-After", () => {
    const budget = new RateBudget({ windows: [] });
    expect(secondsUntilReadsResume(budget, Date.now(), 3)).toBe(3);
    expect(secondsUntilReadsResume(budget, Date.now())).toBe(0);
  });
});
