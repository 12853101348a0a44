import { describeError, toast } from '@/components/ui';
import { AppFrame } from '@/components/layout';
import { AuthGate, ROLE_DESCRIPTIONS, useRole, useSignOut } from '@/features/auth';
import { AppErrorBoundary } from './app-error-boundary';
import { AppProviders } from './providers';
import { AppRoutes } from './router';
import { useTheme } from './theme';

/** The signed-in app: frame wired to the session and theme, routes inside. */
function SignedInApp() {
  const role = useRole();
  const signOut = useSignOut();
  const theme = useTheme();
  if (!role) return null; // unreachable below the AuthGate
  return (
    <AppFrame
      role={role}
      roleDescription={ROLE_DESCRIPTIONS[role]}
      signingOut={signOut.isPending}
      onSignOut={() =>
        signOut.mutate(undefined, {
          onError: (error) => toast.error('Could not sign out', { description: describeError(error).message }),
        })
      }
      theme={theme.preference}
      onThemeChange={theme.setPreference}
    >
      <AppRoutes />
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
