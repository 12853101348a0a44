/**
 * A client-side request budget: never more than `limit` requests in any rolling window of
 * `windowMs`, for every window given (e.g. 5/s and 50/min). Unlike the server's counters,
 * this is a sliding log, so staying inside it keeps us inside the server's limits however
 * its windows are aligned; `marginMs` covers clock and network jitter between the two.
 *
 * Pure scheduling logic with an injectable clock, so it is tested with fake timers.
 */
export interface BudgetWindow {
  limit: number;
  windowMs: number;
}

export interface RateBudgetOptions {
  windows: BudgetWindow[];
  /** Extra wait added when a window is full, to absorb jitter. Default 50 ms. */
  marginMs?: number;
  now?: () => number;
}

export class RateBudget {
  private readonly windows: BudgetWindow[];
  private readonly marginMs: number;
  private readonly now: () => number;
  /** Start times of granted requests, oldest first, trimmed to the longest window. */
  private readonly granted: number[] = [];
  private pausedUntil = 0;
  private queue: Promise<void> = Promise.resolve();

  constructor(options: RateBudgetOptions) {
    this.windows = options.windows;
    this.marginMs = options.marginMs ?? 50;
    this.now = options.now ?? (() => Date.now());
  }

  /** Milliseconds until a request may start (0: now). */
  delayMs(at = this.now()): number {
    let wait = Math.max(0, this.pausedUntil - at);
    for (const { limit, windowMs } of this.windows) {
      const inWindow = this.granted.filter((t) => t > at - windowMs);
      if (inWindow.length >= limit) {
        // The oldest request that must leave the window before one more fits.
        const blocker = inWindow[inWindow.length - limit] as number;
        wait = Math.max(wait, blocker + windowMs - at + this.marginMs);
      }
    }
    return wait;
  }

  /** Records a request starting now. Callers normally use `acquire`. */
  record(at = this.now()): void {
    this.granted.push(at);
    const longest = Math.max(...this.windows.map((w) => w.windowMs));
    while (this.granted.length > 0 && (this.granted[0] as number) <= at - longest) this.granted.shift();
  }

  /** Holds every request until this time (a server's Retry-After or RateLimit-Reset). */
  pauseUntil(timestampMs: number): void {
    this.pausedUntil = Math.max(this.pausedUntil, timestampMs);
  }

  /** When the current pause ends (0: not paused). */
  get pausedUntilMs(): number {
    return this.pausedUntil > this.now() ? this.pausedUntil : 0;
  }

  /**
   * Resolves when a request may start, and records it. Requests are granted in call
   * order. Rejects with the signal's reason if aborted while waiting.
   */
  acquire(signal?: AbortSignal): Promise<void> {
    const turn = this.queue.then(() => this.waitForSlot(signal));
    // A cancelled waiter must not block the ones behind it.
    this.queue = turn.catch(() => undefined);
    return turn;
  }

  private async waitForSlot(signal?: AbortSignal): Promise<void> {
    for (;;) {
      signal?.throwIfAborted();
      const wait = this.delayMs();
      if (wait <= 0) {
        this.record();
        return;
      }
      await sleep(wait, signal);
    }
  }
}

export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason);
      return;
    }
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
