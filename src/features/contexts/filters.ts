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
 *   context=ctx_…         the context open in the drawer
 */
import { CONTEXT_STATUSES, type ContextStatus } from '@contract/constants';
import { STATUS_LABELS } from '@/components/ui/status-badge';
import type { QueryValue } from '@/lib/api-client';

export interface ContextListFilters {
  agentId: string | null;
  workflowId: string | null;
  /** In CONTEXT_STATUSES order, no duplicates; empty = any status. */
  statuses: ContextStatus[];
  /** `YYYY-MM-DD` (start of that local day) or a full RFC 3339 time; null = no limit. */
  updatedBefore: string | null;
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
}) as ContextListFilters;

export const URL_PARAMS = {
  agentId: 'agent_id',
  workflowId: 'workflow_id',
  statuses: 'status',
  updatedBefore: 'updated_before',
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

/** Loose input: anything a URL, a form or a caller may hold. */
export interface FiltersInput {
  agentId?: string | null;
  workflowId?: string | null;
  statuses?: Iterable<string>;
  updatedBefore?: string | null;
}

export function normalizeFilters(filters: FiltersInput): ContextListFilters {
  return {
    agentId: cleanText(filters.agentId),
    workflowId: cleanText(filters.workflowId),
    statuses: normalizeStatuses(filters.statuses ?? []),
    updatedBefore: normalizeUpdatedBefore(filters.updatedBefore),
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
  filters.updatedBefore !== null;

export const sameFilters = (a: ContextListFilters, b: ContextListFilters): boolean =>
  a.agentId === b.agentId &&
  a.workflowId === b.workflowId &&
  a.updatedBefore === b.updatedBefore &&
  a.statuses.length === b.statuses.length &&
  a.statuses.every((s, i) => s === b.statuses[i]);

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
  return query;
}


export type FilterChipKey = 'agentId' | 'workflowId' | 'statuses' | 'updatedBefore';

export interface FilterChip {
  key: FilterChipKey;
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
  return chips;
}

/** The filters without the one a chip stands for. */
export function withoutFilter(filters: ContextListFilters, key: FilterChipKey): ContextListFilters {
  return { ...filters, [key]: key === 'statuses' ? [] : null };
}
