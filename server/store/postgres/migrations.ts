/**
 * Versioned schema of the PostgreSQL store. Table `schema_migrations` records every
 * migration applied; `migrate()` applies the missing ones at start, each in its own
 * transaction, while holding a session-level advisory lock: several instances starting at
 * once queue on the lock, and all but the first find nothing left to do. A database whose
 * schema is newer than this build is refused. Append new migrations; never edit one that
 * has shipped.
 */
import { ADVISORY_LOCKS } from './advisory-locks';
import type pg from 'pg';
import { POSTGRES_ACCOUNTABILITY_MIGRATION } from './accountability';

export const MIGRATIONS: readonly string[] = [
  // 1: initial schema, the same tables as the SQLite store's migration 1.
  `
  -- Ids and the filter columns compare bytewise ("C"): list order (created_at, id) must be
  -- the same as in JavaScript and SQLite, whatever the database's default collation, and
  -- "C" comparisons are also the cheapest.
  CREATE TABLE execution_contexts (
    id           text COLLATE "C" PRIMARY KEY,
    agent_id     text COLLATE "C",
    workflow_id  text COLLATE "C",
    session_id   text,
    status       text COLLATE "C" NOT NULL CHECK (status IN
                   ('idle','running','waiting_for_input','interrupted','completed','failed')),
    -- ms since the epoch (UTC), as in SQLite: cursors and ordering are identical on both
    -- engines, and JavaScript's Date has ms precision anyway.
    created_at   bigint NOT NULL,
    updated_at   bigint NOT NULL,
    version      integer NOT NULL DEFAULT 1,
    context_size integer NOT NULL DEFAULT 0,  -- UTF-8 bytes of context_json, 0 when null
    -- The context's text exactly as the server was given it. Not jsonb: jsonb reorders
    -- members, drops duplicate keys and rewrites number spellings; text keeps every byte.
    context_json text
  );

  -- Every list query walks one of these backwards in (created_at, id) order, so no query
  -- sorts its match set (Merge Append for several statuses). status and updated_at are
  -- trailing key columns so that their filters are checked inside the index.
  CREATE INDEX ix_ctx_created  ON execution_contexts (created_at, id, status, updated_at);
  CREATE INDEX ix_ctx_agent    ON execution_contexts (agent_id, created_at, id, status, updated_at);
  CREATE INDEX ix_ctx_workflow ON execution_contexts (workflow_id, created_at, id, status, updated_at);
  CREATE INDEX ix_ctx_status   ON execution_contexts (status, created_at, id, updated_at);

  CREATE TABLE api_keys (
    role     text PRIMARY KEY CHECK (role IN ('viewer','editor','admin')),
    key_hash text NOT NULL
  );

  CREATE TABLE sessions (
    token_hash text PRIMARY KEY,
    role       text NOT NULL,
    key_hash   text NOT NULL,  -- the key it was opened with: rotating the key ends it
    expires_at bigint NOT NULL
  );
  CREATE INDEX ix_sessions_expires ON sessions (expires_at);

  -- Counters of rate-limiter-flexible's RateLimiterPostgres (its own layout), shared by
  -- every instance: per key × class × window, and failed sign-ins per address.
  CREATE TABLE rate_limits (
    key    varchar(255) PRIMARY KEY,
    points integer NOT NULL DEFAULT 0,
    expire bigint
  );
  `,
  // 2: search in contexts (issue 10; postgres/search.ts). search_text is each context's
  // folded search text (member names, strings, number spellings), written by the store
  // with the context; the stored context text is untouched. The trigram GIN index answers
  // "contains q". Rows written before this migration are filled in by the store at start
  // (the text is computed in JavaScript, the one implementation of it).
  `
  CREATE EXTENSION IF NOT EXISTS pg_trgm;
  ALTER TABLE execution_contexts ADD COLUMN search_text text;
  CREATE INDEX ix_ctx_search ON execution_contexts USING gin (search_text gin_trgm_ops);
  `,
  // 3: named API keys, version history, recently deleted contexts, audit events (issue 11).
  POSTGRES_ACCOUNTABILITY_MIGRATION,
];

export const SCHEMA_VERSION = MIGRATIONS.length;

/**
 * The list indexes of execution_contexts, as migration 1 creates them. A bulk load into an
 * empty table (the seed CLI, `PostgresContextStore.beginBulkLoad`) drops them and builds
 * them again at the end, which is several times faster than maintaining five B-trees row by
 * row; `ensureListIndexes` (run at every open) recreates any that an interrupted load left
 * missing. Keep in step with migration 1 (a test compares them with pg_indexes).
 */
export const LIST_INDEXES: ReadonlyArray<{ name: string; columns: string }> = [
  { name: 'ix_ctx_created', columns: 'created_at, id, status, updated_at' },
  { name: 'ix_ctx_agent', columns: 'agent_id, created_at, id, status, updated_at' },
  { name: 'ix_ctx_workflow', columns: 'workflow_id, created_at, id, status, updated_at' },
  { name: 'ix_ctx_status', columns: 'status, created_at, id, updated_at' },
];

/**
 * The trigram index of migration 2, which a bulk load into an empty table also drops (a
 * GIN build from sorted entries is far cheaper than inserting each row's ~1,000 trigram
 * entries one by one). It is built again in the background by a server
 * (buildSearchIndex, `CREATE INDEX CONCURRENTLY`: writes go on meanwhile), not by the load
 * nor at open: at a million contexts the build takes minutes. Until it is valid, searches
 * do without it (postgres-store.ts, searchIndexReady).
 */
export const SEARCH_INDEX = { name: 'ix_ctx_search', definition: 'USING gin (search_text gin_trgm_ops)' } as const;

/**
 * SEARCH_INDEX's state: 'valid' (queries may use it), 'invalid' (a concurrent build that
 * failed or is still running left it unusable) or 'missing'.
 */
export async function searchIndexState(client: pg.Pool | pg.PoolClient): Promise<'valid' | 'invalid' | 'missing'> {
  const { rows } = await client.query<{ valid: boolean }>(
    `SELECT i.indisvalid AND i.indisready AS valid
       FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
      WHERE c.relname = $1 AND c.relnamespace = current_schema()::regnamespace`,
    [SEARCH_INDEX.name],
  );
  const row = rows[0];
  return row === undefined ? 'missing' : row.valid ? 'valid' : 'invalid';
}

/** Key of the advisory lock held by the instance that builds SEARCH_INDEX (advisory-locks.ts). */
export const SEARCH_INDEX_LOCK_KEY = ADVISORY_LOCKS.searchIndexBuild;

/**
 * Builds SEARCH_INDEX if it is not valid, without blocking writes (`CREATE INDEX
 * CONCURRENTLY`), on one instance at a time: the caller that gets the advisory lock builds
 * (dropping an invalid leftover of an interrupted build first), others return at once.
 * Resolves to 'built', 'valid' (nothing to do) or 'busy' (another instance is building).
 * Uses its own connection (CONCURRENTLY cannot run inside a transaction block), whose
 * backend pid goes to `onBackend`.
 */
export async function buildSearchIndex(pool: pg.Pool, onBackend?: (pid: number) => void): Promise<'built' | 'valid' | 'busy'> {
  const client = await pool.connect();
  // The backend's pid, so that a closing store can cancel a build that takes minutes.
  const pid = (client as pg.PoolClient & { processID?: number }).processID;
  if (pid !== undefined) onBackend?.(pid);
  let locked = false;
  try {
    locked = (await client.query<{ ok: boolean }>('SELECT pg_try_advisory_lock($1) AS ok', [SEARCH_INDEX_LOCK_KEY])).rows[0]?.ok === true;
    if (!locked) return 'busy';
    const state = await searchIndexState(client);
    if (state === 'valid') return 'valid';
    await client.query('SET statement_timeout = 0');
    await client.query("SET maintenance_work_mem = '256MB'");
    if (state === 'invalid') await client.query(`DROP INDEX CONCURRENTLY IF EXISTS ${SEARCH_INDEX.name}`);
    await client.query({
      text: `CREATE INDEX CONCURRENTLY IF NOT EXISTS ${SEARCH_INDEX.name} ON execution_contexts ${SEARCH_INDEX.definition}`,
      query_timeout: INDEX_BUILD_TIMEOUT_MS,
    } as pg.QueryConfig & { query_timeout: number });
    return 'built';
  } finally {
    if (locked) await client.query('SELECT pg_advisory_unlock($1)', [SEARCH_INDEX_LOCK_KEY]).catch(() => {});
    await client.query('RESET ALL').catch(() => {});
    client.release();
  }
}

/** The LIST_INDEXES that execution_contexts lacks. */
export async function missingListIndexes(client: pg.Pool | pg.PoolClient): Promise<string[]> {
  const { rows } = await client.query<{ indexname: string }>(
    "SELECT indexname FROM pg_indexes WHERE schemaname = current_schema() AND tablename = 'execution_contexts'",
  );
  const present = new Set(rows.map((r) => r.indexname));
  return LIST_INDEXES.filter((index) => !present.has(index.name)).map((index) => index.name);
}

/** Client-side read timeout of an index build (node-postgres reads `query_timeout` per query; 0 would mean the pool's). */
const INDEX_BUILD_TIMEOUT_MS = 3_600_000;

/**
 * Runs one CREATE INDEX without the pool's timeouts: at a million rows the trigram index
 * takes minutes to build, far over DATABASE_STATEMENT_TIMEOUT_MS (a seed whose rebuild
 * timed out would leave the index missing, and so would every repair at start). The SET
 * is part of the same implicit transaction, so a failed build also undoes it.
 */
function buildIndex(client: pg.Pool | pg.PoolClient, sql: string): Promise<unknown> {
  const config: pg.QueryConfig & { query_timeout: number } = {
    text: `SET statement_timeout = 0; ${sql}; RESET statement_timeout`,
    query_timeout: INDEX_BUILD_TIMEOUT_MS,
  };
  return client.query(config);
}

/**
 * Creates the LIST_INDEXES that are missing (none, normally: one cheap catalog query);
 * resolves to the names created. `IF NOT EXISTS`: instances starting together may both
 * try. Not SEARCH_INDEX: see buildSearchIndex.
 */
export async function ensureListIndexes(client: pg.Pool | pg.PoolClient): Promise<string[]> {
  const missing = await missingListIndexes(client);
  for (const index of LIST_INDEXES) {
    if (!missing.includes(index.name)) continue;
    await buildIndex(client, `CREATE INDEX IF NOT EXISTS ${index.name} ON execution_contexts (${index.columns})`);
  }
  return missing;
}

/** Key of the advisory lock held while migrating (any constant unique to this app). */
export const MIGRATION_LOCK_KEY = ADVISORY_LOCKS.migration;

/** Thrown when the database was written by a newer server: this build must not touch it. */
export class SchemaTooNewError extends Error {
  constructor(
    readonly found: number,
    readonly supported: number,
  ) {
    super(
      `the database's schema version ${found} is newer than this server understands (${supported}); ` +
        'run a server at least as new as the one that last migrated it, or point DATABASE_URL at another database',
    );
    this.name = 'SchemaTooNewError';
  }
}

/**
 * Brings the database to SCHEMA_VERSION (see the file comment). Also refuses a database
 * whose encoding is not UTF8: contexts are Unicode text, and the summary preview counts
 * characters, which SQL_ASCII databases count as bytes.
 */
export async function migrate(pool: pg.Pool, migrations: readonly string[] = MIGRATIONS): Promise<void> {
  const client = await pool.connect();
  try {
    const encoding = (await client.query<{ server_encoding: string }>('SHOW server_encoding')).rows[0]?.server_encoding;
    if (encoding !== 'UTF8') {
      throw new Error(`the database's encoding is ${encoding ?? 'unknown'}, not UTF8; create it with ENCODING 'UTF8'`);
    }
    await client.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
    try {
      await client.query(
        'CREATE TABLE IF NOT EXISTS schema_migrations (version integer PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())',
      );
      const current = Number(
        (await client.query<{ v: number }>('SELECT coalesce(max(version), 0) AS v FROM schema_migrations')).rows[0]?.v ?? 0,
      );
      if (current > migrations.length) throw new SchemaTooNewError(current, migrations.length);
      for (let index = current; index < migrations.length; index += 1) {
        await client.query('BEGIN');
        try {
          await client.query(migrations[index] as string);
          await client.query('INSERT INTO schema_migrations (version) VALUES ($1)', [index + 1]);
          await client.query('COMMIT');
        } catch (error) {
          await client.query('ROLLBACK');
          throw error;
        }
      }
    } finally {
      await client.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]);
    }
  } finally {
    client.release();
  }
}
