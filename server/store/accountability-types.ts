/**
 * The accountability part of the store seam (issue 11): named API keys, version history,
 * recently deleted contexts and the audit log. Every engine implements it; the behaviour
 * is specified once, in the shared store suite.
 *
 * Transactions: every write that changes a context, a key or a session records its audit
 * event — and, for contexts, its version — inside the same transaction as the change, so
 * there is never a change without its event and a failed write leaves no event.
 */
import type { AuditAction, KeyOrigin, VersionAction } from '../../contract/accountability';
import type { ContextStatus, Role } from '../../contract/constants';
import type { EncodedVersion } from '../history/codec';
import type { StoredContext } from './types';

/** Who does something: the key, its name, its role (copied into versions and events). */
export interface Actor {
  key_id: string;
  name: string;
  role: Role;
}

/** What the server keeps of a key (never the key itself). */
export interface KeyRecord {
  id: string;
  name: string;
  role: Role;
  origin: KeyOrigin;
  keyHash: string;
  /** ms since the epoch. */
  createdAt: number;
  lastUsedAt: number | null;
  createdBy: string | null;
  /** Set when revoked (or, for an environment/key-file key, replaced); never listed then. */
  revokedAt: number | null;
}

/** An audit event as a write hands it to the store (the store adds id and time). */
export interface NewAuditEvent {
  action: AuditAction;
  actor: Actor | null;
  context_id?: string | null;
  version?: number | null;
  client_ip?: string | null;
  /** Small facts: names, roles, job ids, counts. Never a key, a cookie or content. */
  details?: Record<string, string | number | boolean | null>;
}

export interface AuditRecord extends Required<NewAuditEvent> {
  /** Increasing; also the cursor. */
  seq: number;
  /** ms since the epoch. */
  at: number;
}

/** What a context write records, besides the change itself. */
export interface WriteMeta {
  actor: Actor;
  client_ip: string | null;
  /** Record a version of the result (HISTORY_RETENTION_DAYS > 0). */
  recordVersion: boolean;
  /** Deletes keep the context restorable (DELETED_RETENTION_DAYS > 0); else they are final. */
  keepDeleted: boolean;
  /** The delete job a delete belongs to (the dashboard's bulk delete). */
  deleteJob?: string | null;
}

/**
 * A version row as stored: its encoded content (server/history/codec.ts) and metadata.
 * `chain` is the number of deltas since the last full version.
 */
export interface VersionRecord {
  context_id: string;
  version: number;
  action: VersionAction;
  /** ms since the epoch. */
  at: number;
  actor: Actor;
  session_id: string | null;
  context_size: number;
}

/** One version with its text decoded. */
export interface VersionWithText extends VersionRecord {
  context_json: string | null;
}

export interface DeletedRecord {
  id: string;
  agent_id: string | null;
  workflow_id: string | null;
  session_id: string | null;
  status: ContextStatus;
  created_at: number;
  updated_at: number;
  deleted_at: number;
  deleted_by: Actor;
  delete_job: string | null;
  /** The version the context had when deleted (its delete version when history is on). */
  version: number;
  context_size: number;
  context_preview: string | null;
}

export interface Page<Item> {
  data: Item[];
  next_cursor: string | null;
}

export interface DeletedFilter {
  per_page: number;
  after?: string | undefined;
  agent_id?: string | undefined;
  workflow_id?: string | undefined;
  /** ms since the epoch. */
  deleted_since?: number | undefined;
  deleted_by?: string | undefined;
  delete_job?: string | undefined;
}

export interface AuditFilter {
  per_page: number;
  after?: string | undefined;
  actor?: string | undefined;
  action?: readonly AuditAction[] | undefined;
  context_id?: string | undefined;
  /** ms since the epoch, inclusive / exclusive. */
  since?: number | undefined;
  until?: number | undefined;
}

export type RevokeResult =
  | { kind: 'revoked'; key: KeyRecord }
  | { kind: 'not_found' }
  /** It is the last active admin key. */
  | { kind: 'last_admin' };

export type UndeleteResult =
  | { kind: 'restored'; stored: StoredContext }
  | { kind: 'not_found' }
  /** A live context has this id again. */
  | { kind: 'exists' };

export type RestoreVersionResult =
  | { kind: 'restored'; stored: StoredContext }
  | { kind: 'not_found' }
  | { kind: 'version_not_found' }
  | { kind: 'precondition_failed'; current: StoredContext };

/** Limits of the background pruning. */
export interface PruneLimits {
  /** Versions older than this (ms since the epoch) are pruned; null keeps them by age. */
  versionsBefore: number | null;
  /** Versions per context beyond this many newest are pruned. */
  maxVersions: number;
  /** Deleted contexts deleted before this are erased. */
  deletedBefore: number;
}

export interface PruneReport {
  versions: number;
  erased: string[];
}

/** Re-exported for engines: how a version's text is encoded. */
export type { EncodedVersion };

export interface AccountabilityStore {
  // ---- keys ----
  /**
   * Makes the key of an environment or key-file role key known: a new hash gets a new key
   * record and replaces (revokes) that role's previous env/file key, which ends its
   * sessions. A hash that was revoked stays revoked: returns its record with revokedAt set.
   */
  syncRoleKey(role: Role, keyHash: string, origin: Exclude<KeyOrigin, 'api'>, now: Date): Promise<KeyRecord>;
  /** Every key that is not revoked, oldest first. */
  activeKeys(): Promise<KeyRecord[]>;
  /** Stores a new named key and its `key.created` event, in one transaction. */
  createKey(key: KeyRecord, event: NewAuditEvent): Promise<KeyRecord>;
  /** Revokes a key, ends its sessions and records `key.revoked`, in one transaction. */
  revokeKey(id: string, event: Omit<NewAuditEvent, 'action'>, now: Date): Promise<RevokeResult>;
  /** Records that a key was used (callers throttle this). */
  touchKey(id: string, at: Date): Promise<void>;

  // ---- audit ----
  /** Records an event that has no other write (sign-ins). */
  recordEvent(event: NewAuditEvent): Promise<void>;
  /** Newest first. */
  listEvents(filter: AuditFilter): Promise<Page<AuditRecord>>;

  // ---- versions ----
  /** Newest first. Null when the context has neither a live nor a deleted record. */
  listVersions(contextId: string, perPage: number, after?: string): Promise<Page<VersionRecord> | null>;
  getVersion(contextId: string, version: number): Promise<VersionWithText | null>;
  /**
   * Makes `version`'s context and session_id current as a new version (action `restore`),
   * with the If-Match check (`ifMatchVersion`) and the write in one atomic step.
   */
  restoreVersion(contextId: string, version: number, meta: WriteMeta, ifMatchVersion?: number): Promise<RestoreVersionResult>;

  // ---- recently deleted ----
  listDeleted(filter: DeletedFilter): Promise<Page<DeletedRecord>>;
  /** Brings a deleted context back with its id and content (action `restore`). */
  undelete(id: string, meta: WriteMeta): Promise<UndeleteResult>;
  /** Erases a deleted context and all its versions; the event keeps that it happened. */
  erase(id: string, actor: Actor | null, clientIp: string | null): Promise<boolean>;

  /** Background pruning (never on a request): old versions and expired deleted contexts. */
  prune(limits: PruneLimits, now: Date): Promise<PruneReport>;
}
