import { useQueryClient } from '@tanstack/react-query';
import { useEffect, type ReactNode } from 'react';
import { ErrorState, FullPageSpinner } from '@/components/ui';
import { clearNonSessionQueries, useSession } from '../api/get-session';
import { SignInPage } from './sign-in-page';

/**
 * Shows its children only to a signed-in user. While the session is checked: a calm
 * full-page spinner. Signed out: the sign-in page, at the SAME URL (no redirect), so that
 * a shared link to a filtered list or an open context works right after signing in.
 */
export function AuthGate({ children }: { children: ReactNode }) {
  const session = useSession();
  const queryClient = useQueryClient();
  const signedOut = session.data === null;

  // However the session ended (sign-out, expiry seen as a 401 anywhere), nothing loaded
  // for the previous identity may outlive it. The app tree is unmounted by now.
  useEffect(() => {
    if (signedOut) clearNonSessionQueries(queryClient);
  }, [signedOut, queryClient]);

  if (session.isPending) return <FullPageSpinner label="Checking your session" />;
  if (session.isError && session.data === undefined) {
    return (
      <main className="fullpage-state">
        <ErrorState
          headingLevel={1}
          error={session.error}
          title="Cannot check your session"
          onRetry={() => void session.refetch()}
          retrying={session.isFetching}
        />
      </main>
    );
  }
  if (!session.data) return <SignInPage />;
  return <>{children}</>;
}
