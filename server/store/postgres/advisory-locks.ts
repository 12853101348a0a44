/**
 * Every PostgreSQL advisory lock key this server takes, in one place: two uses of one key
 * would make unrelated work wait for each other (a server's start waited for a minutes-long
 * index build, and the build could deadlock with it, when the build borrowed the key-sync
 * key). Any constants unique to this app; advisory-locks.test.ts checks they differ.
 */
export const ADVISORY_LOCKS = {
  /** Session lock while migrating (migrations.ts `migrate`). */
  migration: 7_317_412_001,
  /** Transaction lock: instances starting together sync the role keys one at a time. */
  roleKeySync: 7_317_412_002,
  /** Transaction lock: revocations one at a time (never revoke the last admin key twice). */
  keyRevocation: 7_317_412_003,
  /**
   * Session lock, only ever tried (never waited for): held by the instance building the
   * trigram index, and by a bulk load into an empty table until its end.
   */
  searchIndexBuild: 7_317_412_004,
} as const;
