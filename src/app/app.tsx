import { useCallback } from 'react';
import { useLocation } from 'wouter';
import { AppFrame } from '@/components/layout';
import { AuthGate, ROLE_DESCRIPTIONS, SignOutWarning, useCurrentSession, useSignOutFlow } from '@/features/auth';
import { clearAllDrafts, unsavedDraftIds } from '@/features/context-editor';
import { AppErrorBoundary } from './app-error-boundary';
import { AppProviders } from './providers';
import { AppRoutes } from './router';
import { useTheme } from './theme';

/**
 * Sign-out wired to the editor's drafts: it warns about unsaved ones and removes them
 * (with the query cache) once the server ended the session. The other browser storage
 * (localStorage) holds only the theme and hidden table columns: nothing of a context.
 */
function useAppSignOut() {
  const [, navigate] = useLocation();
  // "Go back to drafts": show a draft's context unless one of them is open already (its
  // editor then shows the draft; a draft from before a reload reopens its editor).
  const onReturnToDrafts = useCallback(
    (ids: string[]) => {
      const open = new URLSearchParams(window.location.search).get('context');
      if (open !== null && ids.includes(open)) return;
      navigate(`/contexts?context=${encodeURIComponent(ids[0] ?? '')}`);
    },
    [navigate],
  );
  return useSignOutFlow({ unsavedDrafts: unsavedDraftIds, discardLocalData: clearAllDrafts, onReturnToDrafts });
}

/** The signed-in app: frame wired to the session and theme, routes inside. */
function SignedInApp() {
  const session = useCurrentSession();
  const role = session?.role;
  const signOut = useAppSignOut();
  const theme = useTheme();
  if (!role) return null; // unreachable below the AuthGate
  return (
    <AppFrame
      role={role}
      // Optional: a server from before named keys (a rolling update) sends no `key`.
      keyName={session?.key?.name}
      roleDescription={ROLE_DESCRIPTIONS[role]}
      signingOut={signOut.signingOut}
      onSignOut={signOut.requestSignOut}
      theme={theme.preference}
      onThemeChange={theme.setPreference}
    >
      <AppRoutes />
      <SignOutWarning flow={signOut} />
    </AppFrame>
  );
}

/** Everything inside the providers (tests render this with their own providers). */
export function AppContent() {
  return (
    <AppErrorBoundary>
      <AuthGate>
        <SignedInApp />
      </AuthGate>
    </AppErrorBoundary>
  );
}

export function App() {
  return (
    <AppProviders>
      <AppContent />
    </AppProviders>
  );
}
