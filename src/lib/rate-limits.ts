/**
 * One request budget per rate-limited operation class, shared by every caller in this tab:
 * list pages, the drawer's GET, editor saves and the delete queue all draw from the same
 * budget as the server counts them (per key). Budgets start at the seeds' figures and are
 * set to the server's actual limits once the session is known.
 */
import { DEFAULT_RATE_LIMITS, RATE_LIMIT_CLASSES, type RateLimitClass, type RateLimitRule } from '@contract/constants';
import type { SessionInfo } from '@contract/types';
import { RateBudget } from './rate-budget';

const budgetFor = (rule: RateLimitRule | null): RateBudget =>
  new RateBudget({
    windows: rule
      ? [
          { limit: rule.perSecond, windowMs: 1000 },
          { limit: rule.perMinute, windowMs: 60_000 },
        ]
      : [],
  });

const budgets = new Map<RateLimitClass, RateBudget>(
  RATE_LIMIT_CLASSES.map((cls) => [cls, budgetFor(DEFAULT_RATE_LIMITS[cls])]),
);

export const rateBudget = (cls: RateLimitClass): RateBudget => budgets.get(cls) as RateBudget;

/** Called when the session (and so the server's limits) is known. */
export function configureRateBudgets(limits: SessionInfo['rate_limits']): void {
  for (const cls of RATE_LIMIT_CLASSES) budgets.set(cls, budgetFor(limits[cls]));
}
