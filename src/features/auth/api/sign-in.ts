/**
 * POST /api/session { api_key }: exchanges an API key for the HttpOnly session cookie.
 * The key travels once in the request body; it is never kept in storage, a URL or the
 * query cache (the mutation is dropped as soon as the sign-in page stops observing it).
 */
import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { SessionInfo } from '@contract/types';
import { apiData } from '@/lib/api-client';
import { applySessionRateLimits, clearNonSessionQueries, sessionKeys } from './get-session';

export function signIn(apiKey: string): Promise<SessionInfo> {
  return apiData<SessionInfo>('/session', { method: 'POST', body: { api_key: apiKey } });
}

export function useSignIn() {
  const queryClient = useQueryClient();
  return useMutation({
    // A session key: a 401 here means "wrong key", not "session expired" (global handler).
    mutationKey: [...sessionKeys.all, 'sign-in'],
    mutationFn: signIn,
    // Forget the variables (the key) as soon as nobody looks at this mutation.
    gcTime: 0,
    retry: false,
    onSuccess: (session) => {
      applySessionRateLimits(session.rate_limits);
      // A new identity starts from an empty cache.
      clearNonSessionQueries(queryClient);
      queryClient.setQueryData(sessionKeys.current(), session);
    },
  });
}
