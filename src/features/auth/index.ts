/** The auth feature's public API (other features import from '@/features/auth'). */
export {
  clearNonSessionQueries,
  fetchSession,
  isSessionKey,
  markSignedOut,
  sessionKeys,
  sessionQueryOptions,
  useCurrentSession,
  useSession,
} from './api/get-session';
export { signIn, useSignIn } from './api/sign-in';
export { resetClientAfterSignOut, signOut, useSignOut, type UseSignOutOptions } from './api/sign-out';
export { AuthGate } from './components/auth-gate';
export { SignInPage } from './components/sign-in-page';
export { useCan, useRole } from './hooks/use-role';
export { useSignOutFlow, type SignOutFlow, type SignOutFlowOptions } from './hooks/use-sign-out-flow';
export { SignOutWarning } from './components/sign-out-warning-slot';
export { can, ROLE_DESCRIPTIONS, type Permission } from './roles';
