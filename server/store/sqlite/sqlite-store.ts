/**
 * ContextStore on an embedded SQLite database (better-sqlite3, synchronous): the default
 * when no DATABASE_URL is set. One server process per file.
 *
 * better-sqlite3 runs every statement to completion on the calling thread, so within one
 * process no two store calls interleave (the async methods resolve at once); the IMMEDIATE
 * transactions below additionally make the read-check-write sequences atomic against other
 * processes opening the same file (the seed CLI).
 */
import path from 'node:path';
import Database from 'better-sqlite3';
import { RateLimiterMemory, type RateLimiterAbstract } from 'rate-limiter-flexible';
import { monotonicFactory, ulid } from 'ulid';
import {
  CONTEXT_PREVIEW_CHARS,
  isInUse,
  type ContextStatus,
  type ExecutionContextSummary,
  type ListQuery,
  type Role,
} from '../../../contract/index';
import { makeDatabaseFilesPrivate, type Warn } from '../../private-files';
import { prepareContext, type PreparedContext } from '../prepared';
import {
  newestFirst,
  pageOf,
  planList,
  toStored,
  utf8Length,
  type ContextRow,
  type ListPlan,
  type SummaryRow,
} from '../rows';
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
import { migrate, SCHEMA_VERSION } from './migrations';
import { SAFETY_AUTOCHECKPOINT_PAGES, startCheckpointer, type Checkpointer, type CheckpointResult } from './checkpointer';
import { buildSearch, ftsAllOf, registerSearchFunctions, type SearchIndexControl, type SqlCall } from './search';
import { searchTextOf } from '../../../contract/search/search-text';
import { DEFAULT_SEARCH_SCAN_ROWS, INDEX_CANDIDATES, searchPageOf, type SearchFind, type SearchLimits } from '../search';
import { SqliteAccountability } from './accountability';
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

export const DATABASE_FILE = 'contexts.sqlite';

/** Rows per transaction in insertMany: large enough to amortise commits, small enough to
 *  keep the WAL (and the memory held by one batch) bounded. */
const INSERT_BATCH = 10_000;

const BASE_COLUMNS = 'id, agent_id, workflow_id, session_id, status, created_at, updated_at, version';
const FULL_COLUMNS = `${BASE_COLUMNS}, context_json`;
/**
 * How many rows the search walk examines in the time the index way takes per candidate:
 * the walk reads an index entry and probes the candidate set per row (~0.2 µs), the index
 * way looks a candidate's row up and checks its search text (~8 µs), both CPU time on the
 * demo data at 100,000 contexts. The walk is taken when it expects to examine fewer rows
 * than this many per candidate (a little below the measured ratio of ~40).
 */
const WALK_ROWS_PER_CANDIDATE = 30;
const MAX_ROWID_SQL = 'SELECT max(rowid) FROM execution_contexts';
/** How many of q's trigrams (the rarest) name its index candidates (rarestTrigrams). */
const MATCH_TRIGRAMS = 3;
/** Contexts a trigram's rarity probe reads at most (rarestTrigrams). */
const TRIGRAM_SAMPLE = 64;
const TRIGRAM_PROBE_SQL = 'SELECT rowid FROM context_search WHERE context_search MATCH ? LIMIT 1 OFFSET ?';
/** Contexts whose search text is not in the trigram index (migration 5): candidates of every q. */
const UNINDEXED_SQL = 'SELECT rowid FROM context_search_unindexed LIMIT ?';
/**
 * Search text the background indexer moves into the trigram index per transaction, at
 * most (characters; at least one context): ~25 ms of FTS5 work on the server's thread, so
 * a request waits at most about that long behind it (~11 % slower overall than indexing
 * 5,000 contexts per transaction, measured at 100,000 demo contexts).
 */
const INDEXER_CHUNK_CHARS = 256 * 1024;
/** SQLite's default wal_autocheckpoint (pages), used when no background checkpointer runs. */
const DEFAULT_AUTOCHECKPOINT_PAGES = 1000;
/** How often an idle background indexer looks for pending contexts (a bulk load by another process). */
const INDEXER_IDLE_MS = 5_000;
// SQLite's substr counts code points, JS's slice counts UTF-16 units. Every code point is one
// or two units, so N code points always hold at least N units: cutting those in JS to N
// units gives exactly what toSummary() computes from the full text, astral characters and
// all, while SQLite still hands over only a few hundred bytes of a 2 MB context.
const SUMMARY_COLUMNS = `${BASE_COLUMNS}, context_size, substr(context_json, 1, ${CONTEXT_PREVIEW_CHARS}) AS context_head`;

// ---------------------------------------------------------------------------------------
// List queries

export type ListIndex = 'ix_ctx_created' | 'ix_ctx_agent' | 'ix_ctx_workflow' | 'ix_ctx_status';

export interface BuiltListQuery {
  sql: string;
  params: Array<string | number>;
  index: ListIndex;
  perPage: number;
  /**
   * True when the rows come back in rowid order and must be put in list order by the
   * caller (the merged multi-status query; at most per_page + 1 rows).
   */
  needsSort: boolean;
}

/**
 * Builds the SQL of one list page. Exported for the query-plan tests.
 *
 * The index is pinned with INDEXED BY rather than left to the planner: every chosen index
 * yields rows already in (created_at, id) order, walked backwards, and pinning keeps it
 * that way whatever statistics a future ANALYZE collects (a planner that thinks
 * `status IN (…)` is selective looks the statuses up and then sorts the whole match set).
 *
 * - agent_id / workflow_id: that column's index; any other filter is checked in-index
 *   (status and updated_at are trailing columns), except workflow_id next to agent_id.
 * - one status: the status index.
 * - several statuses, nothing else to seek on: one ordered seek per status in the status
 *   index, merged (MERGE UNION ALL, no sort), so rare statuses cost no more than common
 *   ones. The arms read only index columns; the page's rowids then fetch the rows, so an
 *   OFFSET skips index entries, not table rows.
 * - otherwise: the created_at index.
 */
export function buildListQuery(query: ListQuery): BuiltListQuery {
  const plan = planList(query);
  const { statuses } = plan;
  const merged = statuses.length > 1 && plan.agentId === undefined && plan.workflowId === undefined;

  let index: ListIndex;
  if (plan.agentId !== undefined) index = 'ix_ctx_agent';
  else if (plan.workflowId !== undefined) index = 'ix_ctx_workflow';
  else if (statuses.length >= 1) index = 'ix_ctx_status';
  else index = 'ix_ctx_created';

  // Conditions other than status, shared by every arm of a merged query.
  const where: string[] = [];
  const params: Array<string | number> = [];
  if (plan.agentId !== undefined) {
    where.push('agent_id = ?');
    params.push(plan.agentId);
  }
  if (plan.workflowId !== undefined) {
    where.push('workflow_id = ?');
    params.push(plan.workflowId);
  }
  if (plan.updatedBefore !== undefined) {
    where.push('updated_at < ?');
    params.push(plan.updatedBefore);
  }
  // Only the tighter of cursor and updated_before starts the walk (see planList), so
  // SQLite seeks to it instead of filtering everything between them.
  if (plan.startBefore?.id !== undefined) {
    where.push('(created_at, id) < (?, ?)');
    params.push(plan.startBefore.createdAt, plan.startBefore.id);
  } else if (plan.startBefore !== undefined) {
    where.push('created_at < ?');
    params.push(plan.startBefore.createdAt);
  }
  const columns = plan.view === 'summary' ? SUMMARY_COLUMNS : FULL_COLUMNS;
  const order = ' ORDER BY created_at DESC, id DESC LIMIT ? OFFSET ?';

  if (merged) {
    const arm = `SELECT rowid AS rid, created_at, id FROM execution_contexts INDEXED BY ix_ctx_status WHERE ${[
      'status = ?',
      ...where,
    ].join(' AND ')}`;
    const sql =
      `SELECT ${columns} FROM execution_contexts WHERE rowid IN ` +
      `(SELECT rid FROM (${statuses.map(() => arm).join(' UNION ALL ')}${order}))`;
    const allParams = statuses.flatMap((status) => [status, ...params]);
    allParams.push(plan.limit, plan.offset);
    return { sql, params: allParams, index, perPage: plan.perPage, needsSort: true };
  }

  if (statuses.length === 1) {
    where.push('status = ?');
    params.push(statuses[0] as string);
  } else if (statuses.length > 1) {
    where.push(`status IN (${statuses.map(() => '?').join(', ')})`);
    params.push(...statuses);
  }
  params.push(plan.limit, plan.offset);
  const sql =
    `SELECT ${columns} FROM execution_contexts INDEXED BY ${index}` +
    (where.length > 0 ? ` WHERE ${where.join(' AND ')}` : '') +
    order;
  return { sql, params, index, perPage: plan.perPage, needsSort: false };
}

// ---------------------------------------------------------------------------------------

/** Every fixed statement, prepared once per connection. */
function prepareStatements(db: Database.Database) {
  return {
    get: db.prepare<[string], ContextRow>(`SELECT ${FULL_COLUMNS} FROM execution_contexts WHERE id = ?`),
    status: db.prepare<[string], { status: ContextStatus }>('SELECT status FROM execution_contexts WHERE id = ?'),
    insert: db.prepare<[string, string | null, string | null, string | null, string, number, number, number, string | null]>(
      `INSERT INTO execution_contexts
         (id, agent_id, workflow_id, session_id, status, created_at, updated_at, context_size, context_json)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ),
    update: db.prepare<[string | null, string | null, number, number, string, number]>(
      `UPDATE execution_contexts
          SET session_id = ?, context_json = ?, context_size = ?, updated_at = ?, version = version + 1
        WHERE id = ? AND version = ?`,
    ),
    insertWithVersion: db.prepare<
      [string, string | null, string | null, string | null, string, number, number, number, string | null, number]
    >(
      `INSERT INTO execution_contexts
         (id, agent_id, workflow_id, session_id, status, created_at, updated_at, context_size, context_json, version)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ),
    delete: db.prepare<[string]>('DELETE FROM execution_contexts WHERE id = ?'),
    count: db.prepare<[], number>('SELECT count(*) FROM execution_contexts').pluck(),
    upsertKey: db.prepare<[Role, string]>(
      'INSERT INTO api_keys (role, key_hash) VALUES (?, ?) ON CONFLICT (role) DO UPDATE SET key_hash = excluded.key_hash',
    ),
    keys: db.prepare<[], { role: Role; keyHash: string }>('SELECT role, key_hash AS keyHash FROM api_keys ORDER BY role'),
    createSession: db.prepare<[string, Role, string, number, string | null]>(
      'INSERT OR REPLACE INTO sessions (token_hash, role, key_hash, expires_at, key_id) VALUES (?, ?, ?, ?, ?)',
    ),
    purgeSessions: db.prepare<[number]>('DELETE FROM sessions WHERE expires_at <= ?'),
    // A session lives only as long as the key it was opened with is active (not revoked,
    // not replaced by a new environment/key-file key).
    findSession: db.prepare<[string, number], SessionKey>(
      `SELECT s.role, s.key_hash AS keyHash, k.id AS keyId, k.name FROM sessions s
         JOIN keys k ON k.role = s.role AND k.key_hash = s.key_hash AND k.revoked_at IS NULL
        WHERE s.token_hash = ? AND s.expires_at > ?`,
    ),
    deleteSession: db.prepare<[string]>('DELETE FROM sessions WHERE token_hash = ?'),
  };
}

export interface SqliteStoreOptions extends SearchLimits {
  /**
   * Largest context (UTF-8 bytes of its JSON) whose search text is trigram-indexed; larger
   * ones are checked exactly by every search (default SEARCH_INDEX_MAX_BYTES, 256 KiB).
   */
  searchIndexMaxBytes?: number;
  /** Database file name inside dataDir (tests and the benchmark use the default). */
  fileName?: string;
  /** Told about each existing path that was open to others and had to be narrowed. */
  warn?: Warn;
}

export class SqliteContextStore implements ContextStore {
  readonly engine = 'sqlite' as const;
  /** One process per file: rate limits stay in that process's memory. */
  readonly shared = false;
  readonly db: Database.Database;
  /** ids of create(): monotonic, so two creates in the same millisecond still sort by age. */
  private readonly nextId = monotonicFactory();
  /** List SQL varies with the filter combination; a few dozen shapes at most. */
  private readonly listStatements = new Map<string, Database.Statement<Array<string | number>>>();

  private readonly stmt: ReturnType<typeof prepareStatements>;
  private readonly updateTx: Database.Transaction<
    (id: string, changes: ContextChanges, ifMatchVersion: number | undefined, meta: WriteMeta | undefined) => UpdateResult
  >;
  private readonly deleteTx: Database.Transaction<(id: string, meta: WriteMeta | undefined) => DeleteResult>;
  private readonly createTx: Database.Transaction<(id: string, row: PreparedContext, meta: WriteMeta | undefined) => void>;
  /** Writes a context's search text where its size puts it (see indexSearchText). */
  private readonly searchWrites: {
    indexed: Database.Statement<[number | bigint, string]>;
    unindexed: Database.Statement<[number | bigint, string, number]>;
    rowidOf: Database.Statement<[string], number>;
  };
  /** Keys, versions, deleted contexts and audit events (issue 11). */
  readonly accountability: SqliteAccountability;
  private readonly insertBatch: Database.Transaction<(batch: PreparedContext[]) => void>;

  private readonly searchScanRows: number;
  private readonly searchIndexCandidates: number;
  /** Whether the triggers write search texts (off while the store writes one itself: withoutSearchTrigger). */
  private readonly searchIndex: SearchIndexControl;
  /**
   * Inside beginBulkLoad: insertBatch leaves the search texts pending (migration 5) for the
   * background indexer instead of indexing them in the load's transactions.
   */
  private deferIndexing = false;
  /** The background indexer's next run (startBackgroundWork), until close. */
  private indexerTimer: NodeJS.Timeout | null = null;
  /** WAL checkpoints on a worker thread (startBackgroundWork), until close. */
  private checkpointer: Checkpointer | null = null;
  /** This connection's wal_autocheckpoint outside bulk loads (pages). */
  private autocheckpointPages = DEFAULT_AUTOCHECKPOINT_PAGES;
  private readonly indexChunk: Database.Transaction<(maxChars: number) => number>;

  constructor(readonly filePath: string, limits: SqliteStoreOptions = {}) {
    this.searchScanRows = limits.searchScanRows ?? DEFAULT_SEARCH_SCAN_ROWS;
    this.searchIndexCandidates = limits.searchIndexCandidates ?? INDEX_CANDIDATES;
    this.db = new Database(filePath);
    // Only takes effect on a new, empty file (before WAL is on). 8 KiB pages pack the typical
    // 1–2 KB context rows with less slack than 4 KiB ones (about 10% smaller files at 1M rows).
    this.db.pragma('page_size = 8192');
    // WAL: readers never block the writer and a commit is one sequential append.
    this.db.pragma('journal_mode = WAL');
    // synchronous=NORMAL in WAL mode does not fsync at each commit, only at checkpoints. A
    // committed transaction is in the WAL file (the OS page cache) before the call returns,
    // so it survives the process being killed (SIGKILL, OOM, crash); only an OS crash or
    // power loss can roll back the last commits, never corrupt the file. That is the
    // guarantee this server needs ("every acknowledged write survives a killed process")
    // at a fraction of FULL's cost per write.
    this.db.pragma('synchronous = NORMAL');
    // Another process (seed CLI, a second server) may hold the write lock briefly.
    this.db.pragma('busy_timeout = 5000');
    this.db.pragma('cache_size = -65536'); // 64 MiB: the list indexes of 1M rows stay hot
    this.db.pragma('temp_store = MEMORY');
    // Keep the WAL from staying at its high-water mark after a bulk seed.
    this.db.pragma('journal_size_limit = 67108864');
    // A deleted context may be an erasure request: overwrite its bytes with zeros instead of
    // leaving them in the page's free space (SECURITY.md, "Retention and erasure").
    this.db.pragma('secure_delete = ON');
    // Before migrating: the search migration and the search triggers call them.
    this.searchIndex = registerSearchFunctions(this.db, limits.searchIndexMaxBytes);
    migrate(this.db);

    const db = this.db;
    this.stmt = prepareStatements(db);
    this.accountability = new SqliteAccountability(db);
    const acc = this.accountability;

    this.updateTx = db.transaction(
      (id: string, changes: ContextChanges, ifMatchVersion: number | undefined, meta: WriteMeta | undefined): UpdateResult => {
        const row = this.stmt.get.get(id);
        if (row === undefined) return { kind: 'not_found' };
        if (ifMatchVersion !== undefined && row.version !== ifMatchVersion) {
          return { kind: 'precondition_failed', current: toStored(row) };
        }
        if (changes.context_json === undefined && changes.session_id === undefined) {
          return { kind: 'updated', stored: toStored(row) };
        }
        const sessionId = changes.session_id === undefined ? row.session_id : changes.session_id;
        const json = changes.context_json === undefined ? row.context_json : changes.context_json;
        // Never let updated_at go backwards (clock steps) or before created_at.
        const updatedAt = Math.max(Date.now(), row.updated_at, row.created_at);
        const size = json === null ? 0 : utf8Length(json);
        // A search text the caller computed (the body parser's) is written here, not by
        // the trigger (which still removes the old one). The same text again: the trigger
        // does not fire and the stored search text stays as it is.
        const searchText =
          changes.context_json !== undefined && json !== null && json !== row.context_json ? changes.search_text : undefined;
        const update = () => this.stmt.update.run(sessionId, json, size, updatedAt, id, row.version);
        const result = searchText === undefined ? update() : this.withoutSearchTrigger(update);
        if (result.changes !== 1) throw new Error(`update of ${id} lost its row inside a transaction`);
        if (searchText !== undefined) this.indexSearchText(this.searchWrites.rowidOf.get(id) as number, size, searchText);
        if (meta !== undefined) {
          acc.recordChange(
            { id, version: row.version + 1, session_id: sessionId, context_json: json, context_size: size },
            'update',
            'context.updated',
            meta,
            { version: row.version, context_json: row.context_json },
            {},
            updatedAt,
          );
        }
        return {
          kind: 'updated',
          stored: toStored({
            ...row,
            session_id: sessionId,
            context_json: json,
            updated_at: updatedAt,
            version: row.version + 1,
          }),
        };
      },
    );

    this.deleteTx = db.transaction((id: string, meta: WriteMeta | undefined): DeleteResult => {
      const row = this.stmt.get.get(id);
      if (row === undefined) return { kind: 'not_found' };
      if (isInUse(row.status)) return { kind: 'in_use', status: row.status };
      this.stmt.delete.run(id);
      if (meta !== undefined) {
        const at = Date.now();
        const version = row.version + 1;
        if (meta.keepDeleted) {
          // The delete is a version too (its content is the last content), so that a restore
          // continues the same numbering and ETags never repeat.
          acc.recordChange({ ...row, version }, 'delete', 'context.deleted', meta, row, deleteDetails(meta), at);
          acc.keepDeleted({ ...row, version }, meta, at);
        } else {
          // Final: the context and all its versions are gone; the event says so, without content.
          acc.eraseVersionsOf(id);
          acc.insertEvent(
            {
              action: 'context.deleted',
              actor: meta.actor,
              context_id: id,
              version: null,
              client_ip: meta.client_ip,
              details: { ...deleteDetails(meta), final: true },
            },
            at,
          );
        }
      }
      return { kind: 'deleted' };
    });

    this.searchWrites = {
      indexed: db.prepare('INSERT INTO context_search (rowid, text) VALUES (?, ?)'),
      unindexed: db.prepare('INSERT INTO context_search_unindexed (rowid, text, pending) VALUES (?, ?, ?)'),
      rowidOf: db.prepare<[string], number>('SELECT rowid FROM execution_contexts WHERE id = ?').pluck(),
    };
    this.createTx = db.transaction((id: string, row: PreparedContext, meta: WriteMeta | undefined) => {
      if (row.search_text !== undefined && row.context_json !== null) {
        // The caller's search text (the body parser's): written here, not by the trigger.
        const { lastInsertRowid } = this.withoutSearchTrigger(() => this.writeRow(id, row));
        this.indexSearchText(lastInsertRowid, utf8Length(row.context_json), row.search_text);
      } else {
        this.writeRow(id, row);
      }
      if (meta === undefined) return;
      acc.recordChange(
        { id, version: 1, session_id: row.session_id, context_json: row.context_json },
        'create',
        'context.created',
        meta,
        null,
        {},
        row.created_at,
      );
    });

    // The contexts first, then their index rows in one run (see SearchIndexControl: the
    // trigger would flush FTS5's pending data to disk once per row). A context too large
    // for the index, and every context of a bulk load, keeps its text unindexed instead
    // (migration 5), the latter pending for the background indexer.
    const insertSearch = this.searchWrites.indexed;
    const insertUnindexed = this.searchWrites.unindexed;
    this.insertBatch = db.transaction((batch: PreparedContext[]) => {
      const indexed: Array<[number | bigint, string]> = [];
      this.withoutSearchTrigger(() => {
        for (const row of batch) {
          const { lastInsertRowid } = this.writeRow(`ctx_${ulid(row.created_at, Math.random)}`, row);
          if (row.context_json === null) continue;
          // The seed worker computes the search text off this thread; else it is done here.
          const text = row.search_text ?? searchTextOf(row.context_json);
          if (utf8Length(row.context_json) > this.searchIndex.maxIndexedBytes) insertUnindexed.run(lastInsertRowid, text, 0);
          else if (this.deferIndexing) insertUnindexed.run(lastInsertRowid, text, 1);
          else indexed.push([lastInsertRowid, text]);
        }
      });
      for (const [rowid, text] of indexed) insertSearch.run(rowid, text);
    });

    // One step of the background indexer: the oldest pending texts, up to maxChars in all
    // (at least one), moved into the trigram index.
    const pendingChunk = db.prepare<[number]>(
      `SELECT rowid, text FROM (
         SELECT rowid, text, sum(length(text)) OVER (ORDER BY rowid) - length(text) AS before
         FROM (SELECT rowid, text FROM context_search_unindexed WHERE pending = 1 ORDER BY rowid LIMIT 500))
       WHERE before < ?`,
    );
    const dropPending = db.prepare<[number]>('DELETE FROM context_search_unindexed WHERE rowid = ?');
    this.indexChunk = db.transaction((maxChars: number) => {
      const rows = pendingChunk.all(maxChars) as Array<{ rowid: number; text: string }>;
      for (const { rowid, text } of rows) {
        dropPending.run(rowid);
        insertSearch.run(rowid, text);
      }
      return rows.length;
    });
  }

  list(query: ListQuery & { view: 'full' }): Promise<ListPage<ContextRecord>>;
  list(query: ListQuery & { view: 'summary' }): Promise<ListPage<ExecutionContextSummary>>;
  list(query: ListQuery): Promise<ListPage<ContextRecord> | ListPage<ExecutionContextSummary>>;
  async list(query: ListQuery): Promise<ListPage<ContextRecord> | ListPage<ExecutionContextSummary>> {
    return this.listSync(query);
  }

  /** `list`, synchronously (tests and the benchmark's input picking). */
  listSync(query: ListQuery): ListPage<ContextRecord> | ListPage<ExecutionContextSummary> {
    const plan = planList(query);
    if (plan.search !== undefined) return searchPageOf(plan, this.findSync(plan));
    const built = buildListQuery(query);
    let statement = this.listStatements.get(built.sql);
    if (statement === undefined) {
      statement = this.db.prepare<Array<string | number>>(built.sql);
      this.listStatements.set(built.sql, statement);
    }
    const rows = statement.all(...built.params) as Array<ContextRow | SummaryRow>;
    if (built.needsSort) rows.sort(newestFirst);
    return pageOf(planList(query), rows);
  }

  /**
   * A search page's matches (see ../search.ts). One read transaction: a consistent view.
   * With q, the index is asked once for q's candidates (at most searchIndexCandidates + 1
   * rowids); then the cheapest way that uses them:
   * - few candidates for the list's size: each looked up and checked (the index way);
   * - many: the walk along the list order, which reaches the page's last match after
   *   about wanted × contexts / candidates rows and checks only candidates exactly;
   * - more than searchIndexCandidates: the bounded scan, checking every row it examines.
   * Without q, the bounded scan.
   */
  private findSync(plan: ListPlan): SearchFind {
    const columns = plan.view === 'summary' ? SUMMARY_COLUMNS : FULL_COLUMNS;
    const built = buildSearch(plan, columns, this.searchIndexCandidates);
    const rowsOf = (call: SqlCall): Array<ContextRow | SummaryRow> =>
      this.prepared(call.sql).all(...call.params) as Array<ContextRow | SummaryRow>;
    const run = this.db.transaction((): SearchFind => {
      if (built.candidates !== null && built.byIndex !== null && built.walk !== null) {
        const call = built.candidates(ftsAllOf(this.rarestTrigrams(built.trigrams)));
        const indexed = this.prepared(call.sql).pluck().all(...call.params) as number[];
        // Every context kept out of the index is a candidate too (checked exactly like the
        // others): the too-large few, and a bulk load's until the background indexer is
        // done (then usually too many: the scan way).
        const room = this.searchIndexCandidates - indexed.length;
        const unindexed = room < 0 ? [] : (this.prepared(UNINDEXED_SQL).pluck().all(room + 1) as number[]);
        const rowids = unindexed.length === 0 ? indexed : indexed.concat(unindexed);
        if (rowids.length <= this.searchIndexCandidates) {
          const list = JSON.stringify(rowids); // fidelity-ok: rowids (integers), no context
          const wanted = plan.skip + plan.perPage + 1;
          // max(rowid) is one B-tree descent; rowids only grow, so it bounds the row count.
          const contexts = (this.prepared(MAX_ROWID_SQL).pluck().get() as number | null) ?? 0;
          const walkRows = (wanted * contexts) / Math.max(1, rowids.length);
          const rows = walkRows < rowids.length * WALK_ROWS_PER_CANDIDATE ? rowsOf(built.walk(list)) : rowsOf(built.byIndex(list));
          return { rows, stoppedAt: null };
        }
      }
      const rows = rowsOf(built.scan(this.searchScanRows));
      const end = built.windowEnd(this.searchScanRows);
      const [last, next] = this.prepared(end.sql).all(...end.params) as Array<{ created_at: number; id: string }>;
      // The scan stopped early only when a row follows the last one it examined.
      return { rows, stoppedAt: last !== undefined && next !== undefined ? { created_at: last.created_at, id: last.id } : null };
    });
    return run.deferred();
  }

  /**
   * The MATCH_TRIGRAMS rarest of q's trigrams (all of them when q has no more). An FTS5 AND
   * costs about the length of every trigram's list of contexts, and a q's common trigrams
   * (`exa`, `com`) are in nearly every context, while its rarest few already name about
   * the same contexts as all of them (the exact check removes the rest). A trigram's
   * rarity: the rowid of its TRIGRAM_SAMPLE-th context (rowids grow with time, so a rarer
   * trigram's sample reaches further; absent: fewer contexts than that hold it at all).
   * Each probe reads at most TRIGRAM_SAMPLE entries of one list.
   */
  private rarestTrigrams(trigrams: string[]): string[] {
    if (trigrams.length <= MATCH_TRIGRAMS) return trigrams;
    const probe = this.prepared(TRIGRAM_PROBE_SQL).pluck();
    return trigrams
      .map((trigram) => ({ trigram, reach: (probe.get(trigram, TRIGRAM_SAMPLE - 1) as number | undefined) ?? Infinity }))
      .sort((a, b) => b.reach - a.reach)
      .slice(0, MATCH_TRIGRAMS)
      .map((t) => t.trigram);
  }

  /** A statement of a search (a few dozen shapes), prepared once. */
  private prepared(sql: string): Database.Statement<Array<string | number>> {
    let statement = this.listStatements.get(sql);
    if (statement === undefined) {
      statement = this.db.prepare<Array<string | number>>(sql);
      this.listStatements.set(sql, statement);
    }
    return statement;
  }

  async get(id: string): Promise<StoredContext | null> {
    const row = this.stmt.get.get(id);
    return row === undefined ? null : toStored(row);
  }

  async create(input: NewContext, meta?: WriteMeta): Promise<StoredContext> {
    return this.createSync(input, meta);
  }

  /** `create`, synchronously (the crash-test writer acknowledges each commit at once). */
  createSync(input: NewContext, meta?: WriteMeta): StoredContext {
    const row = prepareContext(input);
    // Ids of live creates come from a monotonic factory: two creates in the same
    // millisecond still sort by age. A back-dated create gets an id of its own time.
    const id = `ctx_${input.created_at === undefined ? this.nextId(row.created_at) : ulid(row.created_at)}`;
    this.createTx.immediate(id, row, meta);
    return toStored({ ...row, id, version: 1 });
  }

  async insertMany(inputs: Iterable<NewContext>): Promise<number> {
    return this.insertPrepared(mapIterable(inputs, (input) => prepareContext(input)));
  }

  /**
   * insertMany for rows whose context is already serialised, one transaction per
   * INSERT_BATCH rows. Ids come from each row's created_at, so back-dated rows sort with
   * time; their random part uses Math.random: ids are opaque names, not secrets, and
   * crypto randomness per character was the largest single cost of seeding a million rows.
   */
  insertPrepared(rows: Iterable<PreparedContext>): number {
    let batch: PreparedContext[] = [];
    let total = 0;
    for (const row of rows) {
      batch.push(row);
      if (batch.length >= INSERT_BATCH) {
        this.insertBatch.immediate(batch);
        total += batch.length;
        batch = [];
      }
    }
    if (batch.length > 0) {
      this.insertBatch.immediate(batch);
      total += batch.length;
    }
    return total;
  }

  /**
   * For a long run of insertPrepared calls (the seed CLI): checkpoint the WAL every
   * ~128 MiB instead of every 8 MiB. Each checkpoint fsyncs, and at a million rows the
   * default cadence means hundreds of them. Returns the function that restores the
   * default and checkpoints what is left.
   */
  beginBulkLoad(): () => void {
    this.db.pragma(`wal_autocheckpoint = ${SAFETY_AUTOCHECKPOINT_PAGES}`);
    // FTS5 indexing is most of a bulk load's cost (~0.1 ms per demo context): the loaded
    // contexts are listed, read and searched at once (checked exactly) and join the trigram
    // index in the background (indexPendingSync).
    this.deferIndexing = true;
    return () => {
      this.deferIndexing = false;
      this.db.pragma(`wal_autocheckpoint = ${this.autocheckpointPages}`);
      this.db.pragma('wal_checkpoint(TRUNCATE)');
    };
  }

  /**
   * One step of the background indexer: moves the oldest pending search texts (a bulk
   * load's, migration 5) into the trigram index, about `maxChars` characters of text (at
   * least one context) in one write transaction. Returns how many contexts it moved (0:
   * none pending). Throws SQLITE_BUSY when another connection holds the write lock longer
   * than the busy timeout.
   */
  indexPendingSync(maxChars = INDEXER_CHUNK_CHARS): number {
    return this.indexChunk.immediate(maxChars);
  }

  /** How many contexts wait for the background indexer (a bulk load's). */
  pendingSearchCount(): number {
    return this.db.prepare('SELECT count(*) FROM context_search_unindexed WHERE pending = 1').pluck().get() as number;
  }

  /**
   * Starts the store's background work (the server calls this; the seed CLI does not):
   * - WAL checkpoints on a worker thread (checkpointer.ts), so that commits, large ones
   *   above all, no longer copy the WAL into the database inside a request;
   * - the search indexer: while contexts are pending it indexes a chunk
   *   (indexPendingSync), yields to the event loop and goes on; otherwise it looks again
   *   every INDEXER_IDLE_MS, for a bulk load by another process. It never waits for the
   *   write lock: a busy database skips a turn.
   * Both stop at close. `onError` hears of anything that failed (both retry).
   */
  startBackgroundWork(onError: (error: Error) => void = () => {}): void {
    if (this.indexerTimer !== null) return;
    this.checkpointer = startCheckpointer(this.filePath, onError, () => {
      // The worker is gone: commits checkpoint the WAL themselves again.
      this.checkpointer = null;
      this.setAutocheckpoint(DEFAULT_AUTOCHECKPOINT_PAGES);
    });
    this.setAutocheckpoint(SAFETY_AUTOCHECKPOINT_PAGES);
    const anyPending = this.db.prepare('SELECT 1 FROM context_search_unindexed WHERE pending = 1 LIMIT 1').pluck();
    const run = (): void => {
      if (!this.db.open) return;
      let moved = 0;
      try {
        if (anyPending.get() !== undefined) {
          // Never block the event loop on another connection's write lock.
          this.db.pragma('busy_timeout = 0');
          try {
            moved = this.indexPendingSync();
          } finally {
            this.db.pragma('busy_timeout = 5000');
          }
        }
      } catch (error) {
        const busy = error instanceof Database.SqliteError && error.code.startsWith('SQLITE_BUSY');
        if (!busy) onError(error instanceof Error ? error : new Error(String(error)));
      }
      this.indexerTimer = setTimeout(run, moved > 0 ? 0 : INDEXER_IDLE_MS);
      this.indexerTimer.unref();
    };
    this.indexerTimer = setTimeout(run, 0);
    this.indexerTimer.unref();
  }

  async update(id: string, changes: ContextChanges, ifMatchVersion?: number, meta?: WriteMeta): Promise<UpdateResult> {
    return this.updateSync(id, changes, ifMatchVersion, meta);
  }

  /** `update`, synchronously (see createSync). */
  updateSync(id: string, changes: ContextChanges, ifMatchVersion?: number, meta?: WriteMeta): UpdateResult {
    return this.updateTx.immediate(id, changes, ifMatchVersion, meta);
  }

  async delete(id: string, meta?: WriteMeta): Promise<DeleteResult> {
    return this.deleteTx.immediate(id, meta);
  }

  async count(): Promise<number> {
    return this.countSync();
  }

  /** `count`, synchronously. */
  countSync(): number {
    return this.stmt.count.get() ?? 0;
  }

  async upsertApiKey(role: Role, keyHash: string): Promise<void> {
    this.stmt.upsertKey.run(role, keyHash);
    this.accountability.syncRoleKey(role, keyHash, 'file', Date.now());
  }

  async apiKeyHashes(): Promise<Array<{ role: Role; keyHash: string }>> {
    return this.stmt.keys.all();
  }

  async createSession(tokenHash: string, role: Role, keyHash: string, expiresAt: Date, keyId: string | null = null): Promise<void> {
    // Sign-ins are rare and rate-limited: a good moment to drop the expired sessions.
    this.stmt.purgeSessions.run(Date.now());
    this.stmt.createSession.run(tokenHash, role, keyHash, expiresAt.getTime(), keyId);
  }

  async findSession(tokenHash: string, now: Date): Promise<SessionKey | null> {
    return this.stmt.findSession.get(tokenHash, now.getTime()) ?? null;
  }

  async deleteSession(tokenHash: string): Promise<void> {
    this.stmt.deleteSession.run(tokenHash);
  }

  async ping(): Promise<void> {
    // One trivial query that also proves the migrations ran (throws once the database
    // is closed or unreadable).
    const version = this.db.pragma('user_version', { simple: true }) as number;
    if (version !== SCHEMA_VERSION) {
      throw new Error(`the database schema is at version ${version}, this server needs ${SCHEMA_VERSION}`);
    }
  }

  /** SQLite has no outage to wait out: every error is a real one (500). */
  isUnavailable(_error: unknown): boolean {
    return false;
  }

  /** One process per file: the window's counters live in this process's memory. */
  rateLimiter(options: RateLimiterOptions): RateLimiterAbstract {
    return new RateLimiterMemory(options);
  }

  // ---- accountability (issue 11) ----

  async syncRoleKey(role: Role, keyHash: string, origin: Exclude<KeyOrigin, 'api'>, now: Date): Promise<KeyRecord> {
    return this.accountability.syncRoleKey(role, keyHash, origin, now.getTime());
  }

  async activeKeys(): Promise<KeyRecord[]> {
    return this.accountability.activeKeys();
  }

  async createKey(key: KeyRecord, event: NewAuditEvent): Promise<KeyRecord> {
    return this.accountability.createKey(key, event);
  }

  async revokeKey(id: string, event: Omit<NewAuditEvent, 'action'>, now: Date): Promise<RevokeResult> {
    return this.accountability.revokeKey(id, event, now.getTime());
  }

  async touchKey(id: string, at: Date): Promise<void> {
    this.accountability.touchKey(id, at.getTime());
  }

  async recordEvent(event: NewAuditEvent): Promise<void> {
    this.accountability.insertEvent(event);
  }

  async listEvents(filter: AuditFilter): Promise<Page<AuditRecord>> {
    return this.accountability.listEvents(filter);
  }

  async listVersions(contextId: string, perPage: number, after?: string): Promise<Page<VersionRecord> | null> {
    return this.accountability.listVersions(contextId, perPage, after);
  }

  async getVersion(contextId: string, version: number): Promise<VersionWithText | null> {
    return this.accountability.versionWithText(contextId, version);
  }

  async restoreVersion(contextId: string, version: number, meta: WriteMeta, ifMatchVersion?: number): Promise<RestoreVersionResult> {
    const acc = this.accountability;
    return this.db
      .transaction((): RestoreVersionResult => {
        const row = this.stmt.get.get(contextId);
        if (row === undefined) return { kind: 'not_found' };
        if (ifMatchVersion !== undefined && row.version !== ifMatchVersion) {
          return { kind: 'precondition_failed', current: toStored(row) };
        }
        const source = acc.versionWithText(contextId, version);
        if (source === null) return { kind: 'version_not_found' };
        const updatedAt = Math.max(Date.now(), row.updated_at, row.created_at);
        const json = source.context_json;
        this.stmt.update.run(source.session_id, json, json === null ? 0 : utf8Length(json), updatedAt, contextId, row.version);
        const next = { ...row, session_id: source.session_id, context_json: json, updated_at: updatedAt, version: row.version + 1 };
        acc.recordChange(next, 'restore', 'context.restored', meta, row, { from_version: version }, updatedAt);
        return { kind: 'restored', stored: toStored(next) };
      })
      .immediate();
  }

  async listDeleted(filter: DeletedFilter): Promise<Page<DeletedRecord>> {
    return this.accountability.listDeleted(filter);
  }

  async undelete(id: string, meta: WriteMeta): Promise<UndeleteResult> {
    const acc = this.accountability;
    return this.db
      .transaction((): UndeleteResult => {
        const deleted = acc.deletedRow(id);
        if (deleted === undefined) return { kind: 'not_found' };
        if (this.stmt.get.get(id) !== undefined) return { kind: 'exists' };
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
        this.stmt.insertWithVersion.run(
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
        );
        acc.removeDeleted(id);
        acc.recordChange(
          row,
          'restore',
          'context.undeleted',
          meta,
          { version: deleted.version, context_json: deleted.context_json },
          deleted.delete_job ? { delete_job: deleted.delete_job } : {},
          at,
        );
        return { kind: 'restored', stored: toStored(row) };
      })
      .immediate();
  }

  async erase(id: string, actor: Actor | null, clientIp: string | null): Promise<boolean> {
    return this.accountability.erase(id, actor, clientIp, 'admin');
  }

  async prune(limits: PruneLimits, now: Date): Promise<PruneReport> {
    return this.accountability.prune(limits, now.getTime());
  }

  async close(): Promise<void> {
    const checkpointer = this.checkpointer;
    this.checkpointer = null;
    await checkpointer?.stop();
    this.closeSync();
  }

  /** The background checkpointer's progress (startBackgroundWork), null when it does not run. */
  checkpointProgress(): { count: number; last: CheckpointResult | null } | null {
    return this.checkpointer === null ? null : { count: this.checkpointer.count, last: this.checkpointer.last };
  }

  private setAutocheckpoint(pages: number): void {
    this.autocheckpointPages = pages;
    if (this.db.open && !this.deferIndexing) this.db.pragma(`wal_autocheckpoint = ${pages}`);
  }

  /** `close`, synchronously (idempotent; the checkpointer's worker ends on its own). */
  closeSync(): void {
    void this.checkpointer?.stop();
    this.checkpointer = null;
    if (this.indexerTimer !== null) clearTimeout(this.indexerTimer);
    this.indexerTimer = null;
    if (this.db.open) this.db.close();
  }

  /**
   * Runs `write` with the search triggers' insert off (SearchIndexControl), for a write
   * whose search text the store then writes itself (given, or written in one run after a
   * batch). The triggers still remove an old text.
   */
  private withoutSearchTrigger<T>(write: () => T): T {
    this.searchIndex.byTrigger = false;
    try {
      return write();
    } finally {
      this.searchIndex.byTrigger = true;
    }
  }

  /**
   * A context's search text, where the triggers would put it (migration 5): the trigram
   * index, or context_search_unindexed when the context (`size`: UTF-8 bytes of its JSON)
   * is larger than the index takes. Inside the write's transaction, with the trigger off.
   */
  private indexSearchText(rowid: number | bigint, size: number, text: string): void {
    if (size > this.searchIndex.maxIndexedBytes) this.searchWrites.unindexed.run(rowid, text, 0);
    else this.searchWrites.indexed.run(rowid, text);
  }

  private writeRow(id: string, row: PreparedContext): Database.RunResult {
    const json = row.context_json;
    return this.stmt.insert.run(
      id,
      row.agent_id,
      row.workflow_id,
      row.session_id,
      row.status,
      row.created_at,
      Math.max(row.updated_at, row.created_at),
      json === null ? 0 : utf8Length(json),
      json,
    );
  }
}

/** The delete job of a write, as event details. */
const deleteDetails = (meta: WriteMeta): Record<string, string> => (meta.deleteJob ? { delete_job: meta.deleteJob } : {});

function* mapIterable<A, B>(items: Iterable<A>, map: (item: A) => B): Generator<B> {
  for (const item of items) yield map(item);
}

/**
 * Opens (creating when missing) the store in `dataDir` and brings its schema up to date.
 * The folder is made 0700 and the database file 0600 before SQLite opens it: SQLite gives
 * its -wal and -shm files the database file's mode, so they are private from their first
 * byte too. Existing paths open to others are narrowed, each with a line to `options.warn`.
 */
export function openSqliteStore(dataDir: string, options: SqliteStoreOptions = {}): SqliteContextStore {
  const file = path.join(dataDir, options.fileName ?? DATABASE_FILE);
  makeDatabaseFilesPrivate(file, options.warn);
  return new SqliteContextStore(file, options);
}
