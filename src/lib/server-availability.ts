/**
 * Whether the server can serve right now, as the API client last saw it: a 503 with code
 * `unavailable` (the server cannot reach its database) marks it down; any later answer
 * that is not such a 503 marks it up again. A tiny external store for
 * useSyncExternalStore, so the banner re-renders only on a change.
 */

export interface ServerAvailability {
  available: boolean;
  /** Seconds the server asked to wait (Retry-After), while unavailable. */
  retryAfterSeconds: number | undefined;
}

const AVAILABLE: ServerAvailability = { available: true, retryAfterSeconds: undefined };

let state: ServerAvailability = AVAILABLE;
const listeners = new Set<() => void>();

function set(next: ServerAvailability): void {
  if (next.available === state.available && next.retryAfterSeconds === state.retryAfterSeconds) return;
  state = next;
  for (const listener of listeners) listener();
}

/** Called by the API client for a 503 `unavailable` answer. */
export function reportServerUnavailable(retryAfterSeconds: number | undefined): void {
  set({ available: false, retryAfterSeconds });
}

/** Called by the API client for any other answer (the server is serving again). */
export function reportServerAvailable(): void {
  if (!state.available) set(AVAILABLE);
}

export const serverAvailability = {
  subscribe(listener: () => void): () => void {
    listeners.add(listener);
    return () => listeners.delete(listener);
  },
  getSnapshot: (): ServerAvailability => state,
};
