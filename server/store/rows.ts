/**
 * What every engine shares: the row shape both read back, the mapping from rows to API
 * objects, the list cursor and the engine-neutral plan of a list page. Engines only turn a
 * ListPlan into their SQL; everything that decides what a page contains lives here once,
 * so that both engines answer every query identically (store-contract.ts checks it).
 */
import {
  CONTEXT_STATUSES,
  contextPreview,
  type ContextStatus,
  type ExecutionContextSummary,
  type ListQuery,
} from '../../contract/index';
import type { ParsedSearch } from '../../contract/search/search-params';
import { InvalidCursorError, type ContextRecord, type ListPage, type StoredContext } from './types';

/** A row as both engines return it. Times are ms since the epoch (UTC). */
export interface ContextRow {
  id: string;
  agent_id: string | null;
  workflow_id: string | null;
  session_id: string | null;
  status: ContextStatus;
  created_at: number;
  updated_at: number;
  version: number;
  /** The stored text of the context, exactly as written; null for a null context. */
  context_json: string | null;
}

/** A row of the summary view: the context's size and head instead of its text. */
export interface SummaryRow extends Omit<ContextRow, 'context_json'> {
  /** UTF-8 bytes of context_json, 0 when null. */
  context_size: number;
  /** The first CONTEXT_PREVIEW_CHARS code points of context_json (both engines' substr
   *  count code points). */
  context_head: string | null;
}

/** UTF-8 length of a context's text: the context_size column (0 for a null context). */
export const utf8Length = (text: string | null): number => (text === null ? 0 : Buffer.byteLength(text, 'utf8'));

const iso = (ms: number): string => new Date(ms).toISOString();

/** Row → StoredContext. The context stays the stored text (issue 8: never re-serialised). */
export function toStored(row: ContextRow): StoredContext {
  return {
    context: {
      id: row.id,
      agent_id: row.agent_id,
      workflow_id: row.workflow_id,
      session_id: row.session_id,
      context_json: row.context_json,
      status: row.status,
      created_at: iso(row.created_at),
      updated_at: iso(row.updated_at),
    },
    version: row.version,
  };
}

/** Summary row → the list's summary item. */
export function summaryOf(row: SummaryRow): ExecutionContextSummary {
  return {
    id: row.id,
    agent_id: row.agent_id,
    workflow_id: row.workflow_id,
    session_id: row.session_id,
    status: row.status,
    created_at: iso(row.created_at),
    updated_at: iso(row.updated_at),
    context_preview: contextPreview(row.context_head),
    context_size: row.context_size,
  };
}

// ---------------------------------------------------------------------------------------
// Cursors: an opaque base64url token of the last row's sort key, [created_at ms, id].
// It is a position, not a snapshot: rows created or deleted meanwhile neither shift nor
// repeat the rows that follow it.

/**
 * The cursor after the row (createdAt ms, id). A search that stopped scanning before it
 * reached the asked-for page (`page` > 1) adds how many matches the next request must
 * still skip (issue 10).
 */
export function encodeCursor(createdAt: number, id: string, skip = 0): string {
  const key = skip > 0 ? [createdAt, id, skip] : [createdAt, id];
  // fidelity-ok: our own cursor (a number and an id), not context data.
  return Buffer.from(JSON.stringify(key), 'utf8').toString('base64url'); // fidelity-ok: a cursor
}

/** Parses a cursor of encodeCursor; throws InvalidCursorError for anything else. */
export function decodeCursor(cursor: string): { createdAt: number; id: string; skip?: number } {
  if (!/^[A-Za-z0-9_-]+$/.test(cursor)) throw new InvalidCursorError();
  let decoded: unknown;
  try {
    decoded = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')); // fidelity-ok: a cursor
  } catch {
    throw new InvalidCursorError();
  }
  if (
    !Array.isArray(decoded) ||
    (decoded.length !== 2 && !(decoded.length === 3 && Number.isSafeInteger(decoded[2]) && (decoded[2] as number) > 0)) ||
    !Number.isSafeInteger(decoded[0]) ||
    typeof decoded[1] !== 'string' ||
    decoded[1].length === 0 ||
    decoded[1].length > 200
  ) {
    throw new InvalidCursorError();
  }
  return decoded.length === 3
    ? { createdAt: decoded[0] as number, id: decoded[1], skip: decoded[2] as number }
    : { createdAt: decoded[0] as number, id: decoded[1] };
}

/** List order: created_at desc, then id desc (byte order: JS, SQLite BINARY and
 *  PostgreSQL's "C" collation agree). */
export function newestFirst(a: { created_at: number; id: string }, b: { created_at: number; id: string }): number {
  if (a.created_at !== b.created_at) return b.created_at - a.created_at;
  return a.id < b.id ? 1 : a.id > b.id ? -1 : 0;
}

// ---------------------------------------------------------------------------------------
// List plans

/** What one list page asks for, engine-neutral. Engines turn it into SQL. */
export interface ListPlan {
  /** Distinct statuses, sorted; empty when every status matches (no filter). */
  statuses: ContextStatus[];
  agentId?: string;
  workflowId?: string;
  /** `updated_at < updatedBefore` (ms). */
  updatedBefore?: number;
  /**
   * The one bound the walk down the (created_at, id) order starts from: rows strictly
   * before this key. From the cursor or, without one (or when it is looser), from
   * updated_before: created_at ≤ updated_at, so a row updated before X was also created
   * before X, and `created_at < X` lets the walk start at X instead of at the newest row.
   */
  startBefore?: { createdAt: number; id?: string };
  offset: number;
  /** per_page + 1: the extra row tells has_more without a COUNT. */
  limit: number;
  perPage: number;
  view: 'full' | 'summary';
  /**
   * q and where (issue 10; see search.ts). With a search, `offset` is 0 and `skip` counts
   * the matches to pass over (page > 1, or what a resume cursor still had to skip).
   */
  search?: ParsedSearch;
  skip: number;
}

/** ListQuery → ListPlan. Throws InvalidCursorError for a foreign cursor. */
export function planList(query: ListQuery): ListPlan {
  let statuses = query.status === undefined ? [] : [...new Set(query.status)].sort();
  // Every status is no filter at all (status is NOT NULL and CHECKed): skip the work.
  if (statuses.length === CONTEXT_STATUSES.length) statuses = [];
  let updatedBefore: number | undefined;
  if (query.updated_before !== undefined) {
    updatedBefore = Date.parse(query.updated_before);
    if (Number.isNaN(updatedBefore)) throw new RangeError(`updated_before is not a date: ${query.updated_before}`);
  }
  const cursor = query.after === undefined ? undefined : decodeCursor(query.after);
  let startBefore: ListPlan['startBefore'];
  if (cursor !== undefined && (updatedBefore === undefined || cursor.createdAt < updatedBefore)) startBefore = cursor;
  else if (updatedBefore !== undefined) startBefore = { createdAt: updatedBefore };
  const pageOffset =
    cursor === undefined && query.page !== undefined && query.page > 1 ? (query.page - 1) * query.per_page : 0;
  // A search skips matches, not rows: the engines apply `skip` to what they find.
  const search = query.search !== undefined && (query.search.q !== undefined || query.search.where.length > 0) ? query.search : undefined;
  const offset = search === undefined ? pageOffset : 0;
  const skip = search === undefined ? 0 : pageOffset + (cursor?.skip ?? 0);
  if (search === undefined && cursor?.skip !== undefined) throw new InvalidCursorError();
  return {
    statuses,
    ...(query.agent_id !== undefined ? { agentId: query.agent_id } : {}),
    ...(query.workflow_id !== undefined ? { workflowId: query.workflow_id } : {}),
    ...(updatedBefore !== undefined ? { updatedBefore } : {}),
    ...(startBefore !== undefined ? { startBefore } : {}),
    offset,
    limit: query.per_page + 1,
    perPage: query.per_page,
    view: query.view === 'summary' ? 'summary' : 'full',
    ...(search !== undefined ? { search } : {}),
    skip,
  };
}

/** Rows of a plan (in list order, at most plan.limit) → the page the API answers. */
export function pageOf(
  plan: ListPlan,
  rows: Array<ContextRow | SummaryRow>,
): ListPage<ContextRecord> | ListPage<ExecutionContextSummary> {
  const hasMore = rows.length > plan.perPage;
  if (hasMore) rows.length = plan.perPage;
  const last = rows[rows.length - 1];
  const next_cursor = hasMore && last !== undefined ? encodeCursor(last.created_at, last.id) : null;
  if (plan.view === 'summary') {
    return { data: (rows as SummaryRow[]).map(summaryOf), has_more: hasMore, next_cursor };
  }
  return { data: (rows as ContextRow[]).map((row) => toStored(row).context), has_more: hasMore, next_cursor };
}
