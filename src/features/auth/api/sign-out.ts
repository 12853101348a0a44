/**
 * DELETE /api/session: ends the session on the server, then leaves nothing of it in this
 * tab: the session cache says "signed out", every other query and every mutation (whose
 * variables may hold context content) is dropped, and the caller's own browser-side data
 * (editor drafts: see useSignOutFlow) is removed first.
 */
import { useMutation, useQueryClient, type QueryClient } from '@tanstack/react-query';
import { apiRequest, isApiError } from '@/lib/api-client';
import { clearNonSessionQueries, markSignedOut, sessionKeys } from './get-session';

export async function signOut(): Promise<void> {
  try {
    await apiRequest<void>('/session', { method: 'DELETE' });
  } catch (error) {
    // Already signed out (expired cookie): the goal is reached.
    if (isApiError(error) && error.status === 401) return;
    throw error;
  }
}

/**
 * Signed-out state for the whole client: session null, all other queries and all
 * mutations gone. Like `queryClient.clear()`, except that the session query keeps its
 * entry (now null): the AuthGate observes that entry, and an observer of a removed query
 * would never hear of the new one, so the sign-in page would not appear.
 */
export function resetClientAfterSignOut(queryClient: QueryClient): void {
  markSignedOut(queryClient);
  clearNonSessionQueries(queryClient);
  queryClient.getMutationCache().clear();
}

export interface UseSignOutOptions {
  /**
   * Runs once the server ended the session, just before the client is reset (and the
   * signed-in UI unmounts): remove browser-side data of the session here.
   */
  onSignedOut?: () => void;
}

export function useSignOut({ onSignedOut }: UseSignOutOptions = {}) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationKey: [...sessionKeys.all, 'sign-out'],
    mutationFn: signOut,
    retry: false,
    onSuccess: () => {
      onSignedOut?.();
      resetClientAfterSignOut(queryClient);
    },
  });
}
