/**
 * Search on SQLite (issue 10; the shared part is ../search.ts).
 *
 * - `q`: the FTS5 table `context_search` (trigram tokenizer, case_sensitive 1) holds each
 *   context's search text (contract/search/search-text.ts: member names, decoded strings,
 *   number spellings, folded), keyed by the context's rowid and kept in sync by triggers
 *   in the same transaction as the write. A q is one FTS5 phrase: its trigrams at
 *   consecutive positions, which is exactly "contains q" (the text and q are folded the
 *   same way in JavaScript first, so SQLite's ASCII-only case rules never apply). The scan
 *   way checks a row with instr() on the same stored text.
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

/** Registers the JavaScript SQL functions search relies on (before migrating). */
export function registerSearchFunctions(db: Database.Database): void {
  db.function('ecc_search_text', { deterministic: true }, (text: unknown) =>
    searchTextOf(typeof text === 'string' ? text : null),
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

/** FTS5 query for "contains q": one phrase (double quotes doubled inside). */
export const ftsPhrase = (q: string): string => `"${q.replaceAll('"', '""')}"`;

/** How SQLite finds a search page: the statements and their parameters. */
export interface BuiltSearch {
  /** Counts index candidates up to INDEX_CANDIDATES + 1 (null without q). */
  probe: { sql: string; params: Param[] } | null;
  /** The index way: every candidate, filtered, in list order. */
  byIndex: { sql: string; params: Param[] } | null;
  /** The scan way: matches among the next `scanRows` rows, in list order. */
  scan: { sql: string; params: Param[] };
  /** The key of the scan window's last row (whether the scan stops early). */
  windowEnd: { sql: string; params: Param[] };
}

/**
 * Builds the SQL of a search page. `columns` are the view's columns (unqualified: the
 * queries read `execution_contexts` as `c`).
 */
export function buildSearch(plan: ListPlan, columns: string, scanRows: number, indexCandidates: number): BuiltSearch {
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

  let probe: BuiltSearch['probe'] = null;
  let byIndex: BuiltSearch['byIndex'] = null;
  if (search.q !== undefined) {
    const phrase = ftsPhrase(search.q);
    probe = {
      sql: `SELECT count(*) FROM (SELECT rowid FROM context_search WHERE context_search MATCH ? LIMIT ?)`,
      params: [phrase, indexCandidates + 1],
    };
    // CROSS JOIN fixes the join order: candidates first, each looked up by rowid.
    byIndex = {
      sql:
        `WITH cand(rid) AS MATERIALIZED (SELECT rowid FROM context_search WHERE context_search MATCH ?) ` +
        `SELECT ${qualified} FROM cand CROSS JOIN execution_contexts c ON c.rowid = cand.rid` +
        where([...filters.map((f) => prefix(f)), ...conditionWhere]) +
        ` ${order} LIMIT ?`,
      params: [phrase, ...filterParams, ...conditionParams, wanted],
    };
  }

  // The scan: a window of the next `scanRows` rows of the list order (index only), then
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
  const qCheck =
    search.q === undefined ? [] : ['instr((SELECT text FROM context_search s WHERE s.rowid = c.rowid), ?) > 0'];
  const scan = {
    sql:
      `WITH win AS MATERIALIZED (${window} LIMIT ?) ` +
      `SELECT ${qualified} FROM win CROSS JOIN execution_contexts c ON c.rowid = win.rid` +
      where([...qCheck, ...conditionWhere]) +
      ` ${order} LIMIT ?`,
    params: [...filterParams, scanRows, ...(search.q === undefined ? [] : [search.q]), ...conditionParams, wanted],
  };
  // Two rows: the last one examined, and whether any row follows it (else the scan is complete).
  const windowEnd = { sql: `${window} LIMIT 2 OFFSET ?`, params: [...filterParams, scanRows - 1] };
  return { probe, byIndex, scan, windowEnd };
}

const where = (parts: string[]): string => (parts.length > 0 ? ` WHERE ${parts.join(' AND ')}` : '');
/** A filter written for the bare table, for the query that reads it as `c`. */
const prefix = (filter: string): string => filter.replace(/\b(agent_id|workflow_id|updated_at|created_at|id|status)\b/g, 'c.$1');
