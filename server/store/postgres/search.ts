/**
 * Search on PostgreSQL (issue 10; the shared part is ../search.ts).
 *
 * - `q`: the column `search_text` holds each context's search text (contract/search/
 *   search-text.ts, folded, one part a line), written by the store with the context; a
 *   pg_trgm GIN index on it answers `search_text LIKE '%q%'` (q folded the same way, so
 *   LIKE's case rules never matter). The walk checks a row with strpos() on the same column.
 * - Text needles: besides q, a condition `path = "string"` needs the folded string as a
 *   whole line of search_text (every string value is one of its parts), so rows without it
 *   are dropped before their JSON is read, and the trigram index can find the rows that
 *   have it when no q is given. Only a prefilter: the condition itself is still checked.
 * - Ways (see PostgresContextStore.find): first a WALK down the list order from the cursor
 *   that stops at the page's last match or after `scanRows` rows, cheap when matches are
 *   common (1 % fills a page of 100 in ~10,000 rows, whatever the table's size), and the
 *   answer when no needle can use the index. Only when the walk found few matches does the
 *   INDEX way run: the trigram index names the candidates (at most INDEX_CANDIDATES + 1,
 *   counted in the same statement), which are checked and sorted. A common term never
 *   reaches the index, whose posting lists for frequent trigrams cost more than the walk
 *   (45 ms for 1,861 matches at 200,000 rows, before any row is read).
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
import type { ParsedSearch } from '../../../contract/search/search-params';
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

/** A text the matching rows' search_text must contain (folded), and how to look for it. */
interface Needle {
  /** The folded text as LIKE/strpos look for it in search_text. */
  text: string;
  /** A whole line (`path = "string"`): strpos on the text wrapped in newlines. */
  line: boolean;
}

/**
 * Whether pg_trgm can find trigrams in `text`: a run of 3 ASCII letters or digits is a
 * word part in any locale (a C-locale database splits words at every non-ASCII
 * character). Without one, LIKE through the GIN index reads the whole index.
 */
const hasTrigram = (text: string): boolean => /[a-z0-9]{3}/i.test(text);

/** The needles of a search: q, and the strings of its `=` conditions. */
function needlesOf(search: ParsedSearch): Needle[] {
  const needles: Needle[] = [];
  if (search.q !== undefined) needles.push({ text: search.q, line: false });
  for (const condition of search.where) {
    if (!isPresenceCondition(condition) && condition.op === '=' && condition.value.type === 'string') {
      needles.push({ text: foldForSearch(condition.value.value), line: true });
    }
  }
  return needles;
}

/** The needle the trigram index looks for: q when it can, else the longest indexable one. */
function indexNeedle(needles: Needle[]): Needle | undefined {
  const usable = needles.filter((n) => hasTrigram(n.text));
  if (usable[0] !== undefined && usable[0] === needles[0] && !usable[0].line) return usable[0];
  return usable.sort((a, b) => b.text.length - a.text.length)[0];
}

/** strpos checks of the needles on `t`.search_text. */
function needleChecks(needles: Needle[], t: string, params: Params): string[] {
  return needles.map((n) =>
    n.line
      ? `strpos(E'\\n' || ${t}.search_text || E'\\n', ${params.add(`\n${n.text}\n`)}) > 0`
      : `strpos(${t}.search_text, ${params.add(n.text)}) > 0`,
  );
}

export interface BuiltPostgresSearch {
  /**
   * The walk: the matches among the next `scanRows` rows of the list order, stopping at
   * plan.skip + plan.perPage + 1 of them.
   */
  walk: { sql: string; params: Param[] };
  /**
   * The last row the walk may examine (`created_at`, `id`) and whether another follows,
   * each row with `table_rows` (pg_class.reltuples, ≥ 0).
   */
  windowEnd: { sql: string; params: Param[] };
  /**
   * The index way (null when no needle has a trigram): one row `candidates` (how many rows
   * the index names, at most cap + 1) joined to the matches in list order, when
   * candidates ≤ cap; rows with a null id carry only the count.
   */
  byIndex: { sql: string; params: Param[] } | null;
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
  // twice or more, and each cast parses the whole context. Only rows that passed every
  // cheaper check (filters, needles) get that far.
  const doc = 'd.doc';
  const hasConditions = search.where.length > 0;
  /**
   * Rows of `from` (alias c) that pass `first`, each with its jsonb `d.doc` when conditions
   * need it. `ordered`: `from` comes in list order, and the fenced subquery says so (ORDER
   * BY without a sort node), else the planner forgets the order, sorts, and a walk that
   * should stop at its page's last match checks its whole window.
   */
  const rowsOf = (from: string, first: string[], ordered: boolean): string =>
    hasConditions
      ? ` FROM (SELECT c.* FROM ${from}${whereOf(first)}${ordered ? ` ${order}` : ''} OFFSET 0) c` +
        ' CROSS JOIN LATERAL (SELECT c.context_json::jsonb AS doc OFFSET 0) d'
      : ` FROM ${from}${whereOf(first)}`;
  const qualified = columns.replace(/\b(id|agent_id|workflow_id|session_id|status|created_at|updated_at|version|context_size|context_json)\b/g, 'c.$1');
  const needles = needlesOf(search);

  // The walk: down the list order from the cursor (an index walk: the pool's sessions
  // disable sorting), at most `scanRows` rows, each checked on the way; the outer LIMIT
  // stops it at the page's last match, so common matches cost a few thousand rows.
  const params = new Params();
  const windowFilters = filterSql(plan, 'w', params);
  const window =
    `(SELECT w.* FROM execution_contexts w` +
    whereOf(windowFilters) +
    ` ORDER BY w.created_at DESC, w.id DESC LIMIT ${params.add(scanRows, 'integer')}) c`;
  const walkChecks = needleChecks(needles, 'c', params);
  const checks = search.where.map((c) => conditionSql(c, doc, params));
  const walk = {
    sql: `SELECT ${qualified}` + rowsOf(window, walkChecks, true) + whereOf(checks) + ` ${order} LIMIT ${params.add(wanted, 'integer')}`,
    params: params.values,
  };

  const endParams = new Params();
  const endFilters = filterSql(plan, 'w', endParams);
  const windowEnd = {
    // The last row the walk examines and whether any row follows it; with the planner's
    // estimate of the table's rows (PostgresContextStore.find weighs the index way by it).
    sql:
      `SELECT w.created_at, w.id, ` +
      `(SELECT greatest(reltuples, 0)::float8 FROM pg_class WHERE oid = 'execution_contexts'::regclass) AS table_rows ` +
      `FROM execution_contexts w` +
      whereOf(endFilters) +
      ` ORDER BY w.created_at DESC, w.id DESC LIMIT 2 OFFSET ${endParams.add(scanRows - 1, 'integer')}`,
    params: endParams.values,
  };

  let byIndex: BuiltPostgresSearch['byIndex'] = null;
  const needle = indexNeedle(needles);
  if (needle !== undefined) {
    const ip = new Params();
    const like = ip.add(likeContains(needle.text));
    const cap = ip.add(indexCandidates, 'integer');
    const filters = filterSql(plan, 'c', ip);
    const first = [...filters, ...needleChecks(needles, 'c', ip)];
    const conditions = search.where.map((c) => conditionSql(c, doc, ip));
    byIndex = {
      // Candidates once (the trigram index, LIKE rechecked on each row), counted; when
      // they are few enough, each is checked and the matches sorted (top-N), else only
      // the count comes back.
      sql:
        `WITH cand AS MATERIALIZED (SELECT id FROM execution_contexts WHERE search_text LIKE ${like} LIMIT ${cap} + 1), ` +
        `total AS (SELECT count(*)::integer AS n FROM cand) ` +
        `SELECT total.n AS candidates, m.* FROM total LEFT JOIN LATERAL (SELECT ${qualified}` +
        rowsOf('cand JOIN execution_contexts c ON c.id = cand.id', [`total.n <= ${cap}`, ...first], false) +
        whereOf(conditions) +
        ` ${order} LIMIT ${ip.add(wanted, 'integer')}) m ON true`,
      params: ip.values,
    };
  }
  return { walk, windowEnd, byIndex };
}
