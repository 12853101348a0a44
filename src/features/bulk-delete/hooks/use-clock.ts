import { useSyncExternalStore } from 'react';

/*
 * A one-second clock for countdowns and "time left", which must move even when nothing
 * else happens (the budget can hold requests for most of a minute). One interval for every
 * subscriber, running only while someone listens.
 */
const TICK_MS = 1000;
const listeners = new Set<() => void>();
let now = Date.now();
let timer: ReturnType<typeof setInterval> | undefined;

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  if (!timer) {
    now = Date.now();
    timer = setInterval(() => {
      now = Date.now();
      listeners.forEach((l) => l());
    }, TICK_MS);
  }
  return () => {
    listeners.delete(listener);
    if (listeners.size === 0 && timer) {
      clearInterval(timer);
      timer = undefined;
    }
  };
}

const noSubscription = () => () => {};
// Stable between ticks (useSyncExternalStore needs that); subscribing refreshes it, and
// React reads it again right after subscribing, so the first render is corrected at once.
const getNow = () => now;

/** The current time (ms), re-rendering every second while `active`. */
export function useClock(active: boolean): number {
  return useSyncExternalStore(active ? subscribe : noSubscription, getNow, getNow);
}
