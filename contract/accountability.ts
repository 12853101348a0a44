/**
 * Constants of the console's accountability extensions (issue 11): named API keys, version
 * history, recently deleted contexts and the activity log. No imports, so the dashboard's
 * first load can use them at no cost; the zod schemas are in `accountability-schemas.ts`.
 */

/** Where an API key comes from: the environment, the generated key file, or `POST /api/keys`. */
export const KEY_ORIGINS = ['env', 'file', 'api'] as const;
export type KeyOrigin = (typeof KEY_ORIGINS)[number];

/** What a version of a context records. */
export const VERSION_ACTIONS = ['create', 'update', 'delete', 'restore'] as const;
export type VersionAction = (typeof VERSION_ACTIONS)[number];

/**
 * Actions of the activity log. `context.restored` makes an older version current again;
 * `context.undeleted` brings back a recently deleted context; `context.erased` removes a
 * deleted context and its versions for good (by an admin, or by pruning after the
 * retention period).
 */
export const AUDIT_ACTIONS = [
  'context.created',
  'context.updated',
  'context.deleted',
  'context.restored',
  'context.undeleted',
  'context.erased',
  'session.signed_in',
  'session.sign_in_failed',
  'key.created',
  'key.revoked',
] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];

/** Defaults of HISTORY_RETENTION_DAYS, HISTORY_MAX_VERSIONS and DELETED_RETENTION_DAYS. */
export const HISTORY_RETENTION_DAYS_DEFAULT = 30;
export const HISTORY_MAX_VERSIONS_DEFAULT = 200;
export const DELETED_RETENTION_DAYS_DEFAULT = 7;

/** Longest name of a named API key. */
export const KEY_NAME_MAX = 100;

/**
 * Request header naming the delete job a DELETE belongs to (the dashboard's bulk delete
 * sends one id per job), so that "Recently deleted" can restore a whole job at once.
 */
export const DELETE_JOB_HEADER = 'x-delete-job';
