/**
 * The accountability tables of the SQLite store (issue 11): keys, versions, deleted
 * contexts and audit events. Statements are prepared once; the write helpers are called
 * inside the store's transactions, so a change, its version and its event commit together
 * (better-sqlite3 nests a transaction function inside another as a savepoint).
 */
import type Database from 'better-sqlite3';
import { ulid } from 'ulid';
import type { AuditAction, KeyOrigin, VersionAction } from '../../../contract/accountability';
import type { Role } from '../../../contract/constants';
import { decodeChain, encodeVersion, rebaseAsFull, type VersionEncoding } from '../../history/codec';
import type {
  Actor,
  AuditFilter,
  AuditRecord,
  DeletedFilter,
  DeletedRecord,
  KeyRecord,
  NewAuditEvent,
  Page,
  PruneLimits,
  PruneReport,
  RevokeResult,
  VersionRecord,
  VersionWithText,
  WriteMeta,
} from '../accountability-types';
import {
  EVENT_COLUMNS,
  ROLE_KEY_NAMES,
  VERSION_COLUMNS,
  eventValues,
  type EventValues,
  toAudit,
  versionValues,
  type ChangedRow,
  type VersionValues,
  toDeleted,
  toKey,
  toVersion,
  type AuditRow,
  type DeletedRow,
  type KeyRow,
  type VersionRow,
} from '../accountability-rows';
import { utf8Length } from '../rows';
import {
  decodeAuditCursor,
  decodeDeletedCursor,
  decodeVersionCursor,
  encodeAuditCursor,
  encodeDeletedCursor,
  encodeVersionCursor,
} from '../history-cursors';

/** Appended to the SQLite migrations (migration 2). */
export const ACCOUNTABILITY_MIGRATION = `
  CREATE TABLE keys (
    id           TEXT PRIMARY KEY,
    name         TEXT NOT NULL,
    role         TEXT NOT NULL CHECK (role IN ('viewer','editor','admin')),
    origin       TEXT NOT NULL CHECK (origin IN ('env','file','api')),
    key_hash     TEXT NOT NULL UNIQUE,      -- SHA-256 of the key; the key itself is never stored
    created_at   INTEGER NOT NULL,
    last_used_at INTEGER,
    created_by   TEXT,
    revoked_at   INTEGER                    -- revoked (or replaced): never accepted again
  );
  ALTER TABLE sessions ADD COLUMN key_id TEXT;
  CREATE INDEX ix_sessions_key_hash ON sessions (key_hash);

  -- One row per version of a context; content encoded by server/history/codec.ts.
  CREATE TABLE context_versions (
    context_id   TEXT NOT NULL,
    version      INTEGER NOT NULL,
    action       TEXT NOT NULL CHECK (action IN ('create','update','delete','restore')),
    at           INTEGER NOT NULL,
    actor_key_id TEXT NOT NULL,
    actor_name   TEXT NOT NULL,
    actor_role   TEXT NOT NULL,
    session_id   TEXT,
    context_size INTEGER NOT NULL,
    encoding     TEXT NOT NULL CHECK (encoding IN ('null','full','delta')),
    chain        INTEGER NOT NULL,
    content      BLOB,
    PRIMARY KEY (context_id, version)
  );
  CREATE INDEX ix_versions_at ON context_versions (at);

  CREATE TABLE deleted_contexts (
    id              TEXT PRIMARY KEY,
    agent_id        TEXT,
    workflow_id     TEXT,
    session_id      TEXT,
    status          TEXT NOT NULL,
    created_at      INTEGER NOT NULL,
    updated_at      INTEGER NOT NULL,
    version         INTEGER NOT NULL,
    deleted_at      INTEGER NOT NULL,
    deleted_by_id   TEXT NOT NULL,
    deleted_by_name TEXT NOT NULL,
    deleted_by_role TEXT NOT NULL,
    delete_job      TEXT,
    context_size    INTEGER NOT NULL,
    context_json    TEXT
  );
  CREATE INDEX ix_deleted_at  ON deleted_contexts (deleted_at, id);
  CREATE INDEX ix_deleted_job ON deleted_contexts (delete_job, deleted_at, id);

  CREATE TABLE audit_events (
    seq          INTEGER PRIMARY KEY AUTOINCREMENT,
    at           INTEGER NOT NULL,
    action       TEXT NOT NULL,
    actor_key_id TEXT,
    actor_name   TEXT,
    actor_role   TEXT,
    context_id   TEXT,
    version      INTEGER,
    client_ip    TEXT,
    details      TEXT NOT NULL DEFAULT '{}'  -- small facts; never a key, a cookie or content
  );
  CREATE INDEX ix_audit_actor   ON audit_events (actor_key_id, seq);
  CREATE INDEX ix_audit_context ON audit_events (context_id, seq);
  CREATE INDEX ix_audit_action  ON audit_events (action, seq);
`;

export class SqliteAccountability {
  private readonly s;

  constructor(private readonly db: Database.Database) {
    this.s = {
      keyByHash: db.prepare<[string], KeyRow>('SELECT * FROM keys WHERE key_hash = ?'),
      keyById: db.prepare<[string], KeyRow>('SELECT * FROM keys WHERE id = ? AND revoked_at IS NULL'),
      activeKeys: db.prepare<[], KeyRow>('SELECT * FROM keys WHERE revoked_at IS NULL ORDER BY created_at, id'),
      activeRoleKeys: db.prepare<[Role], KeyRow>(
        "SELECT * FROM keys WHERE role = ? AND origin IN ('env','file') AND revoked_at IS NULL",
      ),
      activeAdmins: db.prepare<[], number>("SELECT count(*) FROM keys WHERE role = 'admin' AND revoked_at IS NULL").pluck(),
      insertKey: db.prepare<[string, string, Role, KeyOrigin, string, number, string | null]>(
        'INSERT INTO keys (id, name, role, origin, key_hash, created_at, created_by) VALUES (?, ?, ?, ?, ?, ?, ?)',
      ),
      renameKey: db.prepare<[string, KeyOrigin, string]>('UPDATE keys SET name = ?, origin = ? WHERE id = ?'),
      revokeKey: db.prepare<[number, string]>('UPDATE keys SET revoked_at = ? WHERE id = ?'),
      endSessions: db.prepare<[string]>('DELETE FROM sessions WHERE key_hash = ?'),
      touchKey: db.prepare<[number, string]>('UPDATE keys SET last_used_at = max(coalesce(last_used_at, 0), ?) WHERE id = ?'),

      insertEvent: db.prepare<EventValues>(`INSERT INTO audit_events (${EVENT_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`),

      latestVersion: db.prepare<[string], { version: number; chain: number }>(
        'SELECT version, chain FROM context_versions WHERE context_id = ? ORDER BY version DESC LIMIT 1',
      ),
      insertVersion: db.prepare<VersionValues>(
        `INSERT INTO context_versions (${VERSION_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      ),
      versionsPage: db.prepare<[string, number, number], VersionRow>(
        `SELECT context_id, version, action, at, actor_key_id, actor_name, actor_role, session_id, context_size,
                encoding, chain, NULL AS content
           FROM context_versions WHERE context_id = ? AND version < ? ORDER BY version DESC LIMIT ?`,
      ),
      chain: db.prepare<[string, number, string, number], VersionRow>(
        `SELECT * FROM context_versions
          WHERE context_id = ? AND version <= ?
            AND version >= (SELECT max(version) FROM context_versions
                             WHERE context_id = ? AND version <= ? AND encoding <> 'delta')
          ORDER BY version`,
      ),
      eraseVersions: db.prepare<[string]>('DELETE FROM context_versions WHERE context_id = ?'),
      hasLive: db.prepare<[string], number>('SELECT count(*) FROM execution_contexts WHERE id = ?').pluck(),
      hasDeleted: db.prepare<[string], number>('SELECT count(*) FROM deleted_contexts WHERE id = ?').pluck(),
      hasVersions: db.prepare<[string], number>('SELECT count(*) FROM context_versions WHERE context_id = ?').pluck(),

      insertDeleted: db.prepare<
        [string, string | null, string | null, string | null, string, number, number, number, number, string, string, Role, string | null, number, string | null]
      >(
        `INSERT INTO deleted_contexts (id, agent_id, workflow_id, session_id, status, created_at, updated_at, version,
                                       deleted_at, deleted_by_id, deleted_by_name, deleted_by_role, delete_job,
                                       context_size, context_json)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      ),
      deletedById: db.prepare<[string], DeletedRow>('SELECT * FROM deleted_contexts WHERE id = ?'),
      removeDeleted: db.prepare<[string]>('DELETE FROM deleted_contexts WHERE id = ?'),
      expiredDeleted: db.prepare<[number], { id: string }>('SELECT id FROM deleted_contexts WHERE deleted_at < ? LIMIT 500'),

      pruneCandidates: db.prepare<[number, number], { context_id: string }>(
        `SELECT context_id FROM context_versions GROUP BY context_id
          HAVING min(at) < ? OR count(*) > ? LIMIT 500`,
      ),
      keptFloor: db.prepare<[string, number, number], { version: number }>(
        // The oldest version kept: within the newest maxVersions and not older than the cutoff.
        `SELECT min(version) AS version FROM (
           SELECT version, at FROM context_versions WHERE context_id = ? ORDER BY version DESC LIMIT ?
         ) WHERE at >= ?`,
      ),
      dropOlder: db.prepare<[string, number]>('DELETE FROM context_versions WHERE context_id = ? AND version < ?'),
      rewriteVersion: db.prepare<[VersionEncoding, number, Buffer | null, string, number]>(
        'UPDATE context_versions SET encoding = ?, chain = ?, content = ? WHERE context_id = ? AND version = ?',
      ),
    };
  }

  // ---- events and versions (called inside the store's transactions) ----

  /** Writes one audit event (inside the caller's transaction). */
  insertEvent(event: NewAuditEvent, at: number = Date.now()): void {
    this.s.insertEvent.run(...eventValues(event, at));
  }

  /**
   * Records a context write: its version (when history is on), delta-encoded against the
   * previous version when that one is the version just replaced, and its audit event.
   */
  recordChange(
    row: ChangedRow,
    action: VersionAction,
    event: AuditAction,
    meta: WriteMeta,
    previous: { version: number; context_json: string | null } | null,
    details: NewAuditEvent['details'] = {},
    at: number = Date.now(),
  ): void {
    if (meta.recordVersion) {
      // A create has nothing to build on: no need to look.
      const latest = previous === null ? undefined : this.s.latestVersion.get(row.id);
      const base =
        previous !== null && latest !== undefined && latest.version === previous.version
          ? { text: previous.context_json, chain: latest.chain }
          : undefined;
      const encoded = encodeVersion(row.context_json, base);
      this.s.insertVersion.run(...versionValues(row, action, at, meta.actor, encoded));
    }
    this.insertEvent(
      { action: event, actor: meta.actor, context_id: row.id, version: row.version, client_ip: meta.client_ip, details },
      at,
    );
  }

  /** Keeps a deleted context restorable (inside the delete's transaction). */
  keepDeleted(
    row: Omit<DeletedRow, 'deleted_at' | 'deleted_by_id' | 'deleted_by_name' | 'deleted_by_role' | 'delete_job' | 'context_size'>,
    meta: WriteMeta,
    at: number,
  ): void {
    this.s.insertDeleted.run(
      row.id,
      row.agent_id,
      row.workflow_id,
      row.session_id,
      row.status,
      row.created_at,
      row.updated_at,
      row.version,
      at,
      meta.actor.key_id,
      meta.actor.name,
      meta.actor.role,
      meta.deleteJob ?? null,
      utf8Length(row.context_json),
      row.context_json,
    );
  }

  eraseVersionsOf(id: string): void {
    this.s.eraseVersions.run(id);
  }

  deletedRow(id: string): DeletedRow | undefined {
    return this.s.deletedById.get(id);
  }

  removeDeleted(id: string): void {
    this.s.removeDeleted.run(id);
  }

  /** The text and session of one version, or null when it is not kept. */
  versionWithText(contextId: string, version: number): VersionWithText | null {
    const rows = this.s.chain.all(contextId, version, contextId, version);
    const last = rows[rows.length - 1];
    if (last === undefined || last.version !== version) return null;
    return { ...toVersion(last), context_json: decodeChain(rows) };
  }

  // ---- keys ----

  syncRoleKey(role: Role, keyHash: string, origin: Exclude<KeyOrigin, 'api'>, now: number): KeyRecord {
    const name = `${role} (${ROLE_KEY_NAMES[origin]})`;
    return this.db.transaction((): KeyRecord => {
      const existing = this.s.keyByHash.get(keyHash);
      if (existing !== undefined) {
        if (existing.revoked_at === null && (existing.origin !== origin || existing.name !== name) && existing.origin !== 'api') {
          this.s.renameKey.run(name, origin, existing.id);
          return toKey({ ...existing, name, origin });
        }
        return toKey(existing);
      }
      // A new environment/key-file key replaces that role's previous one (and its sessions).
      for (const old of this.s.activeRoleKeys.all(role)) {
        this.s.revokeKey.run(now, old.id);
        this.s.endSessions.run(old.key_hash);
      }
      const id = `key_${ulid(now)}`;
      this.s.insertKey.run(id, name, role, origin, keyHash, now, null);
      return toKey({
        id,
        name,
        role,
        origin,
        key_hash: keyHash,
        created_at: now,
        last_used_at: null,
        created_by: null,
        revoked_at: null,
      });
    }).immediate();
  }

  activeKeys(): KeyRecord[] {
    return this.s.activeKeys.all().map(toKey);
  }

  createKey(key: KeyRecord, event: NewAuditEvent): KeyRecord {
    this.db.transaction(() => {
      this.s.insertKey.run(key.id, key.name, key.role, key.origin, key.keyHash, key.createdAt, key.createdBy);
      this.insertEvent(event, key.createdAt);
    }).immediate();
    return key;
  }

  revokeKey(id: string, event: Omit<NewAuditEvent, 'action'>, now: number): RevokeResult {
    return this.db.transaction((): RevokeResult => {
      const key = this.s.keyById.get(id);
      if (key === undefined) return { kind: 'not_found' };
      if (key.role === 'admin' && (this.s.activeAdmins.get() ?? 0) <= 1) return { kind: 'last_admin' };
      this.s.revokeKey.run(now, id);
      this.s.endSessions.run(key.key_hash);
      this.insertEvent({ ...event, action: 'key.revoked', details: { key_id: id, name: key.name, role: key.role } }, now);
      return { kind: 'revoked', key: toKey({ ...key, revoked_at: now }) };
    }).immediate();
  }

  touchKey(id: string, at: number): void {
    this.s.touchKey.run(at, id);
  }

  // ---- reads ----

  listEvents(filter: AuditFilter): Page<AuditRecord> {
    const where: string[] = [];
    const params: Array<string | number> = [];
    if (filter.after !== undefined) {
      where.push('seq < ?');
      params.push(decodeAuditCursor(filter.after));
    }
    if (filter.actor !== undefined) {
      where.push('actor_key_id = ?');
      params.push(filter.actor);
    }
    if (filter.action !== undefined && filter.action.length > 0) {
      where.push(`action IN (${filter.action.map(() => '?').join(', ')})`);
      params.push(...filter.action);
    }
    if (filter.context_id !== undefined) {
      where.push('context_id = ?');
      params.push(filter.context_id);
    }
    if (filter.since !== undefined) {
      where.push('at >= ?');
      params.push(filter.since);
    }
    if (filter.until !== undefined) {
      where.push('at < ?');
      params.push(filter.until);
    }
    params.push(filter.per_page + 1);
    const rows = this.db
      .prepare<Array<string | number>, AuditRow>(
        `SELECT * FROM audit_events${where.length > 0 ? ` WHERE ${where.join(' AND ')}` : ''} ORDER BY seq DESC LIMIT ?`,
      )
      .all(...params);
    const more = rows.length > filter.per_page;
    if (more) rows.length = filter.per_page;
    const last = rows[rows.length - 1];
    return { data: rows.map(toAudit), next_cursor: more && last ? encodeAuditCursor(last.seq) : null };
  }

  listVersions(contextId: string, perPage: number, after?: string): Page<VersionRecord> | null {
    const before = after === undefined ? Number.MAX_SAFE_INTEGER : decodeVersionCursor(after);
    if (!this.s.hasLive.get(contextId) && !this.s.hasDeleted.get(contextId) && !this.s.hasVersions.get(contextId)) return null;
    const rows = this.s.versionsPage.all(contextId, before, perPage + 1);
    const more = rows.length > perPage;
    if (more) rows.length = perPage;
    const last = rows[rows.length - 1];
    return { data: rows.map(toVersion), next_cursor: more && last ? encodeVersionCursor(last.version) : null };
  }

  listDeleted(filter: DeletedFilter): Page<DeletedRecord> {
    const where: string[] = [];
    const params: Array<string | number> = [];
    if (filter.after !== undefined) {
      const cursor = decodeDeletedCursor(filter.after);
      where.push('(deleted_at, id) < (?, ?)');
      params.push(cursor.deletedAt, cursor.id);
    }
    const equal: Array<[string, string | undefined]> = [
      ['agent_id', filter.agent_id],
      ['workflow_id', filter.workflow_id],
      ['deleted_by_id', filter.deleted_by],
      ['delete_job', filter.delete_job],
    ];
    for (const [column, value] of equal) {
      if (value === undefined) continue;
      where.push(`${column} = ?`);
      params.push(value);
    }
    if (filter.deleted_since !== undefined) {
      where.push('deleted_at >= ?');
      params.push(filter.deleted_since);
    }
    params.push(filter.per_page + 1);
    const rows = this.db
      .prepare<Array<string | number>, DeletedRow>(
        `SELECT id, agent_id, workflow_id, session_id, status, created_at, updated_at, version, deleted_at,
                deleted_by_id, deleted_by_name, deleted_by_role, delete_job, context_size,
                substr(context_json, 1, 300) AS context_json
           FROM deleted_contexts${where.length > 0 ? ` WHERE ${where.join(' AND ')}` : ''}
          ORDER BY deleted_at DESC, id DESC LIMIT ?`,
      )
      .all(...params);
    const more = rows.length > filter.per_page;
    if (more) rows.length = filter.per_page;
    const last = rows[rows.length - 1];
    return { data: rows.map(toDeleted), next_cursor: more && last ? encodeDeletedCursor(last.deleted_at, last.id) : null };
  }

  // ---- erasing and pruning ----

  /** Erases a deleted context and its versions, with its event (one transaction). */
  erase(id: string, actor: Actor | null, clientIp: string | null, reason: 'admin' | 'retention'): boolean {
    return this.db.transaction((): boolean => {
      const row = this.s.deletedById.get(id);
      if (row === undefined) return false;
      this.s.removeDeleted.run(id);
      this.s.eraseVersions.run(id);
      this.insertEvent({ action: 'context.erased', actor, context_id: id, client_ip: clientIp, details: { reason } });
      return true;
    }).immediate();
  }

  prune(limits: PruneLimits, now: number): PruneReport {
    const report: PruneReport = { versions: 0, erased: [] };
    const cutoff = limits.versionsBefore ?? -1;
    const pruneOne = this.db.transaction((contextId: string) => {
      const floor = this.s.keptFloor.get(contextId, limits.maxVersions, cutoff)?.version ?? null;
      if (floor === null) {
        report.versions += this.s.eraseVersions.run(contextId).changes;
        return;
      }
      const first = this.versionWithText(contextId, floor);
      const firstRow = this.s.chain.all(contextId, floor, contextId, floor).at(-1);
      if (first !== null && firstRow !== undefined && firstRow.encoding === 'delta') {
        const full = rebaseAsFull(first.context_json);
        this.s.rewriteVersion.run(full.encoding, 0, full.content, contextId, floor);
      }
      report.versions += this.s.dropOlder.run(contextId, floor).changes;
    });
    // In batches: each context is its own short transaction, so requests keep flowing.
    for (let round = 0; round < 1000; round += 1) {
      const candidates = this.s.pruneCandidates.all(cutoff, limits.maxVersions);
      if (candidates.length === 0) break;
      for (const { context_id } of candidates) pruneOne.immediate(context_id);
    }
    for (let round = 0; round < 1000; round += 1) {
      const expired = this.s.expiredDeleted.all(limits.deletedBefore);
      if (expired.length === 0) break;
      for (const { id } of expired) if (this.erase(id, null, null, 'retention')) report.erased.push(id);
    }
    void now;
    return report;
  }
}
