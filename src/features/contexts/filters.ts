/**
 * The browse screen's state as it lives in the URL, and its translation into the list
 * endpoint's query. Pure functions only: the URL is the source of truth (a copied link,
 * reload and Back/Forward all reproduce a view), so parsing must be total — whatever a
 * user pastes, we get a valid state back — and serializing must be canonical, so that the
 * same view always has the same URL and the same query key.
 *
 * URL parameters (all optional):
 *   agent_id=…            exact agent id
 *   workflow_id=…         exact workflow id
 *   status=failed,idle    one or more statuses (comma list; repeated params are accepted too)
 *   updated_before=2026-11-01   "not updated since" this day (a full RFC 3339 time is kept as is)
 *   q=alice@example.com   text inside the context (≥ 3 characters; shorter is dropped)
 *   where=customer.email%20%3D%20%22a%40b.c%22   a condition (contract/search), repeatable;
 *                         kept in canonical form, malformed ones dropped
 *   context=ctx_…         the context open in the drawer
 */
import { CONTEXT_STATUSES, type ContextStatus } from '@contract/constants';
import {
  formatCondition,
  MAX_CONDITIONS,
  parseCondition,
  type PathSegment,
} from '@contract/search/condition';
import { checkSearchText } from '@contract/search/search-params';
import { STATUS_LABELS } from '@/components/ui/status-badge';
import type { QueryValue } from '@/lib/api-client';

export interface ContextListFilters {
  agentId: string | null;
  workflowId: string | null;
  /** In CONTEXT_STATUSES order, no duplicates; empty = any status. */
  statuses: ContextStatus[];
  /** `YYYY-MM-DD` (start of that local day) or a full RFC 3339 time; null = no limit. */
  updatedBefore: string | null;
  /** Text to find inside contexts (`q`), valid per contract/search; null = none. */
  q: string | null;
  /** `where` conditions in canonical text (formatCondition), distinct, in the order added. */
  where: string[];
}

export interface BrowseState {
  filters: ContextListFilters;
  /** Id of the context open in the drawer. */
  contextId: string | null;
}

export const EMPTY_FILTERS: ContextListFilters = Object.freeze({
  agentId: null,
  workflowId: null,
  statuses: [],
  updatedBefore: null,
  q: null,
  where: [],
}) as ContextListFilters;

export const URL_PARAMS = {
  agentId: 'agent_id',
  workflowId: 'workflow_id',
  statuses: 'status',
  updatedBefore: 'updated_before',
  q: 'q',
  where: 'where',
  contextId: 'context',
} as const;

const OWN_PARAMS = new Set<string>(Object.values(URL_PARAMS));

const DATE_ONLY = /^(\d{4})-(\d{2})-(\d{2})$/;
// RFC 3339 as the server accepts it (with an offset or Z).
const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/i;

/** Trimmed text, or null for blank. Ids never carry meaningful outer whitespace. */
export const cleanText = (value: string | null | undefined): string | null => {
  const trimmed = (value ?? '').trim();
  return trimmed === '' ? null : trimmed;
};

/** Statuses deduplicated, unknown ones dropped, in canonical order. */
export const normalizeStatuses = (values: Iterable<string>): ContextStatus[] => {
  const wanted = new Set<string>(values);
  return CONTEXT_STATUSES.filter((s) => wanted.has(s));
};

/** A valid calendar day (`2026-02-30` is not) or an RFC 3339 time; anything else → null. */
export const normalizeUpdatedBefore = (value: string | null | undefined): string | null => {
  const text = cleanText(value);
  if (text === null) return null;
  const day = DATE_ONLY.exec(text);
  if (day) {
    const [, y, m, d] = day.map(Number) as [number, number, number, number];
    const date = new Date(Date.UTC(y, m - 1, d));
    return date.getUTCFullYear() === y && date.getUTCMonth() === m - 1 && date.getUTCDate() === d ? text : null;
  }
  return DATE_TIME.test(text) && !Number.isNaN(Date.parse(text)) ? text : null;
};

/** A searchable `q` (outer whitespace trimmed), or null when blank or not acceptable. */
export const normalizeQ = (value: string | null | undefined): string | null => {
  const text = cleanText(value);
  return text !== null && checkSearchText(text) === null ? text : null;
};

/** Conditions in canonical text, malformed and repeated ones dropped, at most MAX_CONDITIONS. */
export const normalizeWhere = (values: Iterable<string>): string[] => {
  const out: string[] = [];
  for (const value of values) {
    const parsed = parseCondition(value);
    if (!parsed.ok) continue;
    const text = formatCondition(parsed.condition);
    if (!out.includes(text)) out.push(text);
  }
  return out.slice(0, MAX_CONDITIONS);
};

/** Loose input: anything a URL, a form or a caller may hold. */
export interface FiltersInput {
  agentId?: string | null;
  workflowId?: string | null;
  statuses?: Iterable<string>;
  updatedBefore?: string | null;
  q?: string | null;
  where?: Iterable<string>;
}

export function normalizeFilters(filters: FiltersInput): ContextListFilters {
  return {
    agentId: cleanText(filters.agentId),
    workflowId: cleanText(filters.workflowId),
    statuses: normalizeStatuses(filters.statuses ?? []),
    updatedBefore: normalizeUpdatedBefore(filters.updatedBefore),
    q: normalizeQ(filters.q),
    where: normalizeWhere(filters.where ?? []),
  };
}

export function parseSearch(search: string): BrowseState {
  const params = new URLSearchParams(search.startsWith('?') ? search.slice(1) : search);
  return {
    filters: normalizeFilters({
      agentId: params.get(URL_PARAMS.agentId),
      workflowId: params.get(URL_PARAMS.workflowId),
      statuses: params.getAll(URL_PARAMS.statuses).flatMap((v) => v.split(',').map((s) => s.trim())),
      updatedBefore: params.get(URL_PARAMS.updatedBefore),
      q: params.get(URL_PARAMS.q),
      where: params.getAll(URL_PARAMS.where),
    }),
    contextId: cleanText(params.get(URL_PARAMS.contextId)),
  };
}

// Commas stay literal so that `status=failed,idle` reads as written; everything else is
// percent-encoded. Parsing splits on commas only for `status`, whose values never hold one.
const encode = (value: string) => encodeURIComponent(value).replace(/%2C/gi, ',');

/**
 * The query string (without `?`) for a state. Parameters this screen does not own are
 * kept, after ours, so that nothing another feature put in the URL is lost.
 */
export function serializeSearch(state: BrowseState, currentSearch = ''): string {
  const { filters, contextId } = state;
  const parts: string[] = [];
  const add = (name: string, value: string | null) => {
    if (value !== null && value !== '') parts.push(`${name}=${encode(value)}`);
  };
  add(URL_PARAMS.agentId, cleanText(filters.agentId));
  add(URL_PARAMS.workflowId, cleanText(filters.workflowId));
  add(URL_PARAMS.statuses, normalizeStatuses(filters.statuses).join(','));
  add(URL_PARAMS.updatedBefore, normalizeUpdatedBefore(filters.updatedBefore));
  add(URL_PARAMS.q, normalizeQ(filters.q));
  for (const condition of normalizeWhere(filters.where)) add(URL_PARAMS.where, condition);
  add(URL_PARAMS.contextId, cleanText(contextId));
  const others = new URLSearchParams(currentSearch.startsWith('?') ? currentSearch.slice(1) : currentSearch);
  for (const [name, value] of others) {
    if (!OWN_PARAMS.has(name)) parts.push(`${encode(name)}=${encode(value)}`);
  }
  return parts.join('&');
}

export const hasActiveFilters = (filters: ContextListFilters): boolean =>
  filters.agentId !== null ||
  filters.workflowId !== null ||
  filters.statuses.length > 0 ||
  filters.updatedBefore !== null ||
  hasSearch(filters);

/** Whether the filters search inside contexts (`q` or a condition). */
export const hasSearch = (filters: ContextListFilters): boolean => filters.q !== null || filters.where.length > 0;

export const sameFilters = (a: ContextListFilters, b: ContextListFilters): boolean =>
  a.agentId === b.agentId &&
  a.workflowId === b.workflowId &&
  a.updatedBefore === b.updatedBefore &&
  a.q === b.q &&
  a.statuses.length === b.statuses.length &&
  a.statuses.every((s, i) => s === b.statuses[i]) &&
  a.where.length === b.where.length &&
  a.where.every((w, i) => w === b.where[i]);

/**
 * "Not updated since <day>" as the instant the server compares against: the start of that
 * day in the viewer's time zone (support staff think in their own calendar days). A full
 * RFC 3339 time from the URL is sent unchanged.
 */
export function updatedBeforeToIso(value: string): string {
  const day = DATE_ONLY.exec(value);
  if (!day) return new Date(value).toISOString();
  const [, y, m, d] = day.map(Number) as [number, number, number, number];
  return new Date(y, m - 1, d).toISOString();
}

/** The list endpoint's filter parameters for these filters (paging is added by the caller). */
export function toListQuery(filters: ContextListFilters): Record<string, QueryValue> {
  const query: Record<string, QueryValue> = {};
  if (filters.agentId !== null) query.agent_id = filters.agentId;
  if (filters.workflowId !== null) query.workflow_id = filters.workflowId;
  if (filters.statuses.length > 0) query.status = filters.statuses;
  if (filters.updatedBefore !== null) query.updated_before = updatedBeforeToIso(filters.updatedBefore);
  if (filters.q !== null) query.q = filters.q;
  // One `where` parameter per condition: a condition may hold a comma.
  if (filters.where.length > 0) query.where = { repeated: filters.where };
  return query;
}


export type FilterChipKey = 'agentId' | 'workflowId' | 'statuses' | 'updatedBefore' | 'q' | 'where';

export interface FilterChip {
  key: FilterChipKey;
  /** `where` chips: which condition (index in `filters.where`). */
  index?: number;
  /** Short name of the filter, e.g. "agent". */
  name: string;
  /** The value as shown, e.g. "agent_123" or "Failed, Idle". */
  value: string;
}

/** One removable chip per active filter, in the order of the filters bar. */
export function filterChips(filters: ContextListFilters): FilterChip[] {
  const chips: FilterChip[] = [];
  if (filters.agentId !== null) chips.push({ key: 'agentId', name: 'agent', value: filters.agentId });
  if (filters.workflowId !== null) chips.push({ key: 'workflowId', name: 'workflow', value: filters.workflowId });
  if (filters.statuses.length > 0) {
    chips.push({ key: 'statuses', name: 'status', value: filters.statuses.map((s) => STATUS_LABELS[s]).join(', ') });
  }
  if (filters.updatedBefore !== null) {
    chips.push({ key: 'updatedBefore', name: 'not updated since', value: filters.updatedBefore });
  }
  if (filters.q !== null) chips.push({ key: 'q', name: 'contains', value: filters.q });
  filters.where.forEach((condition, index) => chips.push({ key: 'where', index, name: 'where', value: condition }));
  return chips;
}

/** The filters without the one a chip stands for (`index`: which condition). */
export function withoutFilter(filters: ContextListFilters, key: FilterChipKey, index?: number): ContextListFilters {
  if (key === 'where') return { ...filters, where: index === undefined ? [] : filters.where.filter((_, i) => i !== index) };
  return { ...filters, [key]: key === 'statuses' ? [] : null };
}

/** What the drawer's JSON viewer should show first for a search: q's matches, or a member. */
export type SearchHighlight = { text: string } | { path: PathSegment[] } | null;

/**
 * q wins (its matches are highlighted); otherwise the member named by the first condition
 * that says a member is there (not `!exists`, not `!=`, which also hold without it).
 */
export function searchHighlight(filters: ContextListFilters): SearchHighlight {
  if (filters.q !== null) return { text: filters.q };
  for (const text of filters.where) {
    const parsed = parseCondition(text);
    if (!parsed.ok) continue;
    const { condition } = parsed;
    if (condition.op === '!exists' || condition.op === '!=') continue;
    return { path: condition.path };
  }
  return null;
}
