/**
 * The reads behind "Download as JSON": full contexts (the table only has summaries), by
 * list page with `view=full` or by id — both through the shared read budget, so that a
 * large backup waits its turn instead of tripping the server's limit.
 */
import { PER_PAGE_MAX } from '@contract/constants';
import type { ContextListResponse, ExecutionContext } from '@contract/types';
import { apiData } from '@/lib/api-client';
import { parseContextListResponseAsync } from '@/lib/context-json';
import { fetchContext, isNotFound } from '@/features/contexts/api/get-context';
import { CONTEXTS_PATH } from '@/features/contexts/api/list-contexts';
import { toListQuery, type ContextListFilters } from '@/features/contexts/filters';

export const BACKUP_PAGE_SIZE = PER_PAGE_MAX;

export function fetchFullContextsPage(
  filters: ContextListFilters,
  after: string | null,
  signal?: AbortSignal,
): Promise<ContextListResponse> {
  return apiData<ContextListResponse>(CONTEXTS_PATH, {
    query: { ...toListQuery(filters), per_page: BACKUP_PAGE_SIZE, view: 'full', after },
    signal,
    rateClass: 'read',
    // Full contexts: parsed losslessly, so the backup file has every number as stored.
    parse: parseContextListResponseAsync,
  });
}

/** The context, or null when it no longer exists. */
export async function fetchContextOrNull(id: string, signal?: AbortSignal): Promise<ExecutionContext | null> {
  try {
    return (await fetchContext(id, signal)).context;
  } catch (error) {
    if (isNotFound(error)) return null;
    throw error;
  }
}
