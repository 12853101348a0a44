/** GET /api/ai/deleted-execution-contexts (admin): recently deleted contexts, page by page. */
import { infiniteQueryOptions, useInfiniteQuery } from '@tanstack/react-query';
import type { DeletedContext, DeletedListQueryInput } from '@contract/accountability-types';
import type { ListResponse } from '@contract/types';
import { apiData } from '@/lib/api-client';
import { historyKeys } from './keys';

export function fetchDeleted(
  filters: DeletedListQueryInput,
  after: string | undefined,
  signal?: AbortSignal,
): Promise<ListResponse<DeletedContext>> {
  return apiData<ListResponse<DeletedContext>>('/ai/deleted-execution-contexts', {
    query: { ...filters, per_page: 100, after },
    signal,
    rateClass: 'read',
  });
}

export const deletedQueryOptions = (filters: DeletedListQueryInput) =>
  infiniteQueryOptions({
    queryKey: historyKeys.deletedList(filters),
    queryFn: ({ pageParam, signal }) => fetchDeleted(filters, pageParam, signal),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (page) => page.next_cursor ?? undefined,
  });

export function useDeletedContexts(filters: DeletedListQueryInput) {
  return useInfiniteQuery(deletedQueryOptions(filters));
}
