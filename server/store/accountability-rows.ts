/**
 * Rows of the accountability tables (keys, context_versions, deleted_contexts,
 * audit_events) as both engines read them, and their mapping to the store's records
 * (accountability-types.ts). One definition for SQLite and PostgreSQL: the tables have the
 * same columns on both (server/store/{sqlite,postgres}/accountability.ts create them).
 */
import type { AuditAction, KeyOrigin, VersionAction } from '../../contract/accountability';
import type { ContextStatus, Role } from '../../contract/constants';
import { contextPreview } from '../../contract/summary';
import type { EncodedVersion, VersionEncoding } from '../history/codec';
import type { Actor, AuditRecord, DeletedRecord, KeyRecord, NewAuditEvent, VersionRecord } from './accountability-types';
import { utf8Length } from './rows';

/** The name a role key from the environment or the key file is listed under. */
export const ROLE_KEY_NAMES: Record<Exclude<KeyOrigin, 'api'>, string> = { env: 'environment', file: 'key file' };

export interface KeyRow {
  id: string;
  name: string;
  role: Role;
  origin: KeyOrigin;
  key_hash: string;
  created_at: number;
  last_used_at: number | null;
  created_by: string | null;
  revoked_at: number | null;
}

export interface VersionRow {
  context_id: string;
  version: number;
  action: VersionAction;
  at: number;
  actor_key_id: string;
  actor_name: string;
  actor_role: Role;
  session_id: string | null;
  context_size: number;
  encoding: VersionEncoding;
  chain: number;
  content: Buffer | null;
}

export interface DeletedRow {
  id: string;
  agent_id: string | null;
  workflow_id: string | null;
  session_id: string | null;
  status: ContextStatus;
  created_at: number;
  updated_at: number;
  version: number;
  deleted_at: number;
  deleted_by_id: string;
  deleted_by_name: string;
  deleted_by_role: Role;
  delete_job: string | null;
  context_size: number;
  context_json: string | null;
}

export interface AuditRow {
  seq: number;
  at: number;
  action: AuditAction;
  actor_key_id: string | null;
  actor_name: string | null;
  actor_role: Role | null;
  context_id: string | null;
  version: number | null;
  client_ip: string | null;
  details: string;
}

export const toKey = (row: KeyRow): KeyRecord => ({
  id: row.id,
  name: row.name,
  role: row.role,
  origin: row.origin,
  keyHash: row.key_hash,
  createdAt: row.created_at,
  lastUsedAt: row.last_used_at,
  createdBy: row.created_by,
  revokedAt: row.revoked_at,
});

export const toVersion = (row: VersionRow): VersionRecord => ({
  context_id: row.context_id,
  version: row.version,
  action: row.action,
  at: row.at,
  actor: { key_id: row.actor_key_id, name: row.actor_name, role: row.actor_role },
  session_id: row.session_id,
  context_size: row.context_size,
});

export const toDeleted = (row: DeletedRow): DeletedRecord => ({
  id: row.id,
  agent_id: row.agent_id,
  workflow_id: row.workflow_id,
  session_id: row.session_id,
  status: row.status,
  created_at: row.created_at,
  updated_at: row.updated_at,
  deleted_at: row.deleted_at,
  deleted_by: { key_id: row.deleted_by_id, name: row.deleted_by_name, role: row.deleted_by_role },
  delete_job: row.delete_job,
  version: row.version,
  context_size: row.context_size,
  context_preview: contextPreview(row.context_json),
});

export function toAudit(row: AuditRow): AuditRecord {
  // fidelity-ok: details is our own small object of strings and numbers, never context data.
  const details = JSON.parse(row.details) as AuditRecord['details']; // fidelity-ok: audit details, never content
  return {
    // PostgreSQL returns a bigserial as a string.
    seq: Number(row.seq),
    at: row.at,
    action: row.action,
    actor:
      row.actor_key_id === null ? null : { key_id: row.actor_key_id, name: row.actor_name ?? '', role: row.actor_role ?? 'viewer' },
    context_id: row.context_id,
    version: row.version,
    client_ip: row.client_ip,
    details,
  };
}

/** A context row as a store hands it to `recordChange` (the version it now is). */
export interface ChangedRow {
  id: string;
  version: number;
  session_id: string | null;
  context_json: string | null;
  /** UTF-8 bytes of context_json when the caller has it already (a 1 MB text costs ~0.1 ms to measure). */
  context_size?: number;
}

/** context_versions' columns, in the order of `versionValues`. */
export const VERSION_COLUMNS =
  'context_id, version, action, at, actor_key_id, actor_name, actor_role, session_id, context_size, encoding, chain, content';

export type VersionValues = [string, number, VersionAction, number, string, string, Role, string | null, number, VersionEncoding, number, Buffer | null];

/** One version row's values, in VERSION_COLUMNS order (at: ms since the epoch). */
export const versionValues = (row: ChangedRow, action: VersionAction, at: number, actor: Actor, encoded: EncodedVersion): VersionValues => [
  row.id,
  row.version,
  action,
  at,
  actor.key_id,
  actor.name,
  actor.role,
  row.session_id,
  row.context_size ?? utf8Length(row.context_json),
  encoded.encoding,
  encoded.chain,
  encoded.content,
];

/** audit_events' columns, in the order of `eventValues`. */
export const EVENT_COLUMNS = 'at, action, actor_key_id, actor_name, actor_role, context_id, version, client_ip, details';

export type EventValues = [number, string, string | null, string | null, string | null, string | null, number | null, string | null, string];

/** One audit event's values, in EVENT_COLUMNS order (at: ms since the epoch). */
export const eventValues = (event: NewAuditEvent, at: number): EventValues => [
  at,
  event.action,
  event.actor?.key_id ?? null,
  event.actor?.name ?? null,
  event.actor?.role ?? null,
  event.context_id ?? null,
  event.version ?? null,
  event.client_ip ?? null,
  // fidelity-ok: our own small details object (strings, numbers, booleans).
  JSON.stringify(event.details ?? {}), // fidelity-ok: audit details, never content
];
