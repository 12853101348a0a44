/**
 * ContextStore on PostgreSQL (node-postgres pool): used when DATABASE_URL is set, shared by
 * any number of server processes. Everything they must agree on lives in the database:
 * contexts, API key hashes, sessions and rate-limit counters.
 *
 * Concurrency: every read-check-write is one statement, so it is atomic against every
 * other connection without explicit locks — PATCH with If-Match is one
 * `UPDATE … WHERE id = $1 AND version = $n`, DELETE is one
 * `DELETE … WHERE id = $1 AND status NOT IN (in-use statuses)`; only when they touch no row
 * does a follow-up read say why (not found, stale version, in use).
 *
 * Outage: the pool's 'error' events (idle connections dropped by a restarting server) are
 * logged, never thrown; a query that cannot reach the server rejects, `isUnavailable`
 * recognises it (503), and the pool opens fresh connections once the server is back.
 */
import { readFileSync } from 'node:fs';
import pg from 'pg';
import { RateLimiterPostgres, type RateLimiterAbstract } from 'rate-limiter-flexible';
import { monotonicFactory, ulid } from 'ulid';
import {
  CONTEXT_PREVIEW_CHARS,
  IN_USE_STATUSES,
  isInUse,
  type ContextStatus,
  type ExecutionContextSummary,
  type ListQuery,
  type Role,
} from '../../../contract/index';
import { prepareContext, type PreparedContext } from '../prepared';
import { pageOf, planList, toStored, utf8Length, type ContextRow, type ListPlan, type SummaryRow } from '../rows';
import type {
  ContextChanges,
  ContextRecord,
  ContextStore,
  DeleteResult,
  ListPage,
  NewContext,
  RateLimiterOptions,
  SessionKey,
  StoredContext,
  UpdateResult,
} from '../types';
import { isPostgresUnavailable } from './errors';
import {
  buildSearchIndex,
  ensureListIndexes,
  LIST_INDEXES,
  migrate,
  SCHEMA_VERSION,
  SEARCH_INDEX,
  SEARCH_INDEX_LOCK_KEY,
  searchIndexState,
} from './migrations';
import { buildPostgresSearch, type BuiltPostgresSearch } from './search';
import { searchTextOf } from '../../../contract/search/search-text';
import { DEFAULT_SEARCH_SCAN_ROWS, INDEX_CANDIDATES, searchPageOf, type SearchFind, type SearchLimits } from '../search';
import {
  PostgresAccountability,
  historyHeadColumn,
  historyHeadOf,
  inTransaction,
  type Queryable,
  type WriteStatement,
} from './accountability';
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
  RestoreVersionResult,
  RevokeResult,
  UndeleteResult,
  VersionRecord,
  VersionWithText,
  WriteMeta,
} from '../accountability-types';
import type { KeyOrigin } from '../../../contract/accountability';

/** TLS towards PostgreSQL: off, encrypted without checking the certificate, or verified. */
export type PostgresSsl = 'off' | 'require' | 'verify';

export interface PostgresStoreOptions extends SearchLimits {
  /** `postgres://user:password@host:port/database?…` */
  connectionString: string;
  /** Most connections this process opens (default 10). */
  poolSize?: number;
  /** Server-side limit per statement, ms (0: none). Default 15 000. */
  statementTimeoutMs?: number;
  /** How long to wait for a connection before answering 503, ms. Default 5 000. */
  connectTimeoutMs?: number;
  /** TLS mode; undefined leaves it to the URL's `sslmode`. */
  ssl?: PostgresSsl;
  /** PEM file of the CA that signed the server's certificate (ssl = 'verify'). */
  sslCaFile?: string;
  /** Where pool errors are reported (they are never thrown). */
  onPoolError?: (error: Error) => void;
  /** Run the migrations at open (default true; tests of the migrator turn it off). */
  migrate?: boolean;
  /**
   * How often the background work looks at the trigram index (ms, default
   * SEARCH_INDEX_WATCH_MS), to rebuild it after a bulk load by another process.
   */
  searchIndexWatchMs?: number;
}

/**
 * The index way of a search is taken after a walk that found matches only when the table
 * would hold at most this share of a walk's rows as candidates (at the density the walk
 * saw): each candidate costs more than a walked row (its trigram posting lists, its row
 * fetched and rechecked, its JSON parsed for a condition, a sort), and the lookup of
 * frequent trigrams alone costs ~45 ms at 200,000 rows. Measured at 200,000 rows: 1,861
 * candidates took the first page of a 1 % term from ~70 ms (the walk alone, a short page)
 * to ~190 ms (walk + index). A walk that found nothing always tries the index.
 */
const INDEX_WAY_SHARE = 0.1;

/** Rows per multi-row INSERT in insertMany: one statement of nine arrays per batch. */
const INSERT_BATCH = 2_000;
/** How often an instance waiting for another's trigram index build looks at it (ms). */
const SEARCH_INDEX_POLL_MS = 5_000;
/** How often a server's background work checks that the trigram index is valid (one catalog query). */
const SEARCH_INDEX_WATCH_MS = 10_000;

const BASE_NAMES = ['id', 'agent_id', 'workflow_id', 'session_id', 'status', 'created_at', 'updated_at', 'version'];
/** The columns of a view, each prefixed with `table` (e.g. `c.`) when given. */
function viewColumns(view: 'full' | 'summary', table = ''): string {
  const base = BASE_NAMES.map((name) => `${table}${name}`).join(', ');
  // substr counts characters (code points) in a UTF8 database, as SQLite's does: see the
  // SQLite store for why the JS summary then equals toSummary() of the full text.
  return view === 'summary'
    ? `${base}, ${table}context_size, substr(${table}context_json, 1, ${CONTEXT_PREVIEW_CHARS}) AS context_head`
    : `${base}, ${table}context_json`;
}
const FULL_COLUMNS = viewColumns('full');

const IN_USE_LIST = IN_USE_STATUSES.map((s) => `'${s}'`).join(', ');

/**
 * Type parsers for this pool only: bigint (int8, the ms timestamps) as a JS number — they
 * are far below 2^53 — instead of node-postgres's default string.
 */
const INT8_OID = 20;
const types = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    oid === INT8_OID && format !== 'binary'
      ? (value: string) => Number(value)
      : pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
};

function sslConfig(options: PostgresStoreOptions): pg.PoolConfig['ssl'] {
  switch (options.ssl) {
    case undefined:
      return undefined;
    case 'off':
      return false;
    case 'require':
      // Encrypted, certificate not checked: libpq's sslmode=require.
      return { rejectUnauthorized: false };
    case 'verify':
      return options.sslCaFile === undefined
        ? { rejectUnauthorized: true }
        : { rejectUnauthorized: true, ca: readFileSync(options.sslCaFile, 'utf8') };
  }
}

/** A list plan → SQL and parameters ($n placeholders). Exported for the EXPLAIN tests. */
export function buildPostgresListQuery(query: ListQuery): { sql: string; params: Array<string | number>; plan: ListPlan } {
  const plan = planList(query);
  const params: Array<string | number> = [];
  const param = (value: string | number): string => {
    params.push(value);
    return `$${params.length}`;
  };
  // Conditions shared by every arm of a merged multi-status query.
  const where: string[] = [];
  if (plan.agentId !== undefined) where.push(`agent_id = ${param(plan.agentId)}`);
  if (plan.workflowId !== undefined) where.push(`workflow_id = ${param(plan.workflowId)}`);
  if (plan.updatedBefore !== undefined) where.push(`updated_at < ${param(plan.updatedBefore)}`);
  if (plan.startBefore?.id !== undefined) {
    // A row comparison: the B-tree seeks straight to the cursor's key.
    where.push(`(created_at, id) < (${param(plan.startBefore.createdAt)}, ${param(plan.startBefore.id)})`);
  } else if (plan.startBefore !== undefined) {
    where.push(`created_at < ${param(plan.startBefore.createdAt)}`);
  }
  // With an offset (page > 1), PostgreSQL computes the selected columns of every row it
  // skips: the summary's substr would read (and decompress) tens of thousands of contexts
  // for page 500. So such pages first find the keys of their rows — (created_at, id),
  // straight from the index — and only then read those rows by primary key (a nested loop
  // keeps the keys' order: still no sort).
  const deferred = plan.offset > 0;
  const columns = deferred ? 'created_at, id' : viewColumns(plan.view);
  const order = 'ORDER BY created_at DESC, id DESC';
  const tail = (): string => ` ${order} LIMIT ${param(plan.limit)} OFFSET ${param(plan.offset)}`;
  const merged = plan.statuses.length > 1 && plan.agentId === undefined && plan.workflowId === undefined;
  const finish = (keysSql: string): string =>
    deferred
      ? `SELECT ${viewColumns(plan.view, 'c.')} FROM (${keysSql}) AS k ` +
        'JOIN execution_contexts AS c ON c.id = k.id ORDER BY k.created_at DESC, k.id DESC'
      : keysSql;

  if (merged) {
    // One ordered walk of the status index per status, merged in order (Merge Append):
    // `status IN (…)` alone would collect every match and sort it. Each arm is itself
    // ordered and limited to the rows the page can need (offset + limit), which is what
    // lets the planner merge the arms instead of sorting their union.
    const shared = [...where];
    const armLimit = param(plan.offset + plan.limit);
    const arms = plan.statuses.map(
      (status) =>
        `(SELECT ${columns} FROM execution_contexts WHERE ${[`status = ${param(status)}`, ...shared].join(' AND ')} ` +
        `${order} LIMIT ${armLimit})`,
    );
    const sql = finish(`${arms.join(' UNION ALL ')}${tail()}`);
    return { sql, params, plan };
  }
  if (plan.statuses.length === 1) where.push(`status = ${param(plan.statuses[0] as string)}`);
  else if (plan.statuses.length > 1) where.push(`status IN (${plan.statuses.map((s) => param(s)).join(', ')})`);
  const sql = finish(
    `SELECT ${columns} FROM execution_contexts` + (where.length > 0 ? ` WHERE ${where.join(' AND ')}` : '') + tail(),
  );
  return { sql, params, plan };
}

/**
 * The UPDATE that makes a locked row's new session and context its next version (for
 * recordChange to run with the version and event), and the row as it will be.
 */
function versionWrite(
  row: ContextRow,
  sessionId: string | null,
  json: string | null,
  /** searchTextOf(json) when the caller has it (ContextChanges.search_text). */
  searchText?: string,
): { next: ContextRow & { context_size: number }; write: WriteStatement } {
  const updatedAt = Math.max(Date.now(), row.updated_at, row.created_at);
  const size = json === null ? 0 : utf8Length(json);
  return {
    next: { ...row, session_id: sessionId, context_json: json, updated_at: updatedAt, version: row.version + 1, context_size: size },
    write: {
      sql: `UPDATE execution_contexts SET session_id = $2, context_json = $3, context_size = $4, updated_at = $5, version = version + 1,
                   search_text = $6
             WHERE id = $1`,
      values: [row.id, sessionId, json, size, updatedAt, json === null ? null : (searchText ?? searchTextOf(json))],
    },
  };
}

export class PostgresContextStore implements ContextStore {
  readonly engine = 'postgres' as const;
  readonly shared = true;
  /** Batches the seeder writes at once (on as many pool connections): see parallel-seed.ts. */
  readonly bulkWriters = 2;
  /** ids of create(): monotonic within this process (creates in one ms sort by age). */
  private readonly nextId = monotonicFactory();
  private closed = false;
  /** Every 5 minutes, drop rate-limit rows that expired an hour ago (any instance may). */
  private readonly purgeTimer: NodeJS.Timeout;

  private readonly searchScanRows: number;
  private readonly searchIndexCandidates: number;
  /**
   * Whether the trigram index (SEARCH_INDEX) is valid, so that searches may use it: false
   * after a bulk load until a server's background build (startBackgroundWork) is done.
   * Set at open; refreshed by the background work.
   */
  searchIndexReady = false;
  /** The background work's next run (startBackgroundWork), until close. */
  private backgroundTimer: NodeJS.Timeout | null = null;
  /** The backend running this instance's index build, cancelled at close. */
  private buildingPid: number | null = null;
  /** Keys, versions, deleted contexts and audit events (issue 11). */
  readonly accountability: PostgresAccountability;

  private readonly searchIndexWatchMs: number;

  constructor(
    readonly pool: pg.Pool,
    limits: SearchLimits & { searchIndexWatchMs?: number } = {},
  ) {
    this.searchIndexWatchMs = limits.searchIndexWatchMs ?? SEARCH_INDEX_WATCH_MS;
    this.accountability = new PostgresAccountability(pool);
    this.searchScanRows = limits.searchScanRows ?? DEFAULT_SEARCH_SCAN_ROWS;
    this.searchIndexCandidates = limits.searchIndexCandidates ?? INDEX_CANDIDATES;
    this.purgeTimer = setInterval(() => {
      this.purgeExpiredRateLimits().catch(() => {
        // Not critical: the next round (or another instance) catches up.
      });
    }, 300_000);
    this.purgeTimer.unref();
  }

  list(query: ListQuery & { view: 'full' }): Promise<ListPage<ContextRecord>>;
  list(query: ListQuery & { view: 'summary' }): Promise<ListPage<ExecutionContextSummary>>;
  list(query: ListQuery): Promise<ListPage<ContextRecord> | ListPage<ExecutionContextSummary>>;
  async list(query: ListQuery): Promise<ListPage<ContextRecord> | ListPage<ExecutionContextSummary>> {
    const searchPlan = planList(query);
    if (searchPlan.search !== undefined) return searchPageOf(searchPlan, await this.find(searchPlan));
    const { sql, params, plan } = buildPostgresListQuery(query);
    const { rows } = await this.pool.query<ContextRow | SummaryRow>(sql, params);
    return pageOf(plan, rows);
  }

  /**
   * A search page's matches (see ../search.ts and ./search.ts), in one read-only snapshot:
   * 1. the walk down the list order (at most searchScanRows rows, stopping at the page's
   *    last match): a full page, or the end of the list, is the answer;
   * 2. else, when a needle can use the trigram index and the walk's matches were few (the
   *    table, at the density the walk saw, would hold at most INDEX_WAY_SHARE of a walk's
   *    rows as candidates), the index way: complete when the index names at most
   *    searchIndexCandidates contexts;
   * 3. else the walk's short page, with a cursor after the last row it examined.
   * Nothing is done twice: a common term is answered by the walk alone, a rare one costs
   * the walk (a few ms of strpos per thousand rows) and one index statement.
   */
  private async find(plan: ListPlan): Promise<SearchFind> {
    const built = buildPostgresSearch(plan, viewColumns(plan.view), this.searchScanRows, this.searchIndexCandidates);
    const wanted = plan.skip + plan.perPage + 1;
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
      const found = await this.findIn(client, built, wanted);
      await client.query('COMMIT');
      return found;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => {});
      throw error;
    } finally {
      client.release();
    }
  }

  private async findIn(client: pg.PoolClient, built: BuiltPostgresSearch, wanted: number): Promise<SearchFind> {
    const walked = (await client.query<ContextRow | SummaryRow>(built.walk.sql, built.walk.params)).rows;
    if (walked.length >= wanted) return { rows: walked, stoppedAt: null };
    const end = await client.query<{ created_at: number; id: string; table_rows: number }>(built.windowEnd.sql, built.windowEnd.params);
    const [last, next] = end.rows;
    if (last === undefined || next === undefined) return { rows: walked, stoppedAt: null };
    const stopped = { rows: walked, stoppedAt: { created_at: last.created_at, id: last.id } };
    // Without a valid trigram index (after a bulk load, until the background build ends)
    // the index way would read the whole table: the walk's page and cursor it is.
    if (built.byIndex === null || !this.searchIndexReady) return stopped;
    if (walked.length > 0) {
      // The walk's density over the whole table (the planner's row estimate, 0 before
      // the first ANALYZE): about the candidates the index would name.
      const estimate = (walked.length / this.searchScanRows) * last.table_rows;
      if (estimate > Math.min(this.searchIndexCandidates, this.searchScanRows * INDEX_WAY_SHARE)) return stopped;
    }
    // The index way sorts its candidates (the pool's sessions disable sorting, which pins
    // the walk, like plain lists, to ordered index walks).
    await client.query('SET LOCAL enable_sort = on');
    const indexed = (await client.query<(ContextRow | SummaryRow) & { candidates: number }>(built.byIndex.sql, built.byIndex.params)).rows;
    if ((indexed[0]?.candidates ?? 0) > this.searchIndexCandidates) return stopped;
    return {
      rows: indexed.filter((row) => row.id !== null).map(({ candidates: _candidates, ...row }) => row as ContextRow | SummaryRow),
      stoppedAt: null,
    };
  }

  /** Fills search_text of rows written before the search migration (once, at start). */
  async backfillSearchText(batch = 1_000): Promise<void> {
    for (;;) {
      const { rows } = await this.pool.query<{ id: string; context_json: string }>(
        'SELECT id, context_json FROM execution_contexts WHERE search_text IS NULL AND context_json IS NOT NULL LIMIT $1',
        [batch],
      );
      if (rows.length === 0) return;
      await this.pool.query(
        `UPDATE execution_contexts e SET search_text = v.t
           FROM unnest($1::text[], $2::text[]) AS v(id, t) WHERE e.id = v.id`,
        [rows.map((r) => r.id), rows.map((r) => searchTextOf(r.context_json))],
      );
    }
  }

  async get(id: string): Promise<StoredContext | null> {
    const { rows } = await this.pool.query<ContextRow>(`SELECT ${FULL_COLUMNS} FROM execution_contexts WHERE id = $1`, [id]);
    return rows[0] === undefined ? null : toStored(rows[0]);
  }

  async create(input: NewContext, meta?: WriteMeta): Promise<StoredContext> {
    const row = prepareContext(input);
    // As in SQLite: live creates get monotonic ids; back-dated ones an id of their time.
    const id = `ctx_${input.created_at === undefined ? this.nextId(row.created_at) : ulid(row.created_at)}`;
    if (meta === undefined) await this.insertRows([{ id, row }]);
    else {
      await inTransaction(this.pool, async (q) => {
        await this.insertRows([{ id, row }], q);
        await this.accountability.recordChange(
          q,
          { id, version: 1, session_id: row.session_id, context_json: row.context_json },
          'create',
          'context.created',
          meta,
          null,
          {},
          row.created_at,
        );
      });
    }
    return toStored({ ...row, id, version: 1 });
  }

  async insertMany(inputs: Iterable<NewContext>): Promise<number> {
    let batch: PreparedContext[] = [];
    let total = 0;
    for (const input of inputs) {
      batch.push(prepareContext(input));
      if (batch.length >= INSERT_BATCH) {
        total += await this.insertPrepared(batch);
        batch = [];
      }
    }
    if (batch.length > 0) total += await this.insertPrepared(batch);
    return total;
  }

  /**
   * Inserts rows whose context is already serialised, in one statement: nine array
   * parameters unnested into rows (no 65,535-parameter limit, one round trip, one commit).
   * Ids come from each row's created_at; their random part uses Math.random, as in SQLite.
   */
  async insertPrepared(rows: readonly PreparedContext[]): Promise<number> {
    await this.insertRows(rows.map((row) => ({ id: `ctx_${ulid(row.created_at, Math.random)}`, row })));
    return rows.length;
  }

  private async insertRows(rows: Array<{ id: string; row: PreparedContext }>, q: Queryable = this.pool): Promise<void> {
    if (rows.length === 0) return;
    const columns: [string[], Array<string | null>, Array<string | null>, Array<string | null>, string[], number[], number[], number[], Array<string | null>, Array<string | null>] =
      [[], [], [], [], [], [], [], [], [], []];
    for (const { id, row } of rows) {
      const json = row.context_json;
      columns[0].push(id);
      columns[1].push(row.agent_id);
      columns[2].push(row.workflow_id);
      columns[3].push(row.session_id);
      columns[4].push(row.status);
      columns[5].push(row.created_at);
      columns[6].push(Math.max(row.updated_at, row.created_at));
      columns[7].push(json === null ? 0 : utf8Length(json));
      columns[8].push(json);
      // The seed's worker threads compute the search text off this thread when they can.
      columns[9].push(json === null ? null : (row.search_text ?? searchTextOf(json)));
    }
    await q.query(
      `INSERT INTO execution_contexts
         (id, agent_id, workflow_id, session_id, status, created_at, updated_at, context_size, context_json, search_text)
       SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[],
                            $6::bigint[], $7::bigint[], $8::integer[], $9::text[], $10::text[])`,
      columns,
    );
  }

  /**
   * Bulk-load mode for the seeder. Into an EMPTY table only: drops the four list indexes
   * (LIST_INDEXES) and the trigram index (SEARCH_INDEX) so that the rows go in without
   * maintaining five B-trees and a GIN index row by row, and
   * returns the function that builds the list indexes again (sorted builds, much faster)
   * and ANALYZEs the table; the trigram index is a server's to rebuild in the background
   * (startBackgroundWork), after the load: the load holds SEARCH_INDEX_LOCK_KEY until its
   * end. A table that already holds rows keeps its indexes (its readers need them): the
   * load is then plain multi-row INSERTs. Should the process die before the end, the next
   * open of the store recreates the missing list indexes (ensureListIndexes).
   */
  async beginBulkLoad(): Promise<() => Promise<void>> {
    const client = await this.pool.connect();
    let dropped = false;
    // Held from the drop to the end of the load: a server's background build
    // (buildSearchIndex) waits for it rather than build (and then maintain, row by row)
    // the trigram index while the rows go in.
    let buildLock: pg.PoolClient | null = null;
    try {
      await client.query('BEGIN');
      // Blocks writers from other instances until the decision is committed.
      await client.query('LOCK TABLE execution_contexts IN SHARE ROW EXCLUSIVE MODE');
      const { rows } = await client.query<{ empty: boolean }>('SELECT NOT EXISTS (SELECT 1 FROM execution_contexts) AS empty');
      if (rows[0]?.empty) {
        // The trigram index too: maintaining a GIN entry per trigram row by row made
        // seeding 100,000 contexts take 134 s; one build at the end takes a fraction.
        buildLock = await this.pool.connect();
        await buildLock.query('SELECT pg_try_advisory_lock($1)', [SEARCH_INDEX_LOCK_KEY]);
        await client.query(`DROP INDEX IF EXISTS ${[...LIST_INDEXES.map((index) => index.name), SEARCH_INDEX.name].join(', ')}`);
        dropped = true;
      }
      await client.query('COMMIT');
    } catch (error) {
      await client.query('ROLLBACK').catch(() => {});
      buildLock?.release(true); // ending its session frees the lock
      throw error;
    } finally {
      client.release();
    }
    return async () => {
      if (!dropped) return;
      try {
        await this.rebuildAfterLoad();
      } finally {
        buildLock?.release(true);
      }
    };
  }

  /** The end of a bulk load into an empty table: list indexes rebuilt, statistics fresh. */
  private async rebuildAfterLoad(): Promise<void> {
    const builder = await this.pool.connect();
    try {
      // Index builds sort in memory when they may; no statement timeout for them.
      await builder.query("SET maintenance_work_mem = '256MB'");
      await builder.query('SET statement_timeout = 0');
      // The trigram index is left to a server's background build (buildSearchIndex).
      await ensureListIndexes(builder);
      await builder.query('ANALYZE execution_contexts');
    } finally {
      await builder.query('RESET ALL').catch(() => {});
      builder.release();
    }
  }

  async update(id: string, changes: ContextChanges, ifMatchVersion?: number, meta?: WriteMeta): Promise<UpdateResult> {
    const setContext = changes.context_json !== undefined;
    const setSession = changes.session_id !== undefined;
    if (meta !== undefined && (setContext || setSession)) return this.updateRecorded(id, changes, ifMatchVersion, meta);
    if (!setContext && !setSession) {
      // Nothing to write: the version decides alone.
      const current = await this.get(id);
      if (current === null) return { kind: 'not_found' };
      if (ifMatchVersion !== undefined && current.version !== ifMatchVersion) return { kind: 'precondition_failed', current };
      return { kind: 'updated', stored: current };
    }
    // The context's text exactly as given (issue 8): stored, never re-serialised.
    const json = setContext ? (changes.context_json ?? null) : null;
    // One statement: the version check and the write cannot be separated by another
    // writer, whichever process it runs in (the row lock orders concurrent UPDATEs, and
    // a loser re-checks `version = $n` against the winner's row and matches nothing).
    const { rows } = await this.pool.query<ContextRow>(
      `UPDATE execution_contexts
          SET session_id   = CASE WHEN $2 THEN $3 ELSE session_id END,
              context_json = CASE WHEN $4 THEN $5 ELSE context_json END,
              context_size = CASE WHEN $4 THEN $6 ELSE context_size END,
              search_text  = CASE WHEN $4 THEN $9 ELSE search_text END,
              -- never backwards (clock steps between instances) nor before created_at
              updated_at   = GREATEST($7::bigint, updated_at, created_at),
              version      = version + 1
        WHERE id = $1 AND ($8::integer IS NULL OR version = $8)
        RETURNING ${FULL_COLUMNS}`,
      [
        id,
        setSession,
        changes.session_id ?? null,
        setContext,
        json,
        json === null ? 0 : utf8Length(json),
        Date.now(),
        ifMatchVersion ?? null,
        json === null ? null : (changes.search_text ?? searchTextOf(json)),
      ],
    );
    const updated = rows[0];
    if (updated !== undefined) {
      return { kind: 'updated', stored: toStored(updated) };
    }
    const current = await this.get(id);
    if (current === null) return { kind: 'not_found' };
    return { kind: 'precondition_failed', current };
  }

  /**
   * An update with its version and event: the row is locked (FOR UPDATE) for the
   * transaction, so the If-Match check, the write and the records are one atomic step
   * against every other instance. Round trips, history on or off alike: BEGIN, the locking
   * SELECT (which also reads the history head when versions are recorded), one statement
   * for the UPDATE + version + event, COMMIT.
   */
  private updateRecorded(id: string, changes: ContextChanges, ifMatchVersion: number | undefined, meta: WriteMeta): Promise<UpdateResult> {
    return inTransaction(this.pool, async (q): Promise<UpdateResult> => {
      const head = meta.recordVersion ? `, ${historyHeadColumn('$1')}` : '';
      const locked = (
        await q.query<ContextRow & { history_head?: number[] | null }>(
          `SELECT ${FULL_COLUMNS}${head} FROM execution_contexts WHERE id = $1 FOR UPDATE`,
          [id],
        )
      ).rows[0];
      if (locked === undefined) return { kind: 'not_found' };
      const { history_head: historyHead, ...row } = locked;
      if (ifMatchVersion !== undefined && row.version !== ifMatchVersion) return { kind: 'precondition_failed', current: toStored(row) };
      const sessionId = changes.session_id === undefined ? row.session_id : changes.session_id;
      const json = changes.context_json === undefined ? row.context_json : changes.context_json;
      const given = changes.context_json === undefined ? undefined : changes.search_text;
      const { next, write } = versionWrite(row, sessionId, json, given);
      await this.accountability.recordChange(
        q,
        next,
        'update',
        'context.updated',
        meta,
        { version: row.version, context_json: row.context_json, head: meta.recordVersion ? historyHeadOf(historyHead) : undefined },
        {},
        next.updated_at,
        write,
      );
      return { kind: 'updated', stored: toStored(next) };
    });
  }

  async delete(id: string, meta?: WriteMeta): Promise<DeleteResult> {
    if (meta !== undefined) return this.deleteRecorded(id, meta);
    // The in-use check is part of the DELETE itself. Statuses never change through the
    // API, so a refused row is in use; the loop only guards against a row that changed
    // status between the two statements (seeding scripts, manual SQL).
    for (let attempt = 0; attempt < 3; attempt += 1) {
      const deleted = await this.pool.query(
        `DELETE FROM execution_contexts WHERE id = $1 AND status NOT IN (${IN_USE_LIST})`,
        [id],
      );
      if (deleted.rowCount === 1) return { kind: 'deleted' };
      const { rows } = await this.pool.query<{ status: ContextStatus }>('SELECT status FROM execution_contexts WHERE id = $1', [id]);
      const status = rows[0]?.status;
      if (status === undefined) return { kind: 'not_found' };
      if (isInUse(status)) return { kind: 'in_use', status };
    }
    throw new Error(`delete of ${id} kept racing with status changes`);
  }

  /** A delete with its version, its restorable copy (or the erasure) and its event. */
  private deleteRecorded(id: string, meta: WriteMeta): Promise<DeleteResult> {
    const acc = this.accountability;
    return inTransaction(this.pool, async (q): Promise<DeleteResult> => {
      const row = (await q.query<ContextRow>(`SELECT ${FULL_COLUMNS} FROM execution_contexts WHERE id = $1 FOR UPDATE`, [id])).rows[0];
      if (row === undefined) return { kind: 'not_found' };
      if (isInUse(row.status)) return { kind: 'in_use', status: row.status };
      await q.query('DELETE FROM execution_contexts WHERE id = $1', [id]);
      const at = Date.now();
      const details: Record<string, string> = meta.deleteJob ? { delete_job: meta.deleteJob } : {};
      if (meta.keepDeleted) {
        const version = row.version + 1;
        await acc.recordChange(q, { ...row, version }, 'delete', 'context.deleted', meta, row, details, at);
        await acc.keepDeleted(q, { ...row, version }, meta, at);
      } else {
        await acc.eraseVersionsOf(q, id);
        await acc.insertEvent(
          q,
          {
            action: 'context.deleted',
            actor: meta.actor,
            context_id: id,
            version: null,
            client_ip: meta.client_ip,
            details: { ...details, final: true },
          },
          at,
        );
      }
      return { kind: 'deleted' };
    });
  }

  async count(): Promise<number> {
    const { rows } = await this.pool.query<{ n: number }>('SELECT count(*)::bigint AS n FROM execution_contexts');
    return rows[0]?.n ?? 0;
  }

  async upsertApiKey(role: Role, keyHash: string): Promise<void> {
    await this.pool.query(
      'INSERT INTO api_keys (role, key_hash) VALUES ($1, $2) ON CONFLICT (role) DO UPDATE SET key_hash = excluded.key_hash',
      [role, keyHash],
    );
    await this.accountability.syncRoleKey(role, keyHash, 'file', Date.now());
  }

  async apiKeyHashes(): Promise<Array<{ role: Role; keyHash: string }>> {
    const { rows } = await this.pool.query<{ role: Role; keyHash: string }>(
      'SELECT role, key_hash AS "keyHash" FROM api_keys ORDER BY role COLLATE "C"',
    );
    return rows;
  }

  async createSession(tokenHash: string, role: Role, keyHash: string, expiresAt: Date, keyId: string | null = null): Promise<void> {
    // Sign-ins are rare and rate-limited: a good moment to drop the expired sessions.
    await this.pool.query('DELETE FROM sessions WHERE expires_at <= $1', [Date.now()]);
    await this.pool.query(
      `INSERT INTO sessions (token_hash, role, key_hash, expires_at, key_id) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (token_hash) DO UPDATE SET role = excluded.role, key_hash = excluded.key_hash, expires_at = excluded.expires_at,
                                            key_id = excluded.key_id`,
      [tokenHash, role, keyHash, expiresAt.getTime(), keyId],
    );
  }

  async findSession(tokenHash: string, now: Date): Promise<SessionKey | null> {
    // A session lives only as long as the key it was opened with is active (not revoked,
    // not replaced): a key revoked or replaced through any instance ends its sessions on all.
    const { rows } = await this.pool.query<SessionKey>(
      `SELECT s.role, s.key_hash AS "keyHash", k.id AS "keyId", k.name FROM sessions s
         JOIN keys k ON k.role = s.role AND k.key_hash = s.key_hash AND k.revoked_at IS NULL
        WHERE s.token_hash = $1 AND s.expires_at > $2`,
      [tokenHash, now.getTime()],
    );
    return rows[0] ?? null;
  }

  async deleteSession(tokenHash: string): Promise<void> {
    await this.pool.query('DELETE FROM sessions WHERE token_hash = $1', [tokenHash]);
  }

  /** One trivial query that also proves the schema is this build's (GET /api/ready). */
  async ping(): Promise<void> {
    const { rows } = await this.pool.query<{ v: number }>('SELECT coalesce(max(version), 0)::int AS v FROM schema_migrations');
    const version = rows[0]?.v ?? 0;
    if (version !== SCHEMA_VERSION) {
      throw new Error(`the database schema is at version ${version}, this server needs ${SCHEMA_VERSION}`);
    }
  }

  isUnavailable(error: unknown): boolean {
    return isPostgresUnavailable(error);
  }

  /** A window whose counters live in the shared `rate_limits` table (created by migration 1). */
  rateLimiter(options: RateLimiterOptions): RateLimiterAbstract {
    return new RateLimiterPostgres({
      ...options,
      storeClient: this.pool,
      storeType: 'pool',
      tableName: 'rate_limits',
      tableCreated: true,
      // Each limiter would start its own 5-minute purge timer; one per store is plenty.
      clearExpiredByTimeout: false,
    });
  }

  /** Deletes rate-limit rows that expired an hour ago (every 5 minutes, see the constructor). */
  async purgeExpiredRateLimits(): Promise<void> {
    await this.pool.query('DELETE FROM rate_limits WHERE expire < $1', [Date.now() - 3_600_000]);
  }

  // ---- accountability (issue 11) ----

  syncRoleKey(role: Role, keyHash: string, origin: Exclude<KeyOrigin, 'api'>, now: Date): Promise<KeyRecord> {
    return this.accountability.syncRoleKey(role, keyHash, origin, now.getTime());
  }

  activeKeys(): Promise<KeyRecord[]> {
    return this.accountability.activeKeys();
  }

  createKey(key: KeyRecord, event: NewAuditEvent): Promise<KeyRecord> {
    return this.accountability.createKey(key, event);
  }

  revokeKey(id: string, event: Omit<NewAuditEvent, 'action'>, now: Date): Promise<RevokeResult> {
    return this.accountability.revokeKey(id, event, now.getTime());
  }

  touchKey(id: string, at: Date): Promise<void> {
    return this.accountability.touchKey(id, at.getTime());
  }

  recordEvent(event: NewAuditEvent): Promise<void> {
    return this.accountability.insertEvent(this.pool, event);
  }

  listEvents(filter: AuditFilter): Promise<Page<AuditRecord>> {
    return this.accountability.listEvents(filter);
  }

  listVersions(contextId: string, perPage: number, after?: string): Promise<Page<VersionRecord> | null> {
    return this.accountability.listVersions(contextId, perPage, after);
  }

  getVersion(contextId: string, version: number): Promise<VersionWithText | null> {
    return this.accountability.versionWithText(this.pool, contextId, version);
  }

  restoreVersion(contextId: string, version: number, meta: WriteMeta, ifMatchVersion?: number): Promise<RestoreVersionResult> {
    const acc = this.accountability;
    return inTransaction(this.pool, async (q): Promise<RestoreVersionResult> => {
      const row = (await q.query<ContextRow>(`SELECT ${FULL_COLUMNS} FROM execution_contexts WHERE id = $1 FOR UPDATE`, [contextId]))
        .rows[0];
      if (row === undefined) return { kind: 'not_found' };
      if (ifMatchVersion !== undefined && row.version !== ifMatchVersion) return { kind: 'precondition_failed', current: toStored(row) };
      const source = await acc.versionWithText(q, contextId, version);
      if (source === null) return { kind: 'version_not_found' };
      const { next, write } = versionWrite(row, source.session_id, source.context_json);
      await acc.recordChange(q, next, 'restore', 'context.restored', meta, row, { from_version: version }, next.updated_at, write);
      return { kind: 'restored', stored: toStored(next) };
    });
  }

  listDeleted(filter: DeletedFilter): Promise<Page<DeletedRecord>> {
    return this.accountability.listDeleted(filter);
  }

  undelete(id: string, meta: WriteMeta): Promise<UndeleteResult> {
    const acc = this.accountability;
    return inTransaction(this.pool, async (q): Promise<UndeleteResult> => {
      const deleted = await acc.deletedRow(q, id, true);
      if (deleted === undefined) return { kind: 'not_found' };
      const live = await q.query('SELECT 1 FROM execution_contexts WHERE id = $1', [id]);
      if ((live.rowCount ?? 0) > 0) return { kind: 'exists' };
      const at = Date.now();
      const row: ContextRow = {
        id,
        agent_id: deleted.agent_id,
        workflow_id: deleted.workflow_id,
        session_id: deleted.session_id,
        status: deleted.status,
        created_at: deleted.created_at,
        updated_at: Math.max(at, deleted.updated_at),
        // The restore continues the numbering after the delete's version.
        version: deleted.version + 1,
        context_json: deleted.context_json,
      };
      await q.query(
        `INSERT INTO execution_contexts
           (id, agent_id, workflow_id, session_id, status, created_at, updated_at, context_size, context_json, version, search_text)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
        [
          row.id,
          row.agent_id,
          row.workflow_id,
          row.session_id,
          row.status,
          row.created_at,
          row.updated_at,
          row.context_json === null ? 0 : utf8Length(row.context_json),
          row.context_json,
          row.version,
          row.context_json === null ? null : searchTextOf(row.context_json),
        ],
      );
      await acc.removeDeleted(q, id);
      await acc.recordChange(
        q,
        row,
        'restore',
        'context.undeleted',
        meta,
        { version: deleted.version, context_json: deleted.context_json },
        deleted.delete_job ? { delete_job: deleted.delete_job } : {},
        at,
      );
      return { kind: 'restored', stored: toStored(row) };
    });
  }

  erase(id: string, actor: Actor | null, clientIp: string | null): Promise<boolean> {
    return this.accountability.erase(id, actor, clientIp, 'admin');
  }

  prune(limits: PruneLimits, _now: Date): Promise<PruneReport> {
    return this.accountability.prune(limits);
  }

  /**
   * Builds the trigram index when it is not valid (after a bulk load): this instance builds
   * it if no other one is (buildSearchIndex), else waits for the other's. Resolves when it
   * is valid, to the build's seconds (null: nothing to build here). The server runs it in
   * the background (startBackgroundWork); the benchmarks await it.
   */
  async ensureSearchIndex(): Promise<number | null> {
    const started = performance.now();
    for (;;) {
      if (this.closed) return null;
      const outcome = await buildSearchIndex(this.pool, (pid) => (this.buildingPid = pid)).finally(() => (this.buildingPid = null));
      if (outcome !== 'busy') {
        this.searchIndexReady = true;
        return outcome === 'built' ? (performance.now() - started) / 1000 : null;
      }
      // Another instance builds it: look again shortly.
      await new Promise((resolve) => setTimeout(resolve, SEARCH_INDEX_POLL_MS).unref());
      if ((await searchIndexState(this.pool)) === 'valid') {
        this.searchIndexReady = true;
        return null;
      }
    }
  }

  /**
   * The server's background work: every searchIndexWatchMs it checks the trigram index
   * (one catalog query); when it is not valid (a bulk load dropped it, here or in another
   * process) searches stop using it and it is built again without blocking writes
   * (ensureSearchIndex; one instance builds, the others wait for it). A failure is
   * reported to `onError` and retried a minute later. Stops at close (a build in progress
   * is cancelled; the next start rebuilds it).
   */
  startBackgroundWork(onError: (error: Error) => void = () => {}): void {
    if (this.backgroundTimer !== null) return;
    const schedule = (ms: number): void => {
      if (this.closed) return;
      this.backgroundTimer = setTimeout(run, ms);
      this.backgroundTimer.unref();
    };
    const run = (): void => {
      if (this.closed) return;
      searchIndexState(this.pool)
        .then(async (state) => {
          this.searchIndexReady = state === 'valid';
          if (!this.searchIndexReady) await this.ensureSearchIndex();
        })
        .then(
          () => schedule(this.searchIndexWatchMs),
          (error: unknown) => {
            if (this.closed) return;
            onError(error instanceof Error ? error : new Error(String(error)));
            schedule(60_000);
          },
        );
    };
    schedule(0);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    clearInterval(this.purgeTimer);
    if (this.backgroundTimer !== null) clearTimeout(this.backgroundTimer);
    // A build in progress would hold its connection (and so pool.end) for minutes.
    if (this.buildingPid !== null) await this.pool.query('SELECT pg_cancel_backend($1)', [this.buildingPid]).catch(() => {});
    await this.pool.end();
  }
}

/**
 * Opens a pool on `options.connectionString`, migrates the schema (under the advisory
 * lock) and returns the store. Rejects when the database cannot be reached at start or its
 * schema is newer than this build (SchemaTooNewError): the server then exits with a clear
 * message rather than serving errors.
 */
export async function openPostgresStore(options: PostgresStoreOptions): Promise<PostgresContextStore> {
  const statementTimeout = options.statementTimeoutMs ?? 15_000;
  const ssl = sslConfig(options);
  const pool = new pg.Pool({
    connectionString: options.connectionString,
    max: options.poolSize ?? 10,
    connectionTimeoutMillis: options.connectTimeoutMs ?? 5_000,
    idleTimeoutMillis: 30_000,
    // Server-side limit per statement; the client-side one (a little longer) also catches
    // a server that vanished without closing the socket.
    ...(statementTimeout > 0 ? { statement_timeout: statementTimeout, query_timeout: statementTimeout + 2_000 } : {}),
    keepAlive: true,
    application_name: 'execution-context-console',
    // Every list query has an index that yields its rows already in list order (see the
    // migration); sorting is never needed. With a small or skewed match set the planner may
    // still prefer "find the matches, then sort them", which turns into sorting tens of
    // thousands of rows per page as the table grows. Disabling sort for this application's
    // sessions pins the ordered index walks, as INDEXED BY does on SQLite. (No other query
    // of the app sorts more than the three api_keys rows, which still works: a disabled
    // node is only penalised, never refused.)
    options: '-c enable_sort=off',
    ...(ssl !== undefined ? { ssl } : {}),
    types,
  });
  // Without a listener, an idle connection dropped by the server (restart, failover)
  // would be an uncaught 'error' event and end the process.
  pool.on('error', (error) => options.onPoolError?.(error));
  try {
    if (options.migrate !== false) {
      await migrate(pool);
      // Normally none: only a bulk load that died before rebuilding them leaves any out.
      await ensureListIndexes(pool);
    }
  } catch (error) {
    await pool.end().catch(() => {});
    throw error;
  }
  const store = new PostgresContextStore(pool, options);
  if (options.migrate !== false) await store.backfillSearchText();
  // Unknown (the database unreachable at open, which migrate: false allows): without the
  // index until the background work finds it valid.
  store.searchIndexReady = await searchIndexState(pool).then(
    (state) => state === 'valid',
    () => false,
  );
  return store;
}
