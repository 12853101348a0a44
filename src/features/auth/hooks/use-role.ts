import type { Role } from '@contract/constants';
import { useCurrentSession } from '../api/get-session';
import { can, type Permission } from '../roles';

/** The signed-in role (null when signed out; below the AuthGate it is always set). */
export function useRole(): Role | null {
  return useCurrentSession()?.role ?? null;
}

/** `useCan('delete')`: whether the signed-in role may do this. */
export function useCan(permission: Permission): boolean {
  return can(useRole(), permission);
}
