/**
 * GET /api/ai/execution-contexts as the table consumes it: the summary view (rows carry a
 * 300-character preview instead of the whole context, so 10,000 rows stay cheap), 100 rows
 * a page, walked with the server's cursor so that rows created or deleted meanwhile never
 * make a row repeat or disappear between pages.
 */
import {
  infiniteQueryOptions,
  useInfiniteQuery,
  type InfiniteData,
  type QueryClient,
} from '@tanstack/react-query';
import { PER_PAGE_MAX } from '@contract/constants';
import type { ContextSummaryListResponse, ExecutionContextSummary } from '@contract/types';
import { apiData } from '@/lib/api-client';
import { toListQuery, type ContextListFilters } from '../filters';
import { dedupeRows } from '../lib/dedupe-rows';
import { contextKeys } from './keys';
import { readRetry, readRetryDelay } from './read-retry';

export const CONTEXTS_PATH = '/ai/execution-contexts';
export const CONTEXTS_PAGE_SIZE = PER_PAGE_MAX;

/** A cursor from the previous page's `next_cursor`; null for the first page. */
export type ContextsPageParam = string | null;
export type ContextsInfiniteData = InfiniteData<ContextSummaryListResponse, ContextsPageParam>;

export function fetchContextsPage(
  filters: ContextListFilters,
  after: ContextsPageParam,
  signal?: AbortSignal,
): Promise<ContextSummaryListResponse> {
  return apiData<ContextSummaryListResponse>(CONTEXTS_PATH, {
    query: { ...toListQuery(filters), per_page: CONTEXTS_PAGE_SIZE, view: 'summary', after },
    signal,
    rateClass: 'read',
  });
}

/** The rows of every loaded page, each id once (first occurrence wins). */
export interface ContextRows {
  rows: ExecutionContextSummary[];
  /** Whether the server has rows after the last loaded page. */
  hasMore: boolean;
  /**
   * The last page came back with fewer rows than asked for and yet more may follow: a
   * search the server scans in time-bounded steps (issue 10), to be continued.
   */
  scanContinues: boolean;
}

const selectRows = (data: ContextsInfiniteData): ContextRows => {
  const last = data.pages[data.pages.length - 1];
  return {
    // The cursor should never repeat a row; deduplicate anyway, because a duplicate React
    // key would corrupt the virtualized table, and a cache update from another feature
    // (or a server bug) must not be able to cause that.
    rows: dedupeRows(data.pages.map((p) => p.data)),
    hasMore: last ? last.next_cursor !== null : true,
    scanContinues: last !== undefined && last.next_cursor !== null && last.data.length < CONTEXTS_PAGE_SIZE,
  };
};

export const contextsInfiniteQueryOptions = (filters: ContextListFilters) =>
  infiniteQueryOptions({
    queryKey: contextKeys.infinite(filters),
    queryFn: ({ pageParam, signal }) => fetchContextsPage(filters, pageParam, signal),
    initialPageParam: null as ContextsPageParam,
    getNextPageParam: (last) => (last.has_more || last.next_cursor !== null ? (last.next_cursor ?? undefined) : undefined),
    select: selectRows,
    // Refetching an infinite query re-requests every loaded page in turn: after scrolling
    // 10,000 rows that is 100 reads, a whole minute of the read budget. So the list never
    // refetches behind the user's back; the toolbar's Refresh starts again from page one
    // (resetContextsList) and mutations update the cache in place (cache.ts).
    staleTime: 5 * 60_000,
    refetchOnWindowFocus: false,
    refetchOnReconnect: false,
    retry: readRetry,
    retryDelay: readRetryDelay,
  });

export function useContextsInfinite(filters: ContextListFilters) {
  return useInfiniteQuery(contextsInfiniteQueryOptions(filters));
}

/** Drops the loaded pages of these filters and loads the first one again. */
export function resetContextsList(queryClient: QueryClient, filters: ContextListFilters): Promise<void> {
  return queryClient.resetQueries({ queryKey: contextKeys.infinite(filters), exact: true });
}
