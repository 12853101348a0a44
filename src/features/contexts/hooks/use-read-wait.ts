import { useEffect, useState } from 'react';
import { isApiError } from '@/lib/api-client';
import { rateBudget } from '@/lib/rate-limits';
import { secondsUntilReadsResume } from '../lib/rate-wait';

/**
 * Seconds until held-back reads resume (0: not waiting), ticking while `active` — i.e.
 * while a read is in flight. `failureReason` is the query's last error: a 429 there means
 * the query is waiting to retry on its own.
 */
export function useReadWait(active: boolean, failureReason: unknown): number {
  const retryAfter = isApiError(failureReason) && failureReason.status === 429 ? failureReason.retryAfterSeconds : undefined;
  const [seconds, setSeconds] = useState(0);
  useEffect(() => {
    if (!active) return;
    // The budget is looked up on every tick: signing in replaces it (configureRateBudgets).
    const tick = () => setSeconds(secondsUntilReadsResume(rateBudget('read'), Date.now(), retryAfter));
    tick();
    const timer = setInterval(tick, 250);
    return () => clearInterval(timer);
  }, [active, retryAfter]);
  return active ? seconds : 0;
}
