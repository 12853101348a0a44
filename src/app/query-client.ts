/**
 * The app's QueryClient, with deliberate defaults (tests build theirs with the same
 * function, retries off).
 */
import { MutationCache, QueryCache, QueryClient } from '@tanstack/react-query';
import { isSessionKey, markSignedOut, sessionKeys } from '@/features/auth';
import { isApiError } from '@/lib/api-client';

/** Network failures and overload are worth retrying; a 4xx answer will not change. */
export function shouldRetry(failureCount: number, error: unknown): boolean {
  if (!isApiError(error)) return failureCount < 2;
  if (error.isNetworkError) return failureCount < 2;
  // 429: the API client already holds the class's budget until Retry-After, so one more
  // attempt waits its turn instead of hammering.
  if (error.status === 429) return failureCount < 1;
  if (error.status >= 500) return failureCount < 2;
  return false;
}

/** 1 s, 2 s, 4 s… capped at 8 s; a 429 waits what the server asked. */
export function retryDelay(attempt: number, error: unknown): number {
  if (isApiError(error) && error.status === 429 && error.retryAfterSeconds !== undefined) {
    return error.retryAfterSeconds * 1000;
  }
  return Math.min(1000 * 2 ** attempt, 8000);
}

export interface CreateQueryClientOptions {
  /** Turn retries off (tests). */
  retry?: boolean;
  /** Called once when a request finds the session gone (e.g. to show a toast). */
  onSessionExpired?: () => void;
}

export function createQueryClient({ retry = true, onSessionExpired }: CreateQueryClientOptions = {}): QueryClient {
  // A 401 from any query or mutation (other than the session's own calls, where 401 means
  // "signed out" or "wrong key") means the cookie expired or was revoked: drop the session
  // so the AuthGate shows sign-in at the same URL. It clears the other caches itself.
  const onUnauthorized = (error: unknown, key: readonly unknown[] | undefined) => {
    if (!isApiError(error) || error.status !== 401 || isSessionKey(key)) return;
    const wasSignedIn = Boolean(client.getQueryData(sessionKeys.current()));
    markSignedOut(client);
    if (wasSignedIn) onSessionExpired?.();
  };

  const client: QueryClient = new QueryClient({
    queryCache: new QueryCache({ onError: (error, query) => onUnauthorized(error, query.queryKey) }),
    mutationCache: new MutationCache({
      onError: (error, _variables, _context, mutation) => onUnauthorized(error, mutation.options.mutationKey),
    }),
    defaultOptions: {
      queries: {
        // 30 s: contexts change under us (agents write them), but browsing back and forth
        // between list and details should not refetch every time or burn the read budget
        // (100/min per key, shared by every tab of the key).
        staleTime: 30_000,
        // Keep unused results 5 min so that going back to a list is instant.
        gcTime: 5 * 60_000,
        retry: retry ? shouldRetry : false,
        retryDelay,
        // Off: refetching an infinite list of many pages on every tab switch would spend
        // the read budget on data nobody asked for. Queries that need it (the session)
        // opt in. Reconnecting still refetches stale queries.
        refetchOnWindowFocus: false,
        refetchOnReconnect: true,
      },
      mutations: {
        // Writes are not blindly repeated; features decide (PATCH uses If-Match).
        retry: false,
      },
    },
  });
  return client;
}
