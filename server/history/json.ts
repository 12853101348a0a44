/**
 * JSON text of the accountability answers. A version's context is spliced in as its exact
 * stored text, as server/http/context-json.ts does for contexts (issue 8); every other
 * field is a string, number, boolean or null.
 */
import { contextPreview } from '../../contract/summary';
import type {
  ApiKeyInfo,
  AuditEvent,
  ContextVersion,
  DeletedContext,
  VersionEntry,
} from '../../contract/accountability-types';
import type {
  Actor,
  AuditRecord,
  DeletedRecord,
  KeyRecord,
  VersionRecord,
  VersionWithText,
} from '../store/accountability-types';

const iso = (ms: number): string => new Date(ms).toISOString();

const actorOf = (actor: Actor): Actor => ({ key_id: actor.key_id, name: actor.name, role: actor.role });

/** A key as listed: never its hash. */
export const keyInfo = (key: KeyRecord): ApiKeyInfo => ({
  id: key.id,
  name: key.name,
  role: key.role,
  origin: key.origin,
  created_at: iso(key.createdAt),
  last_used_at: key.lastUsedAt === null ? null : iso(key.lastUsedAt),
  created_by: key.createdBy,
});

export const versionEntry = (row: VersionRecord): VersionEntry => ({
  version: row.version,
  action: row.action,
  at: iso(row.at),
  actor: actorOf(row.actor),
  context_size: row.context_size,
});

// fidelity-ok: stringifies only the metadata object built above (strings, numbers, null);
// the context's stored text is spliced in unchanged.
const plain = (value: unknown): string => JSON.stringify(value); // fidelity-ok: version metadata only

/** One version whole, its context exactly as stored. */
export function versionJson(row: VersionWithText): string {
  const head: Omit<ContextVersion, 'context'> = {
    ...versionEntry(row),
    context_id: row.context_id,
    session_id: row.session_id,
  };
  const text = plain(head);
  return `${text.slice(0, -1)},"context":${row.context_json ?? 'null'}}`;
}

export const deletedEntry = (row: DeletedRecord, retentionMs: number): DeletedContext => ({
  id: row.id,
  agent_id: row.agent_id,
  workflow_id: row.workflow_id,
  session_id: row.session_id,
  status: row.status,
  created_at: iso(row.created_at),
  updated_at: iso(row.updated_at),
  deleted_at: iso(row.deleted_at),
  deleted_by: actorOf(row.deleted_by),
  delete_job: row.delete_job,
  restorable_until: iso(row.deleted_at + retentionMs),
  context_size: row.context_size,
  context_preview: contextPreview(row.context_preview),
});

export const auditEntry = (row: AuditRecord): AuditEvent => ({
  id: String(row.seq),
  at: iso(row.at),
  action: row.action,
  actor: row.actor === null ? null : actorOf(row.actor),
  context_id: row.context_id,
  version: row.version,
  client_ip: row.client_ip,
  details: { ...row.details },
});
