import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createDebouncer } from './debounce';

describe('createDebouncer', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('calls once with the last arguments after the pause', () => {
    const fn = vi.fn();
    const d = createDebouncer<[string]>(300, fn);
    d.call('a');
    vi.advanceTimersByTime(200);
    d.call('ab');
    expect(d.pending).toBe(true);
    vi.advanceTimersByTime(299);
    expect(fn).not.toHaveBeenCalled();
    vi.advanceTimersByTime(1);
    expect(fn).toHaveBeenCalledExactlyOnceWith('ab');
    expect(d.pending).toBe(false);
  });

  it('flushes now, cancels, and always runs the latest callback', () => {
    const first = vi.fn();
    const latest = vi.fn();
    const d = createDebouncer<[number]>(300, first);
    d.call(1);
    d.setCallback(latest);
    d.flush();
    expect(latest).toHaveBeenCalledWith(1);
    d.call(2);
    d.cancel();
    vi.advanceTimersByTime(1000);
    expect(latest).toHaveBeenCalledTimes(1);
    expect(first).not.toHaveBeenCalled();
  });
});
