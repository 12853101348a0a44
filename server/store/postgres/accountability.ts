/**
 * The accountability tables of the PostgreSQL store (issue 11): keys, versions, deleted
 * contexts and audit events — the same behaviour as the SQLite engine (one shared store
 * suite and the API tests run on both). Writes run in one transaction on one client: the
 * change, its version and its event commit together or not at all; rows are locked
 * (`FOR UPDATE`) so the If-Match check and the write stay atomic across instances.
 */
import { ADVISORY_LOCKS } from './advisory-locks';
import type pg from 'pg';
import { ulid } from 'ulid';
import type { AuditAction, KeyOrigin, VersionAction } from '../../../contract/accountability';
import type { ContextStatus, Role } from '../../../contract/constants';
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
  toAudit,
  versionValues,
  type ChangedRow,
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

/** Appended to the PostgreSQL migrations (migration 2). */
export const POSTGRES_ACCOUNTABILITY_MIGRATION = `
  CREATE TABLE keys (
    id           text COLLATE "C" PRIMARY KEY,
    name         text NOT NULL,
    role         text NOT NULL CHECK (role IN ('viewer','editor','admin')),
    origin       text NOT NULL CHECK (origin IN ('env','file','api')),
    key_hash     text NOT NULL UNIQUE,
    created_at   bigint NOT NULL,
    last_used_at bigint,
    created_by   text,
    revoked_at   bigint
  );
  ALTER TABLE sessions ADD COLUMN key_id text;
  CREATE INDEX ix_sessions_key_hash ON sessions (key_hash);

  CREATE TABLE context_versions (
    context_id   text COLLATE "C" NOT NULL,
    version      integer NOT NULL,
    action       text NOT NULL CHECK (action IN ('create','update','delete','restore')),
    at           bigint NOT NULL,
    actor_key_id text NOT NULL,
    actor_name   text NOT NULL,
    actor_role   text NOT NULL,
    session_id   text,
    context_size integer NOT NULL,
    encoding     text NOT NULL CHECK (encoding IN ('null','full','delta')),
    chain        integer NOT NULL,
    content      bytea,
    PRIMARY KEY (context_id, version)
  );
  CREATE INDEX ix_versions_at ON context_versions (at);

  CREATE TABLE deleted_contexts (
    id              text COLLATE "C" PRIMARY KEY,
    agent_id        text COLLATE "C",
    workflow_id     text COLLATE "C",
    session_id      text,
    status          text NOT NULL,
    created_at      bigint NOT NULL,
    updated_at      bigint NOT NULL,
    version         integer NOT NULL,
    deleted_at      bigint NOT NULL,
    deleted_by_id   text NOT NULL,
    deleted_by_name text NOT NULL,
    deleted_by_role text NOT NULL,
    delete_job      text,
    context_size    integer NOT NULL,
    context_json    text
  );
  CREATE INDEX ix_deleted_at  ON deleted_contexts (deleted_at, id);
  CREATE INDEX ix_deleted_job ON deleted_contexts (delete_job, deleted_at, id);

  CREATE TABLE audit_events (
    seq          bigserial PRIMARY KEY,
    at           bigint NOT NULL,
    action       text NOT NULL,
    actor_key_id text,
    actor_name   text,
    actor_role   text,
    context_id   text COLLATE "C",
    version      integer,
    client_ip    text,
    details      text NOT NULL DEFAULT '{}'
  );
  CREATE INDEX ix_audit_actor   ON audit_events (actor_key_id, seq);
  CREATE INDEX ix_audit_context ON audit_events (context_id, seq);
  CREATE INDEX ix_audit_action  ON audit_events (action, seq);
`;

/** A pool or a client inside a transaction. */
export type Queryable = Pick<pg.Pool, 'query'> | pg.PoolClient;

/** The newest recorded version of a context: what its next version may be a delta against. */
export interface HistoryHead {
  version: number;
  chain: number;
}

/**
 * A select-list item naming the newest version of the context whose id is `idParam` as
 * `history_head` (`[version, chain]`, or null when it has none). Read in the statement
 * that locks the context's row, it saves the write a round trip. Under a concurrent writer
 * it may describe the versions as they were before the lock was granted; its version then
 * differs from the locked row's and the next version is simply stored `full`.
 */
export const historyHeadColumn = (idParam: string): string =>
  `(SELECT ARRAY[v.version, v.chain] FROM context_versions v WHERE v.context_id = ${idParam} ORDER BY v.version DESC LIMIT 1) AS history_head`;

/** The `history_head` column's value (an int4[] parsed by node-postgres) as a HistoryHead. */
export function historyHeadOf(value: readonly number[] | null | undefined): HistoryHead | null {
  if (value === null || value === undefined) return null;
  const [version, chain] = value;
  return version === undefined || chain === undefined ? null : { version, chain };
}

/** The version a write replaces: its number and text, and the context's history head when already read. */
export interface PreviousVersion {
  version: number;
  context_json: string | null;
  /** undefined: not read yet (recordChange reads it); null: the context has no versions. */
  head?: HistoryHead | null;
}

/** A statement run as a CTE of recordChange's one statement: its SQL uses $1…$n for `values`. */
export interface WriteStatement {
  sql: string;
  values: unknown[];
}

/** Runs `work` in one transaction on one pooled client. */
export async function inTransaction<T>(pool: pg.Pool, work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    const result = await work(client);
    await client.query('COMMIT');
    return result;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => {});
    throw error;
  } finally {
    client.release();
  }
}

export class PostgresAccountability {
  constructor(private readonly pool: pg.Pool) {}

  // ---- inside transactions ----

  async insertEvent(q: Queryable, event: NewAuditEvent, at: number = Date.now()): Promise<void> {
    await q.query(`INSERT INTO audit_events (${EVENT_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`, eventValues(event, at));
  }

  /**
   * A context write's version (when history is on) and its event (see the SQLite engine),
   * in ONE statement: `WITH written AS (<write>), recorded AS (INSERT … version)
   * INSERT … event`. With `write` (the change itself, e.g. the UPDATE of the locked row)
   * the change, its version and its event take one round trip, history on or off; without
   * the history head in `previous` it is read first (one more round trip).
   */
  async recordChange(
    q: Queryable,
    row: ChangedRow,
    action: VersionAction,
    event: AuditAction,
    meta: WriteMeta,
    previous: PreviousVersion | null,
    details: NewAuditEvent['details'] = {},
    at: number = Date.now(),
    write?: WriteStatement,
  ): Promise<void> {
    const values: unknown[] = write === undefined ? [] : [...write.values];
    const params = (list: readonly unknown[]): string =>
      list
        .map((value) => {
          values.push(value);
          return `$${values.length}`;
        })
        .join(', ');
    const ctes: string[] = write === undefined ? [] : [`written AS (${write.sql})`];
    if (meta.recordVersion) {
      // A create has nothing to build on: no need to look.
      const head = previous === null ? null : previous.head !== undefined ? previous.head : await this.historyHead(q, row.id);
      const base =
        previous !== null && head !== null && head.version === previous.version
          ? { text: previous.context_json, chain: head.chain }
          : undefined;
      const encoded = encodeVersion(row.context_json, base);
      const version = versionValues(row, action, at, meta.actor, encoded);
      ctes.push(`recorded AS (INSERT INTO context_versions (${VERSION_COLUMNS}) VALUES (${params(version)}))`);
    }
    const recorded = eventValues(
      { action: event, actor: meta.actor, context_id: row.id, version: row.version, client_ip: meta.client_ip, details },
      at,
    );
    const sql = `INSERT INTO audit_events (${EVENT_COLUMNS}) VALUES (${params(recorded)})`;
    await q.query(ctes.length === 0 ? sql : `WITH ${ctes.join(', ')} ${sql}`, values);
  }

  /** The newest version of a context, or null when it has none. */
  async historyHead(q: Queryable, contextId: string): Promise<HistoryHead | null> {
    const { rows } = await q.query<{ history_head: number[] | null }>(`SELECT ${historyHeadColumn('$1')}`, [contextId]);
    return historyHeadOf(rows[0]?.history_head);
  }

  async keepDeleted(
    q: Queryable,
    row: { id: string; agent_id: string | null; workflow_id: string | null; session_id: string | null; status: ContextStatus; created_at: number; updated_at: number; version: number; context_json: string | null },
    meta: WriteMeta,
    at: number,
  ): Promise<void> {
    await q.query(
      `INSERT INTO deleted_contexts (id, agent_id, workflow_id, session_id, status, created_at, updated_at, version,
                                     deleted_at, deleted_by_id, deleted_by_name, deleted_by_role, delete_job,
                                     context_size, context_json)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)
       ON CONFLICT (id) DO UPDATE SET
         agent_id = excluded.agent_id, workflow_id = excluded.workflow_id, session_id = excluded.session_id,
         status = excluded.status, created_at = excluded.created_at, updated_at = excluded.updated_at,
         version = excluded.version, deleted_at = excluded.deleted_at, deleted_by_id = excluded.deleted_by_id,
         deleted_by_name = excluded.deleted_by_name, deleted_by_role = excluded.deleted_by_role,
         delete_job = excluded.delete_job, context_size = excluded.context_size, context_json = excluded.context_json`,
      [
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
      ],
    );
  }

  async eraseVersionsOf(q: Queryable, id: string): Promise<number> {
    return (await q.query('DELETE FROM context_versions WHERE context_id = $1', [id])).rowCount ?? 0;
  }

  async deletedRow(q: Queryable, id: string, lock = false): Promise<DeletedRow | undefined> {
    return (await q.query<DeletedRow>(`SELECT * FROM deleted_contexts WHERE id = $1${lock ? ' FOR UPDATE' : ''}`, [id])).rows[0];
  }

  async removeDeleted(q: Queryable, id: string): Promise<void> {
    await q.query('DELETE FROM deleted_contexts WHERE id = $1', [id]);
  }

  async versionWithText(q: Queryable, contextId: string, version: number): Promise<VersionWithText | null> {
    const { rows } = await q.query<VersionRow>(
      `SELECT * FROM context_versions
        WHERE context_id = $1 AND version <= $2
          AND version >= (SELECT max(version) FROM context_versions
                           WHERE context_id = $1 AND version <= $2 AND encoding <> 'delta')
        ORDER BY version`,
      [contextId, version],
    );
    const last = rows[rows.length - 1];
    if (last === undefined || last.version !== version) return null;
    return { ...toVersion(last), context_json: decodeChain(rows) };
  }

  // ---- keys ----

  syncRoleKey(role: Role, keyHash: string, origin: Exclude<KeyOrigin, 'api'>, now: number): Promise<KeyRecord> {
    const name = `${role} (${ROLE_KEY_NAMES[origin]})`;
    return inTransaction(this.pool, async (q) => {
      // Instances starting together sync the same keys: one at a time.
      await q.query('SELECT pg_advisory_xact_lock($1)', [ADVISORY_LOCKS.roleKeySync]);
      const existing = (await q.query<KeyRow>('SELECT * FROM keys WHERE key_hash = $1', [keyHash])).rows[0];
      if (existing !== undefined) {
        if (existing.revoked_at === null && existing.origin !== 'api' && (existing.origin !== origin || existing.name !== name)) {
          await q.query('UPDATE keys SET name = $1, origin = $2 WHERE id = $3', [name, origin, existing.id]);
          return toKey({ ...existing, name, origin });
        }
        return toKey(existing);
      }
      const old = await q.query<KeyRow>(
        "SELECT * FROM keys WHERE role = $1 AND origin IN ('env','file') AND revoked_at IS NULL",
        [role],
      );
      for (const row of old.rows) {
        await q.query('UPDATE keys SET revoked_at = $1 WHERE id = $2', [now, row.id]);
        await q.query('DELETE FROM sessions WHERE key_hash = $1', [row.key_hash]);
      }
      const id = `key_${ulid(now)}`;
      await q.query(
        'INSERT INTO keys (id, name, role, origin, key_hash, created_at) VALUES ($1, $2, $3, $4, $5, $6)',
        [id, name, role, origin, keyHash, now],
      );
      return toKey({ id, name, role, origin, key_hash: keyHash, created_at: now, last_used_at: null, created_by: null, revoked_at: null });
    });
  }

  async activeKeys(): Promise<KeyRecord[]> {
    const { rows } = await this.pool.query<KeyRow>('SELECT * FROM keys WHERE revoked_at IS NULL ORDER BY created_at, id');
    return rows.map(toKey);
  }

  async createKey(key: KeyRecord, event: NewAuditEvent): Promise<KeyRecord> {
    await inTransaction(this.pool, async (q) => {
      await q.query(
        'INSERT INTO keys (id, name, role, origin, key_hash, created_at, created_by) VALUES ($1, $2, $3, $4, $5, $6, $7)',
        [key.id, key.name, key.role, key.origin, key.keyHash, key.createdAt, key.createdBy],
      );
      await this.insertEvent(q, event, key.createdAt);
    });
    return key;
  }

  revokeKey(id: string, event: Omit<NewAuditEvent, 'action'>, now: number): Promise<RevokeResult> {
    return inTransaction(this.pool, async (q): Promise<RevokeResult> => {
      // Serialises revocations: two admins revoking the last two admin keys at once must
      // not both succeed.
      await q.query('SELECT pg_advisory_xact_lock($1)', [ADVISORY_LOCKS.keyRevocation]);
      const key = (await q.query<KeyRow>('SELECT * FROM keys WHERE id = $1 AND revoked_at IS NULL', [id])).rows[0];
      if (key === undefined) return { kind: 'not_found' };
      if (key.role === 'admin') {
        const admins = Number(
          (await q.query<{ n: string }>("SELECT count(*) AS n FROM keys WHERE role = 'admin' AND revoked_at IS NULL")).rows[0]?.n ?? 0,
        );
        if (admins <= 1) return { kind: 'last_admin' };
      }
      await q.query('UPDATE keys SET revoked_at = $1 WHERE id = $2', [now, id]);
      await q.query('DELETE FROM sessions WHERE key_hash = $1', [key.key_hash]);
      await this.insertEvent(q, { ...event, action: 'key.revoked', details: { key_id: id, name: key.name, role: key.role } }, now);
      return { kind: 'revoked', key: toKey({ ...key, revoked_at: now }) };
    });
  }

  async touchKey(id: string, at: number): Promise<void> {
    await this.pool.query('UPDATE keys SET last_used_at = GREATEST(coalesce(last_used_at, 0), $1) WHERE id = $2', [at, id]);
  }

  // ---- reads ----

  async listEvents(filter: AuditFilter): Promise<Page<AuditRecord>> {
    const where: string[] = [];
    const params: unknown[] = [];
    const p = (value: unknown) => {
      params.push(value);
      return `$${params.length}`;
    };
    if (filter.after !== undefined) where.push(`seq < ${p(decodeAuditCursor(filter.after))}`);
    if (filter.actor !== undefined) where.push(`actor_key_id = ${p(filter.actor)}`);
    if (filter.action !== undefined && filter.action.length > 0) where.push(`action = ANY(${p([...filter.action])}::text[])`);
    if (filter.context_id !== undefined) where.push(`context_id = ${p(filter.context_id)}`);
    if (filter.since !== undefined) where.push(`at >= ${p(filter.since)}`);
    if (filter.until !== undefined) where.push(`at < ${p(filter.until)}`);
    const { rows } = await this.pool.query<AuditRow>(
      `SELECT * FROM audit_events${where.length > 0 ? ` WHERE ${where.join(' AND ')}` : ''} ORDER BY seq DESC LIMIT ${p(filter.per_page + 1)}`,
      params,
    );
    const more = rows.length > filter.per_page;
    if (more) rows.length = filter.per_page;
    const last = rows[rows.length - 1];
    return { data: rows.map(toAudit), next_cursor: more && last ? encodeAuditCursor(Number(last.seq)) : null };
  }

  async listVersions(contextId: string, perPage: number, after?: string): Promise<Page<VersionRecord> | null> {
    const before = after === undefined ? 2_147_483_647 : decodeVersionCursor(after);
    const known = await this.pool.query<{ n: number }>(
      `SELECT (SELECT count(*) FROM execution_contexts WHERE id = $1)
            + (SELECT count(*) FROM deleted_contexts WHERE id = $1)
            + (SELECT count(*) FROM context_versions WHERE context_id = $1) AS n`,
      [contextId],
    );
    if (Number(known.rows[0]?.n ?? 0) === 0) return null;
    const { rows } = await this.pool.query<VersionRow>(
      `SELECT context_id, version, action, at, actor_key_id, actor_name, actor_role, session_id, context_size, encoding, chain,
              NULL::bytea AS content
         FROM context_versions WHERE context_id = $1 AND version < $2 ORDER BY version DESC LIMIT $3`,
      [contextId, Math.min(before, 2_147_483_647), perPage + 1],
    );
    const more = rows.length > perPage;
    if (more) rows.length = perPage;
    const last = rows[rows.length - 1];
    return { data: rows.map(toVersion), next_cursor: more && last ? encodeVersionCursor(last.version) : null };
  }

  async listDeleted(filter: DeletedFilter): Promise<Page<DeletedRecord>> {
    const where: string[] = [];
    const params: unknown[] = [];
    const p = (value: unknown) => {
      params.push(value);
      return `$${params.length}`;
    };
    if (filter.after !== undefined) {
      const cursor = decodeDeletedCursor(filter.after);
      where.push(`(deleted_at, id) < (${p(cursor.deletedAt)}, ${p(cursor.id)})`);
    }
    const equal: Array<[string, string | undefined]> = [
      ['agent_id', filter.agent_id],
      ['workflow_id', filter.workflow_id],
      ['deleted_by_id', filter.deleted_by],
      ['delete_job', filter.delete_job],
    ];
    for (const [column, value] of equal) if (value !== undefined) where.push(`${column} = ${p(value)}`);
    if (filter.deleted_since !== undefined) where.push(`deleted_at >= ${p(filter.deleted_since)}`);
    const { rows } = await this.pool.query<DeletedRow>(
      `SELECT id, agent_id, workflow_id, session_id, status, created_at, updated_at, version, deleted_at,
              deleted_by_id, deleted_by_name, deleted_by_role, delete_job, context_size,
              substr(context_json, 1, 300) AS context_json
         FROM deleted_contexts${where.length > 0 ? ` WHERE ${where.join(' AND ')}` : ''}
        ORDER BY deleted_at DESC, id DESC LIMIT ${p(filter.per_page + 1)}`,
      params,
    );
    const more = rows.length > filter.per_page;
    if (more) rows.length = filter.per_page;
    const last = rows[rows.length - 1];
    return { data: rows.map(toDeleted), next_cursor: more && last ? encodeDeletedCursor(last.deleted_at, last.id) : null };
  }

  // ---- erasing and pruning ----

  erase(id: string, actor: Actor | null, clientIp: string | null, reason: 'admin' | 'retention'): Promise<boolean> {
    return inTransaction(this.pool, async (q) => {
      const removed = await q.query('DELETE FROM deleted_contexts WHERE id = $1', [id]);
      if ((removed.rowCount ?? 0) === 0) return false;
      await this.eraseVersionsOf(q, id);
      await this.insertEvent(q, { action: 'context.erased', actor, context_id: id, client_ip: clientIp, details: { reason } });
      return true;
    });
  }

  async prune(limits: PruneLimits): Promise<PruneReport> {
    const report: PruneReport = { versions: 0, erased: [] };
    const cutoff = limits.versionsBefore ?? -1;
    for (let round = 0; round < 1000; round += 1) {
      const { rows: candidates } = await this.pool.query<{ context_id: string }>(
        `SELECT context_id FROM context_versions GROUP BY context_id HAVING min(at) < $1 OR count(*) > $2 LIMIT 500`,
        [cutoff, limits.maxVersions],
      );
      if (candidates.length === 0) break;
      for (const { context_id: contextId } of candidates) {
        report.versions += await inTransaction(this.pool, async (q) => {
          // Another instance may prune the same context: one at a time per context.
          await q.query('SELECT pg_advisory_xact_lock(hashtext($1))', [contextId]);
          const floor = (
            await q.query<{ version: number | null }>(
              `SELECT min(version) AS version FROM (
                 SELECT version, at FROM context_versions WHERE context_id = $1 ORDER BY version DESC LIMIT $2
               ) newest WHERE at >= $3`,
              [contextId, limits.maxVersions, cutoff],
            )
          ).rows[0]?.version;
          if (floor === null || floor === undefined) return this.eraseVersionsOf(q, contextId);
          const first = await this.versionWithText(q, contextId, floor);
          const encoding = (
            await q.query<{ encoding: VersionEncoding }>('SELECT encoding FROM context_versions WHERE context_id = $1 AND version = $2', [
              contextId,
              floor,
            ])
          ).rows[0]?.encoding;
          if (first !== null && encoding === 'delta') {
            const full = rebaseAsFull(first.context_json);
            await q.query('UPDATE context_versions SET encoding = $1, chain = 0, content = $2 WHERE context_id = $3 AND version = $4', [
              full.encoding,
              full.content,
              contextId,
              floor,
            ]);
          }
          return (await q.query('DELETE FROM context_versions WHERE context_id = $1 AND version < $2', [contextId, floor])).rowCount ?? 0;
        });
      }
    }
    for (let round = 0; round < 1000; round += 1) {
      const { rows } = await this.pool.query<{ id: string }>('SELECT id FROM deleted_contexts WHERE deleted_at < $1 LIMIT 500', [
        limits.deletedBefore,
      ]);
      if (rows.length === 0) break;
      for (const { id } of rows) if (await this.erase(id, null, null, 'retention')) report.erased.push(id);
    }
    return report;
  }
}
