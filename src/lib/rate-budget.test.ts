import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { RateBudget } from './rate-budget';

describe('RateBudget', () => {
  beforeEach(() => vi.useFakeTimers({ now: 1_000_000 }));
  afterEach(() => vi.useRealTimers());

  const perSecondAndMinute = () =>
    new RateBudget({
      windows: [
        { limit: 5, windowMs: 1000 },
        { limit: 50, windowMs: 60_000 },
      ],
      marginMs: 0,
    });

  it('grants at most `limit` requests in any rolling window, for every window', async () => {
    const budget = perSecondAndMinute();
    const starts: number[] = [];
    const all = Array.from({ length: 60 }, () => budget.acquire().then(() => starts.push(Date.now())));
    await vi.advanceTimersByTimeAsync(130_000);
    await Promise.all(all);
    expect(starts).toHaveLength(60);
    for (const t of starts) {
      expect(starts.filter((s) => s >= t && s < t + 1000).length).toBeLessThanOrEqual(5);
      expect(starts.filter((s) => s >= t && s < t + 60_000).length).toBeLessThanOrEqual(50);
    }
    // And it is not needlessly slow: the first 50 go out within 10 s, the 51st after a minute.
    expect((starts[49] as number) - (starts[0] as number)).toBeLessThanOrEqual(9000);
    expect((starts[50] as number) - (starts[0] as number)).toBeGreaterThanOrEqual(60_000);
    expect((starts[50] as number) - (starts[0] as number)).toBeLessThan(61_000);
  });

  it('holds every request during a pause (Retry-After)', async () => {
    const budget = perSecondAndMinute();
    budget.pauseUntil(Date.now() + 3000);
    let granted = false;
    void budget.acquire().then(() => (granted = true));
    await vi.advanceTimersByTimeAsync(2999);
    expect(granted).toBe(false);
    await vi.advanceTimersByTimeAsync(2);
    expect(granted).toBe(true);
  });

  it('rejects a waiter that is aborted, without blocking those behind it', async () => {
    const budget = new RateBudget({ windows: [{ limit: 1, windowMs: 1000 }], marginMs: 0 });
    await budget.acquire();
    const controller = new AbortController();
    const aborted = budget.acquire(controller.signal);
    const next = budget.acquire();
    controller.abort(new Error('cancelled'));
    await expect(aborted).rejects.toThrow('cancelled');
    await vi.advanceTimersByTimeAsync(1000);
    await expect(next).resolves.toBeUndefined();
  });
});
