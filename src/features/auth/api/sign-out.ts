/** DELETE /api/session: ends the session on the server and clears every cached query. */
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

/** Signed-out state for the whole client: session null, all other queries and mutations gone. */
export function resetClientAfterSignOut(queryClient: QueryClient): void {
  markSignedOut(queryClient);
  clearNonSessionQueries(queryClient);
}

export function useSignOut() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationKey: [...sessionKeys.all, 'sign-out'],
    mutationFn: signOut,
    retry: false,
    onSuccess: () => resetClientAfterSignOut(queryClient),
  });
}
