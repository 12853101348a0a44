import { canDelete, canWrite, type Role } from '@contract/constants';

export type Permission = 'read' | 'write' | 'delete';

/**
 * What a role may do, from the contract's rules (viewer ⊂ editor ⊂ admin). The server
 * enforces them too (403): the UI only hides or disables what would fail.
 */
export function can(role: Role | null | undefined, permission: Permission): boolean {
  if (!role) return false;
  switch (permission) {
    case 'read':
      return true;
    case 'write':
      return canWrite(role);
    case 'delete':
      return canDelete(role);
  }
}

/** A short description of a role, for tooltips and the header. */
export const ROLE_DESCRIPTIONS: Record<Role, string> = {
  viewer: 'Can browse and read contexts',
  editor: 'Can browse and edit contexts',
  admin: 'Can browse, edit and delete contexts',
};
