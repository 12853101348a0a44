/**
 * How long reads are held back, in whole seconds, for the calm "resuming in N s" message.
 * Two causes, both owned by the shared read budget: a pause (the server answered 429 with
 * Retry-After, or reported its window exhausted) and the budget's own windows being full
 * (scrolling faster than the read limit allows).
 */
export interface BudgetView {
  pausedUntilMs: number;
  delayMs(at?: number): number;
}

export function secondsUntilReadsResume(budget: BudgetView, now: number, retryAfterSeconds?: number): number {
  const pause = budget.pausedUntilMs > now ? budget.pausedUntilMs - now : 0;
  const wait = Math.max(pause, budget.delayMs(now));
  // Without a pause in the budget (e.g. a 429 answered by another server), fall back to
  // the error's own Retry-After so the message still has a number.
  const ms = wait > 0 ? wait : (retryAfterSeconds ?? 0) * 1000;
  return Math.ceil(ms / 1000);
}
