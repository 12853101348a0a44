/**
 * Search on SQLite (issue 10; the shared part is ../search.ts).
 *
 * - `q`: the FTS5 table `context_search` (trigram tokenizer, case_sensitive 1, detail=none
 *   since migration 4) holds each context's search text (contract/search/search-text.ts:
 *   member names, decoded strings, number spellings, folded), keyed by the context's rowid
 *   and kept in sync by triggers in the same transaction as the write (bulk inserts write
 *   it themselves: SearchIndexControl). Contexts over SEARCH_INDEX_MAX_BYTES, and a bulk
 *   load's until the background indexer has moved them, keep their text in
 *   `context_search_unindexed` instead (migration 5) and are candidates of every q. The
 *   index has no positions, so it names
 *   candidates: the contexts holding some of q's trigrams (ftsAllOf; the store picks the
 *   rarest). Every candidate that can reach a page, and every row the scan way examines,
 *   is checked exactly with instr() on the stored search text: "contains q" (the text and
 *   q are folded the same way in JavaScript first, so SQLite's ASCII-only case rules
 *   never apply).
 * - `where`: json_type / json_extract / `->` on the stored text. Numbers are compared by
 *   their exact text (`->` keeps a number's spelling) with compareJsonNumbers (ecc_num_cmp),
 *   never as doubles; strings with BINARY collation (= code point order); `~` folds both
 *   sides with the shared fold (ecc_fold).
 *
 * The SQL functions ecc_* are JavaScript registered on every connection the store opens
 * (the triggers call ecc_search_text, so a connection without them cannot write contexts).
 */
import type Database from 'better-sqlite3';
import { parseJsonText } from '../../../contract/json/lossless-json';
import {
  formatCondition,
  isPresenceCondition,
  parseCondition,
  type Condition,
  type PathSegment,
} from '../../../contract/search/condition';
import { conditionHolds } from '../../../contract/search/evaluate';
import { foldForSearch } from '../../../contract/search/fold';
import { compareJsonNumbers } from '../../../contract/search/numbers';
import { searchTextOf } from '../../../contract/search/search-text';
import type { ListPlan } from '../rows';

/**
 * Whether the triggers write search texts (per connection; normally true). A bulk
 * insert turns it off for its own transaction and writes the index rows itself, after the
 * contexts: FTS5 writes its pending index data to disk at every statement savepoint, and
 * an INSERT with triggers opens one per row, so indexing from the trigger wrote one tiny
 * segment per context (and merged them over and over), about three times the work of
 * indexing the same rows in one statement run after the contexts (sqlite-store.ts,
 * insertBatch). A create or update whose search text the caller gives (the API's, from the
 * body parser's tokens) turns it off for that write too (migration 5's update trigger then
 * only removes the old text).
 */
export interface SearchIndexControl {
  byTrigger: boolean;
  /** Largest context (UTF-8 bytes of its JSON) whose search text goes into the trigram index. */
  readonly maxIndexedBytes: number;
}

/**
 * Default of SqliteStoreOptions.searchIndexMaxBytes: contexts up to 256 KiB are
 * trigram-indexed. FTS5 spends ~10 µs of CPU per 100 bytes of search text, so indexing
 * one of that size costs ~25 ms per write at most; a larger one keeps its text in
 * context_search_unindexed (migration 5) and costs an instr() per search that reaches it.
 */
export const SEARCH_INDEX_MAX_BYTES = 256 * 1024;

/**
 * Registers the JavaScript SQL functions search relies on (before migrating); returns the
 * connection's SearchIndexControl. `maxIndexedBytes`: see SEARCH_INDEX_MAX_BYTES.
 */
export function registerSearchFunctions(db: Database.Database, maxIndexedBytes = SEARCH_INDEX_MAX_BYTES): SearchIndexControl {
  const control: SearchIndexControl = { byTrigger: true, maxIndexedBytes };
  db.function('ecc_search_text', { deterministic: true }, (text: unknown) =>
    searchTextOf(typeof text === 'string' ? text : null),
  );
  db.function('ecc_search_by_trigger', () => (control.byTrigger ? 1 : 0));
  // Whether a context of this size (context_size: UTF-8 bytes) is trigram-indexed.
  db.function('ecc_search_indexable', { deterministic: true }, (size: unknown) =>
    typeof size === 'number' && size <= maxIndexedBytes ? 1 : 0,
  );
  db.function('ecc_fold', { deterministic: true }, (text: unknown) =>
    typeof text === 'string' ? foldForSearch(text) : null,
  );
  db.function('ecc_num_cmp', { deterministic: true }, (a: unknown, b: unknown) => {
    if (typeof a !== 'string' || typeof b !== 'string') return null;
    try {
      return compareJsonNumbers(a, b);
    } catch {
      return null; // not a number's text: no order (the condition does not hold)
    }
  });
  // For paths SQLite's JSON path syntax cannot spell (a member name holding `"`): the
  // condition is evaluated by the reference semantics on the lossless parse. Rare.
  const parsedConditions = new Map<string, Condition>();
  db.function('ecc_condition', { deterministic: true }, (text: unknown, conditionText: unknown) => {
    if (typeof conditionText !== 'string') return 0;
    let condition = parsedConditions.get(conditionText);
    if (condition === undefined) {
      const parsed = parseCondition(conditionText);
      if (!parsed.ok) return 0;
      condition = parsed.condition;
      if (parsedConditions.size > 1000) parsedConditions.clear();
      parsedConditions.set(conditionText, condition);
    }
    const value = typeof text === 'string' ? parseJsonText(text).value : null;
    return conditionHolds(value, condition) ? 1 : 0;
  });
  return control;
}

/** SQLite JSON path of a condition's path, or null when SQLite cannot spell it. */
function sqlitePath(path: readonly PathSegment[]): string | null {
  let out = '$';
  for (const segment of path) {
    if (typeof segment === 'number') out += `[${segment}]`;
    // SQLite reads a quoted label up to the next `"`, with no escapes.
    else if (segment.includes('"')) return null;
    else out += `."${segment}"`;
  }
  return out;
}

type Param = string | number;

/** One condition as an SQL expression (0 or 1, never NULL) on `column`, with its parameters. */
export function conditionSql(condition: Condition, column: string): { sql: string; params: Param[] } {
  const path = sqlitePath(condition.path);
  if (path === null) return { sql: `ecc_condition(${column}, ?)`, params: [formatCondition(condition)] };
  const type = `json_type(${column}, ?)`;
  if (isPresenceCondition(condition)) {
    return { sql: `(${type} IS ${condition.op === 'exists' ? 'NOT ' : ''}NULL)`, params: [path] };
  }
  const { op, value } = condition;
  let sql: string;
  let params: Param[];
  switch (value.type) {
    case 'null':
    case 'boolean': {
      // Only = and != take these (the grammar refuses ordering them).
      const name = value.type === 'null' ? 'null' : String(value.value);
      sql = `IFNULL(${type} = '${name}', 0)`;
      params = [path];
      break;
    }
    case 'number': {
      const cmp = `ecc_num_cmp(${column} -> ?, ?)`;
      const test = op === '=' || op === '!=' ? '= 0' : `${op} 0`;
      // CASE, not AND: SQLite may evaluate both sides of an AND, and only a number's
      // text may reach ecc_num_cmp.
      sql = `IFNULL(CASE WHEN ${type} IN ('integer', 'real') THEN ${cmp} ${test} ELSE 0 END, 0)`;
      params = [path, path, value.text];
      break;
    }
    case 'string': {
      if (op === '~') {
        sql = `IFNULL(${type} = 'text' AND instr(ecc_fold(json_extract(${column}, ?)), ?) > 0, 0)`;
        params = [path, path, foldForSearch(value.value)];
      } else {
        const cmpOp = op === '!=' ? '=' : op;
        sql = `IFNULL(${type} = 'text' AND json_extract(${column}, ?) ${cmpOp} ?, 0)`;
        params = [path, path, value.value];
      }
      break;
    }
  }
  return op === '!=' ? { sql: `NOT ${sql}`, params } : { sql, params };
}

/**
 * q's trigrams as FTS5 strings: every run of 3 code points (as the trigram tokenizer splits
 * text), distinct, each quoted (double quotes doubled inside). q has at least 3 characters
 * (contract/search/search-params.ts).
 */
export function qTrigrams(q: string): string[] {
  const chars = Array.from(q);
  const trigrams = new Set<string>();
  for (let i = 0; i + 3 <= chars.length; i += 1) trigrams.add(`"${chars.slice(i, i + 3).join('').replaceAll('"', '""')}"`);
  return [...trigrams];
}

/**
 * FTS5 query naming q's candidates: the contexts whose search text holds all these
 * trigrams (some or all of q's). With detail=none the index knows no positions, so this
 * is a superset of "contains q" (the trigrams may lie apart, or q's other trigrams be
 * missing); callers check each candidate exactly.
 */
export const ftsAllOf = (trigrams: readonly string[]): string => trigrams.join(' AND ');

/** ftsAllOf(qTrigrams(q)): candidates holding every trigram of q. */
export const ftsCandidates = (q: string): string => ftsAllOf(qTrigrams(q));

/** An SQL statement and its parameters. */
export interface SqlCall {
  sql: string;
  params: Param[];
}

/** How SQLite finds a search page: the statements and their parameters. */
export interface BuiltSearch {
  /** q's trigrams (qTrigrams), empty without q. */
  trigrams: string[];
  /**
   * q's index candidates (rowids) for an FTS5 query (ftsAllOf of some of q's trigrams), at
   * most INDEX_CANDIDATES + 1 (null without q).
   */
  candidates: ((match: string) => SqlCall) | null;
  /**
   * The index way: the candidates (a JSON array of rowids) looked up one by one, checked
   * exactly and against every filter, in list order (null without q).
   */
  byIndex: ((candidateRowids: string) => SqlCall) | null;
  /**
   * The scan way: matches among the next `windowRows` rows of the list order, each one
   * checked (q, if any, exactly: it is too common for its candidates to be listed).
   */
  scan: (windowRows: number) => SqlCall;
  /** The key of the scan window's last row (whether the scan stops early). */
  windowEnd: (windowRows: number) => SqlCall;
  /**
   * The walk: the list order from the cursor, newest first, along the filters' index,
   * testing each row's rowid against q's complete candidate set (a JSON array) and checking
   * only those exactly; it stops at the page's last match (null without q).
   */
  walk: ((candidateRowids: string) => SqlCall) | null;
}

/**
 * Builds the SQL of a search page. `columns` are the view's columns (unqualified: the
 * queries read `execution_contexts` as `c`). The SQL text depends only on the query's
 * shape (which filters, conditions, q or not), so statements can be prepared once.
 */
export function buildSearch(plan: ListPlan, columns: string, indexCandidates: number): BuiltSearch {
  const search = plan.search;
  if (search === undefined) throw new Error('buildSearch without a search');
  const filters: string[] = [];
  const filterParams: Param[] = [];
  if (plan.agentId !== undefined) {
    filters.push('agent_id = ?');
    filterParams.push(plan.agentId);
  }
  if (plan.workflowId !== undefined) {
    filters.push('workflow_id = ?');
    filterParams.push(plan.workflowId);
  }
  if (plan.updatedBefore !== undefined) {
    filters.push('updated_at < ?');
    filterParams.push(plan.updatedBefore);
  }
  if (plan.startBefore?.id !== undefined) {
    filters.push('(created_at, id) < (?, ?)');
    filterParams.push(plan.startBefore.createdAt, plan.startBefore.id);
  } else if (plan.startBefore !== undefined) {
    filters.push('created_at < ?');
    filterParams.push(plan.startBefore.createdAt);
  }
  if (plan.statuses.length > 0) {
    filters.push(`status IN (${plan.statuses.map(() => '?').join(', ')})`);
    filterParams.push(...plan.statuses);
  }

  const conditions = search.where.map((c) => conditionSql(c, 'c.context_json'));
  const conditionWhere = conditions.map((c) => c.sql);
  const conditionParams = conditions.flatMap((c) => c.params);
  const wanted = plan.skip + plan.perPage + 1;
  const order = 'ORDER BY c.created_at DESC, c.id DESC';
  const qualified = columns
    .split(',')
    .map((column) => column.trim())
    .map((column) => (/^[a-z_]+$/.test(column) ? `c.${column}` : column.replace(/context_json/g, 'c.context_json')))
    .join(', ');
  const q = search.q;
  // The exact check of q: a substring of the stored search text (both folded alike), which
  // is in the index's table or, for a context kept out of the index, in
  // context_search_unindexed (coalesce reads the second only when the first has none).
  const exact = (rowid: string): string =>
    `instr(coalesce((SELECT text FROM context_search s WHERE s.rowid = ${rowid}), ` +
    `(SELECT text FROM context_search_unindexed u WHERE u.rowid = ${rowid})), ?) > 0`;

  let candidates: BuiltSearch['candidates'] = null;
  let byIndex: BuiltSearch['byIndex'] = null;
  if (q !== undefined) {
    candidates = (match) => ({
      sql: 'SELECT rowid FROM context_search WHERE context_search MATCH ? LIMIT ?',
      params: [match, indexCandidates + 1],
    });
    // CROSS JOIN fixes the join order: candidates first, each looked up by rowid.
    byIndex = (candidateRowids) => ({
      sql:
        `SELECT ${qualified} FROM json_each(?) cand CROSS JOIN execution_contexts c ON c.rowid = cand.value` +
        where([exact('cand.value'), ...filters.map((f) => prefix(f)), ...conditionWhere]) +
        ` ${order} LIMIT ?`,
      params: [candidateRowids, q, ...filterParams, ...conditionParams, wanted],
    });
  }

  // The scan: a window of the next `windowRows` rows of the list order (index only), then
  // each row of it checked. The index is the one the filters seek on, as in list queries.
  const index =
    plan.agentId !== undefined
      ? 'ix_ctx_agent'
      : plan.workflowId !== undefined
        ? 'ix_ctx_workflow'
        : plan.statuses.length === 1
          ? 'ix_ctx_status'
          : 'ix_ctx_created';
  const window =
    `SELECT rowid AS rid, created_at, id FROM execution_contexts INDEXED BY ${index}` +
    where(filters) +
    ` ORDER BY created_at DESC, id DESC`;
  // Terms on win.rid only: SQLite tests them before it reads the context's row.
  const scan = (windowRows: number): SqlCall => {
    const qChecks = q === undefined ? [] : [exact('win.rid')];
    const qParams = q === undefined ? [] : [q];
    return {
      sql:
        `WITH win AS MATERIALIZED (${window} LIMIT ?) ` +
        `SELECT ${qualified} FROM win CROSS JOIN execution_contexts c ON c.rowid = win.rid` +
        where([...qChecks, ...conditionWhere]) +
        ` ${order} LIMIT ?`,
      params: [...filterParams, windowRows, ...qParams, ...conditionParams, wanted],
    };
  };
  // Two rows: the last one examined, and whether any row follows it (else the scan is complete).
  const windowEnd = (windowRows: number): SqlCall => ({ sql: `${window} LIMIT 2 OFFSET ?`, params: [...filterParams, windowRows - 1] });
  const walk =
    q === undefined
      ? null
      : (candidateRowids: string): SqlCall => ({
          sql:
            `SELECT ${qualified} FROM execution_contexts c INDEXED BY ${index}` +
            where([...filters.map((f) => prefix(f)), 'c.rowid IN (SELECT value FROM json_each(?))', exact('c.rowid'), ...conditionWhere]) +
            ` ${order} LIMIT ?`,
          params: [...filterParams, candidateRowids, q, ...conditionParams, wanted],
        });
  return { trigrams: q === undefined ? [] : qTrigrams(q), candidates, byIndex, scan, windowEnd, walk };
}

const where = (parts: string[]): string => (parts.length > 0 ? ` WHERE ${parts.join(' AND ')}` : '');
/** A filter written for the bare table, for the query that reads it as `c`. */
const prefix = (filter: string): string => filter.replace(/\b(agent_id|workflow_id|updated_at|created_at|id|status)\b/g, 'c.$1');
