/**
 * Search on PostgreSQL (issue 10; the shared part is ../search.ts).
 *
 * - `q`: the column `search_text` holds each context's search text (contract/search/
 *   search-text.ts, folded), written by the store with the context; a pg_trgm GIN index on
 *   it answers `search_text LIKE '%q%'` (q folded the same way, so LIKE's case rules never
 *   matter). The scan way checks a row with strpos() on the same column.
 * - `where`: jsonb operators on a cast of the stored text (`context_json::jsonb`; the text
 *   itself stays untouched): `->` with a text key only reads object members and with an
 *   integer only array items, as the grammar means; numbers compare as `numeric` (exact:
 *   750727362669608961 ≠ 750727362669608960, 1.10 = 1.1); strings with COLLATE "C" (code
 *   point order); `~` lowers with the built-in Unicode collation pg_c_utf8 (PostgreSQL 17+),
 *   final sigma as σ like contract/search/fold.ts, and looks for the folded value.
 */
import {
  isPresenceCondition,
  type Condition,
} from '../../../contract/search/condition';
import { foldForSearch } from '../../../contract/search/fold';
import type { ListPlan } from '../rows';
import { likeContains } from '../search';

type Param = string | number;

/** Collects parameters as $1, $2, …  */
class Params {
  readonly values: Param[] = [];
  add(value: Param, type?: string): string {
    this.values.push(value);
    return `$${this.values.length}${type ? `::${type}` : ''}`;
  }
}

/** One condition as a boolean SQL expression (never NULL) on the jsonb `doc`. */
function conditionSql(condition: Condition, doc: string, params: Params): string {
  const value = condition.path.reduce<string>(
    (expr, segment) => `${expr} -> ${typeof segment === 'number' ? params.add(segment, 'integer') : params.add(segment, 'text')}`,
    doc,
  );
  if (isPresenceCondition(condition)) return `((${value}) IS ${condition.op === 'exists' ? 'NOT ' : ''}NULL)`;
  const { op, value: literal } = condition;
  let sql: string;
  switch (literal.type) {
    case 'null':
      sql = `coalesce(jsonb_typeof(${value}) = 'null', false)`;
      break;
    case 'boolean':
      sql = `coalesce((${value}) = '${String(literal.value)}'::jsonb, false)`;
      break;
    case 'number': {
      const cmp = op === '!=' ? '=' : op;
      // CASE: only a number may reach the cast to numeric.
      sql = `(CASE WHEN jsonb_typeof(${value}) = 'number' THEN (${value})::numeric ${cmp} ${params.add(literal.text, 'numeric')} ELSE false END)`;
      break;
    }
    case 'string': {
      const text = `((${value}) #>> '{}')`;
      if (op === '~') {
        sql = `(CASE WHEN jsonb_typeof(${value}) = 'string' THEN strpos(translate(lower(${text} COLLATE pg_c_utf8), 'ς', 'σ'), ${params.add(foldForSearch(literal.value), 'text')}) > 0 ELSE false END)`;
      } else {
        const cmp = op === '!=' ? '=' : op;
        sql = `(CASE WHEN jsonb_typeof(${value}) = 'string' THEN ${text} COLLATE "C" ${cmp} ${params.add(literal.value, 'text')} COLLATE "C" ELSE false END)`;
      }
      break;
    }
  }
  return op === '!=' ? `NOT ${sql}` : sql;
}

export interface BuiltPostgresSearch {
  probe: { sql: string; params: Param[] } | null;
  byIndex: { sql: string; params: Param[] } | null;
  scan: { sql: string; params: Param[] };
  windowEnd: { sql: string; params: Param[] };
}

/** Filters of the plan (and the cursor's start), on table alias `t`. */
function filterSql(plan: ListPlan, t: string, params: Params): string[] {
  const where: string[] = [];
  if (plan.agentId !== undefined) where.push(`${t}.agent_id = ${params.add(plan.agentId)}`);
  if (plan.workflowId !== undefined) where.push(`${t}.workflow_id = ${params.add(plan.workflowId)}`);
  if (plan.updatedBefore !== undefined) where.push(`${t}.updated_at < ${params.add(plan.updatedBefore, 'bigint')}`);
  if (plan.startBefore?.id !== undefined) {
    where.push(`(${t}.created_at, ${t}.id) < (${params.add(plan.startBefore.createdAt, 'bigint')}, ${params.add(plan.startBefore.id)})`);
  } else if (plan.startBefore !== undefined) {
    where.push(`${t}.created_at < ${params.add(plan.startBefore.createdAt, 'bigint')}`);
  }
  if (plan.statuses.length > 0) where.push(`${t}.status IN (${plan.statuses.map((s) => params.add(s)).join(', ')})`);
  return where;
}

const whereOf = (parts: string[]): string => (parts.length > 0 ? ` WHERE ${parts.join(' AND ')}` : '');

/** The statements of a search page; `columns` are the view's (read from alias `c`). */
export function buildPostgresSearch(
  plan: ListPlan,
  columns: string,
  scanRows: number,
  indexCandidates: number,
): BuiltPostgresSearch {
  const search = plan.search;
  if (search === undefined) throw new Error('buildPostgresSearch without a search');
  const wanted = plan.skip + plan.perPage + 1;
  const order = 'ORDER BY c.created_at DESC, c.id DESC';
  // Conditions read `d.doc`: the text cast to jsonb once per row (a LATERAL subquery that
  // OFFSET 0 keeps from being inlined), not once per use: a condition uses its value
  // twice or more, and each cast parses the whole context.
  const doc = 'd.doc';
  const hasConditions = search.where.length > 0;
  /** Rows of `from` (alias c) that pass `first`, each with its jsonb `d.doc` when conditions need it. */
  const rowsOf = (from: string, first: string[]): string =>
    hasConditions
      ? ` FROM (SELECT c.* FROM ${from}${whereOf(first)} OFFSET 0) c CROSS JOIN LATERAL (SELECT c.context_json::jsonb AS doc OFFSET 0) d`
      : ` FROM ${from}${whereOf(first)}`;
  const qualified = columns.replace(/\b(id|agent_id|workflow_id|session_id|status|created_at|updated_at|version|context_size|context_json)\b/g, 'c.$1');

  let probe: BuiltPostgresSearch['probe'] = null;
  let byIndex: BuiltPostgresSearch['byIndex'] = null;
  if (search.q !== undefined) {
    const like = likeContains(search.q);
    probe = {
      sql: 'SELECT count(*)::integer AS n FROM (SELECT 1 FROM execution_contexts WHERE search_text LIKE $1 LIMIT $2) s',
      params: [like, indexCandidates + 1],
    };
    const params = new Params();
    const likeParam = params.add(like);
    const filters = filterSql(plan, 'c', params);
    const conditions = search.where.map((c) => conditionSql(c, doc, params));
    byIndex = {
      // Candidates first (the trigram index), then each row checked and the few sorted.
      sql:
        `WITH cand AS MATERIALIZED (SELECT id FROM execution_contexts WHERE search_text LIKE ${likeParam}) ` +
        `SELECT ${qualified}` +
        rowsOf('cand JOIN execution_contexts c ON c.id = cand.id', filters) +
        whereOf(conditions) +
        ` ${order} LIMIT ${params.add(wanted, 'integer')}`,
      params: params.values,
    };
  }

  // The scan: the next `scanRows` rows of the list order (an index walk), then each one
  // checked, the matches in order.
  const params = new Params();
  const windowFilters = filterSql(plan, 'w', params);
  const window =
    `SELECT w.id, w.created_at FROM execution_contexts w` +
    whereOf(windowFilters) +
    ` ORDER BY w.created_at DESC, w.id DESC LIMIT ${params.add(scanRows, 'integer')}`;
  // q first (cheap), so that only rows containing q are cast for the conditions.
  const qCheck = search.q === undefined ? [] : [`strpos(c.search_text, ${params.add(search.q)}) > 0`];
  const checks = search.where.map((c) => conditionSql(c, doc, params));
  const scan = {
    sql:
      `WITH win AS MATERIALIZED (${window}) ` +
      `SELECT ${qualified}` +
      rowsOf('win JOIN execution_contexts c ON c.id = win.id', qCheck) +
      whereOf(checks) +
      ` ${order} LIMIT ${params.add(wanted, 'integer')}`,
    params: params.values,
  };
  const endParams = new Params();
  const endFilters = filterSql(plan, 'w', endParams);
  const windowEnd = {
    // The last row the scan examines and whether any row follows it.
    sql:
      `SELECT w.created_at, w.id FROM execution_contexts w` +
      whereOf(endFilters) +
      ` ORDER BY w.created_at DESC, w.id DESC LIMIT 2 OFFSET ${endParams.add(scanRows - 1, 'integer')}`,
    params: endParams.values,
  };
  return { probe, byIndex, scan, windowEnd };
}
