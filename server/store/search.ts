/**
 * Search in contexts (issue 10), engine-neutral: how a page of a `q`/`where` list is
 * assembled from what an engine found, so both engines answer alike. Engines implement
 * two ways of finding matches, both in list order (created_at desc, id desc):
 *
 * - **index**: `q` through the engine's text index (SQLite FTS5 trigram, PostgreSQL
 *   pg_trgm). When the index names at most INDEX_CANDIDATES contexts, they are all
 *   checked against every filter and condition and sorted: the answer is complete, with
 *   an exact has_more.
 * - **scan**: otherwise (no q, or a q too common for the index to be the cheaper way),
 *   the engine walks the list order from the cursor and examines at most `scanRows`
 *   contexts. Common matches fill a page long before that; rare ones may not, and then
 *   the page is short (even empty) with has_more: true and a next_cursor after the last
 *   row examined, so the next request resumes the scan where this one stopped.
 *
 * The order of the two is the engine's: SQLite counts the index's candidates first;
 * PostgreSQL walks first (stopping at the page's last match) and asks the index only when
 * the walk found few matches (postgres/search.ts), so a common term never pays for the
 * index and a 1 % term may come back as a short page with a resume cursor.
 *
 * The search text q is matched against is contract/search/search-text.ts; conditions mean
 * what contract/search/evaluate.ts says (the engines' SQL is checked against it).
 */
import type { ListPage } from './types';
import { encodeCursor, pageOf, type ContextRow, type ListPlan, type SummaryRow } from './rows';
import type { ContextRecord } from './types';
import type { ExecutionContextSummary } from '../../contract/index';

/** Default of SEARCH_SCAN_ROWS: contexts one request examines when no index answers. */
export const DEFAULT_SEARCH_SCAN_ROWS = 10_000;
/** Most contexts the text index may name for the index way to be taken. */
export const INDEX_CANDIDATES = 20_000;

/** The bounds of a search request's work (ServerConfig.searchScanRows, searchIndexCandidates). */
export interface SearchLimits {
  searchScanRows?: number;
  searchIndexCandidates?: number;
}

/** What an engine found for one search request. */
export interface SearchFind {
  /** Matching rows in list order: at most plan.skip + plan.perPage + 1. */
  rows: Array<ContextRow | SummaryRow>;
  /**
   * The scan stopped before the end of the list: the key of the last row it examined
   * (matching or not). null: every row after the cursor was considered.
   */
  stoppedAt: { created_at: number; id: string } | null;
}

/** The page a search answers. */
export function searchPageOf(
  plan: ListPlan,
  found: SearchFind,
): ListPage<ContextRecord> | ListPage<ExecutionContextSummary> {
  const rows = found.rows.slice(plan.skip);
  if (rows.length > plan.perPage || found.stoppedAt === null) {
    // A full page (with a row to spare: has_more is exact), or the end of the list.
    return pageOf(plan, rows);
  }
  // The scan budget ran out first: resume after the last row examined, still skipping
  // what is left of `skip` (page > 1).
  const page = pageOf(plan, rows);
  const stillToSkip = Math.max(0, plan.skip - found.rows.length);
  return {
    ...page,
    has_more: true,
    next_cursor: encodeCursor(found.stoppedAt.created_at, found.stoppedAt.id, stillToSkip),
  } as ListPage<ContextRecord> | ListPage<ExecutionContextSummary>;
}

/** LIKE pattern for a literal substring (`%`, `_` and the escape character escaped). */
export const likeContains = (text: string): string => `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
