import { useEffect, useState } from 'react';

/**
 * Whole seconds left until `until` (ms since the epoch), ticking; 0 when past or null.
 * Rounded up so that "1 s" shows until the moment the wait is over, never "0 s" early.
 */
export function useCountdown(until: number | null): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (until === null) return;
    const tick = () => setNow(Date.now());
    tick();
    const timer = setInterval(tick, 250);
    return () => clearInterval(timer);
  }, [until]);
  return until === null ? 0 : Math.max(0, Math.ceil((until - now) / 1000));
}
