/**
 * Precise cache updates after a mutation, for the editor and the delete features: the
 * loaded list pages are mapped over in place (a row keeps its position, so nothing jumps
 * under the user's eyes) and the detail entry is set, instead of refetching — a refetch of
 * an infinite list re-requests every loaded page and spends the read budget.
 *
 * A changed row stays where it is even if it no longer matches the list's filters (its
 * status cannot change through the API; only `context` and `session_id` can), and the next
 * Refresh brings the list back in line.
 */
import type { InfiniteData, QueryClient } from '@tanstack/react-query';
import { toSummary } from '@contract/summary';
import type { ExecutionContext, ExecutionContextSummary, ListResponse } from '@contract/types';
import type { ContextWithEtag } from './get-context';
import { contextKeys } from './keys';

type ListRow = ExecutionContext | ExecutionContextSummary;
type ListPage = ListResponse<ListRow>;
type ListCacheValue = ListPage | InfiniteData<ListPage, unknown>;

const isInfinite = (value: ListCacheValue): value is InfiniteData<ListPage, unknown> =>
  'pages' in value && Array.isArray(value.pages);

/** Applies `mapRows` to every page of every cached list (infinite or not). */
function mapListPages(queryClient: QueryClient, mapRows: (rows: ListRow[]) => ListRow[]): void {
  queryClient.setQueriesData<ListCacheValue>({ queryKey: contextKeys.lists() }, (value) => {
    if (!value) return value;
    const mapPage = (page: ListPage): ListPage => {
      const data = mapRows(page.data);
      return data === page.data ? page : { ...page, data };
    };
    if (isInfinite(value)) {
      const pages = value.pages.map(mapPage);
      return pages.every((p, i) => p === value.pages[i]) ? value : { ...value, pages };
    }
    return mapPage(value);
  });
}

/**
 * After a successful PATCH (or any fresh copy of a context): the detail entry becomes
 * `{ context, etag }` and every loaded list row with that id is replaced — by the summary
 * of the context in summary lists, by the context itself in full lists. Pass the ETag of
 * the response; without one the detail's ETag becomes null (unknown), never a stale one.
 */
export function updateContextInCaches(
  queryClient: QueryClient,
  context: ExecutionContext,
  etag: string | null = null,
): void {
  queryClient.setQueryData<ContextWithEtag>(contextKeys.detail(context.id), { context, etag });
  let summary: ExecutionContextSummary | undefined;
  mapListPages(queryClient, (rows) => {
    const index = rows.findIndex((r) => r.id === context.id);
    if (index < 0) return rows;
    const current = rows[index] as ListRow;
    const next = [...rows];
    next[index] = 'context_preview' in current ? (summary ??= toSummary(context)) : context;
    return next;
  });
}

/**
 * After deletes: the rows disappear from every loaded list page and the detail entries are
 * dropped (without a refetch, which would only answer 404).
 */
export function removeContextsFromCaches(queryClient: QueryClient, ids: Iterable<string>): void {
  const gone = new Set(ids);
  if (gone.size === 0) return;
  mapListPages(queryClient, (rows) => (rows.some((r) => gone.has(r.id)) ? rows.filter((r) => !gone.has(r.id)) : rows));
  for (const id of gone) queryClient.removeQueries({ queryKey: contextKeys.detail(id), exact: true });
}
