/** GET …/{id}/versions: the versions of a context, newest first, page by page. */
import { infiniteQueryOptions, useInfiniteQuery } from '@tanstack/react-query';
import type { VersionEntry } from '@contract/accountability-types';
import type { ListResponse } from '@contract/types';
import { apiData } from '@/lib/api-client';
import { historyKeys } from './keys';

export const VERSIONS_PAGE_SIZE = 50;

export function fetchVersions(id: string, after: string | undefined, signal?: AbortSignal): Promise<ListResponse<VersionEntry>> {
  return apiData<ListResponse<VersionEntry>>(`/ai/execution-contexts/${encodeURIComponent(id)}/versions`, {
    query: { per_page: VERSIONS_PAGE_SIZE, after },
    signal,
    rateClass: 'read',
  });
}

export const versionsQueryOptions = (id: string) =>
  infiniteQueryOptions({
    queryKey: historyKeys.versionList(id),
    queryFn: ({ pageParam, signal }) => fetchVersions(id, pageParam, signal),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (page) => page.next_cursor ?? undefined,
  });

/** The versions of one context (the drawer's History tab). */
export function useVersions(id: string) {
  return useInfiniteQuery(versionsQueryOptions(id));
}
