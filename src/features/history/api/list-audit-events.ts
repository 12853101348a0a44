/** GET /api/audit-events (admin): the activity log, newest first, page by page. */
import { infiniteQueryOptions, useInfiniteQuery } from '@tanstack/react-query';
import type { AuditEvent, AuditQueryInput } from '@contract/accountability-types';
import type { ListResponse } from '@contract/types';
import { apiData } from '@/lib/api-client';
import { historyKeys } from './keys';

export function fetchAuditEvents(
  filters: AuditQueryInput,
  after: string | undefined,
  signal?: AbortSignal,
): Promise<ListResponse<AuditEvent>> {
  return apiData<ListResponse<AuditEvent>>('/audit-events', {
    query: { ...filters, per_page: 100, after },
    signal,
    rateClass: 'read',
  });
}

export const auditEventsQueryOptions = (filters: AuditQueryInput) =>
  infiniteQueryOptions({
    queryKey: historyKeys.auditList(filters),
    queryFn: ({ pageParam, signal }) => fetchAuditEvents(filters, pageParam, signal),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (page) => page.next_cursor ?? undefined,
  });

export function useAuditEvents(filters: AuditQueryInput) {
  return useInfiniteQuery(auditEventsQueryOptions(filters));
}
