/**
 * GET /api/session: who is signed in (role + the key's rate limits), from the HttpOnly
 * session cookie. A 401 is not an error here: it means "signed out" and resolves to null,
 * so `data === null` is the one signed-out state the AuthGate looks at.
 */
import { queryOptions, useQuery, type QueryClient, type QueryKey } from '@tanstack/react-query';
import type { SessionInfo } from '@contract/types';
import { apiData, isApiError } from '@/lib/api-client';
import { configureRateBudgets } from '@/lib/rate-limits';

export const sessionKeys = {
  all: ['session'] as const,
  current: () => [...sessionKeys.all, 'current'] as const,
};

/** Whether a query or mutation key belongs to the session (the global 401 handler skips these). */
export const isSessionKey = (key: QueryKey | undefined): boolean => key?.[0] === sessionKeys.all[0];

let appliedLimits: string | undefined;
/**
 * Sizes the tab's request budgets to the server's actual limits. Only when they change:
 * rebuilding a budget forgets the requests already counted in its windows.
 */
export function applySessionRateLimits(limits: SessionInfo['rate_limits']): void {
  const serialised = JSON.stringify(limits);
  if (serialised === appliedLimits) return;
  appliedLimits = serialised;
  configureRateBudgets(limits);
}

export async function fetchSession(signal?: AbortSignal): Promise<SessionInfo | null> {
  try {
    // No rateClass: session calls are not counted in the read budget.
    const session = await apiData<SessionInfo>('/session', { signal });
    applySessionRateLimits(session.rate_limits);
    return session;
  } catch (error) {
    if (isApiError(error) && error.status === 401) return null;
    throw error;
  }
}

export const sessionQueryOptions = () =>
  queryOptions({
    queryKey: sessionKeys.current(),
    queryFn: ({ signal }) => fetchSession(signal),
    // The session changes only by signing in or out (both update this cache) or by
    // expiring, which any 401 reports at once; re-checking on focus catches expiry in an
    // idle tab. It costs no rate budget.
    staleTime: 5 * 60_000,
    refetchOnWindowFocus: true,
  });

export function useSession() {
  return useQuery(sessionQueryOptions());
}

/** The signed-in session, or null. For code below the AuthGate, where it is always set. */
export function useCurrentSession(): SessionInfo | null {
  return useSession().data ?? null;
}

/** Marks the tab as signed out: the AuthGate shows the sign-in page at the same URL. */
export function markSignedOut(queryClient: QueryClient): void {
  queryClient.setQueryData(sessionKeys.current(), null);
}

/**
 * Drops every cached query except the session itself, so that nothing one identity loaded
 * is shown to the next (and nothing stale survives a sign-out).
 */
export function clearNonSessionQueries(queryClient: QueryClient): void {
  void queryClient.cancelQueries({ predicate: (query) => !isSessionKey(query.queryKey) });
  queryClient.removeQueries({ predicate: (query) => !isSessionKey(query.queryKey) });
}
