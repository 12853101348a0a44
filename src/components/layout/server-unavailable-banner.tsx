import { useEffect, useSyncExternalStore } from 'react';
import { reportServerAvailable, serverAvailability } from '@/lib/server-availability';

/** Fallback pause between health probes when the server gave no Retry-After, seconds. */
const DEFAULT_RETRY_SECONDS = 2;

/**
 * "Server unavailable, retrying…": shown while the API answers 503 `unavailable` (the
 * server cannot reach its database). While shown it probes `/api/ready` on the server's
 * Retry-After cadence and disappears by itself once the server answers again; queries
 * retry on their own schedule meanwhile. `probe` is injectable for tests.
 */
export function ServerUnavailableBanner({
  probe = defaultProbe,
}: {
  /** Resolves true when the server is healthy again. */
  probe?: () => Promise<boolean>;
}) {
  const { available, retryAfterSeconds } = useSyncExternalStore(serverAvailability.subscribe, serverAvailability.getSnapshot);

  useEffect(() => {
    if (available) return;
    let cancelled = false;
    const delay = Math.max(1, retryAfterSeconds ?? DEFAULT_RETRY_SECONDS) * 1000;
    const timer = setInterval(() => {
      void probe().then((healthy) => {
        if (healthy && !cancelled) reportServerAvailable();
      });
    }, delay);
    return () => {
      cancelled = true;
      clearInterval(timer);
    };
  }, [available, retryAfterSeconds, probe]);

  if (available) return null;
  return (
    <div className="server-unavailable" role="alert">
      <strong>Server unavailable, retrying…</strong>{' '}
      <span>The server cannot reach its database right now. Your changes are not lost; this message disappears once it is back.</span>
    </div>
  );
}

async function defaultProbe(): Promise<boolean> {
  try {
    const response = await fetch('/api/ready', { credentials: 'same-origin', cache: 'no-store' });
    return response.ok;
  } catch {
    return false;
  }
}
