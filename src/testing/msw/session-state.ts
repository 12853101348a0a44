import type { Role } from '@contract/constants';
import type { SessionInfo } from '@contract/types';

/** Keys the default handlers accept at POST /api/session (fake, test-only). */
export const TEST_KEYS: Record<Role, string> = {
  admin: 'test-admin-key',
  editor: 'test-editor-key',
  viewer: 'test-viewer-key',
};

/**
 * The fake server's session: who the cookie belongs to (null: no cookie). Reset before
 * each test (setup.ts); renderWithProviders({ role }) sets it.
 */
export const testSession: { role: Role | null } = { role: null };

/** Unlimited budgets: tests must not wait for the rate budget. */
export const TEST_RATE_LIMITS: SessionInfo['rate_limits'] = { read: null, write: null, delete: null };

/** Retention the fake server reports (the server's defaults). */
export const TEST_RETENTION: SessionInfo['retention'] = { deleted_days: 7, history_days: 30 };

export const sessionInfo = (role: Role): SessionInfo => ({
  role,
  key: { id: `key_${role}`, name: `test ${role}` },
  retention: TEST_RETENTION,
  rate_limits: TEST_RATE_LIMITS,
});
