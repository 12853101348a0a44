import { useSyncExternalStore } from 'react';

/**
 * Shared clocks: one interval per tick rate for the whole page, running only while some
 * component listens, instead of a timer per row or per countdown. Relative times tick every
 * 30 s; countdowns ("retrying in 12 s", "about 40 s left") every second.
 */
export interface SharedClock {
  subscribe(listener: () => void): () => void;
  getNow(): number;
}

export function createSharedClock(tickMs: number): SharedClock {
  const listeners = new Set<() => void>();
  let now = Date.now();
  let timer: ReturnType<typeof setInterval> | undefined;
  return {
    subscribe(listener) {
      listeners.add(listener);
      if (!timer) {
        now = Date.now();
        timer = setInterval(() => {
          now = Date.now();
          listeners.forEach((l) => l());
        }, tickMs);
      }
      return () => {
        listeners.delete(listener);
        if (listeners.size === 0 && timer) {
          clearInterval(timer);
          timer = undefined;
        }
      };
    },
    getNow() {
      // Not ticking: refresh before the first subscriber renders — to the whole second, so
      // that two reads within one render agree (useSyncExternalStore needs a stable value).
      if (listeners.size === 0) now = Math.floor(Date.now() / 1000) * 1000;
      return now;
    },
  };
}

export const minuteClock = createSharedClock(30_000);
export const secondClock = createSharedClock(1000);

const noSubscription = () => () => {};

/** The clock's current time (ms), re-rendering on each tick while `active`. */
export function useClock(clock: SharedClock, active = true): number {
  return useSyncExternalStore(active ? clock.subscribe : noSubscription, clock.getNow, clock.getNow);
}
