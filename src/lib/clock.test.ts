import { act, renderHook } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createSharedClock, useClock } from './clock';

describe('shared clock', () => {
  beforeEach(() => vi.useFakeTimers({ now: 1_000_000 }));
  afterEach(() => vi.useRealTimers());

  it('ticks every subscriber from one interval, and stops when the last one leaves', () => {
    const clock = createSharedClock(1000);
    const a = renderHook(() => useClock(clock));
    const b = renderHook(() => useClock(clock));
    expect(vi.getTimerCount()).toBe(1);
    act(() => vi.advanceTimersByTime(3000));
    expect(a.result.current).toBe(1_003_000);
    expect(b.result.current).toBe(1_003_000);
    a.unmount();
    b.unmount();
    expect(vi.getTimerCount()).toBe(0);
  });

  it('does not tick while inactive, yet reads the current time when rendered', () => {
    const clock = createSharedClock(1000);
    vi.setSystemTime(1_005_400);
    const { result } = renderHook(() => useClock(clock, false));
    expect(vi.getTimerCount()).toBe(0);
    expect(result.current).toBe(1_005_000);
  });
});
