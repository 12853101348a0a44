/**
 * GET /api/ai/execution-contexts/{id}: the whole context (the drawer, "Go to context") with
 * its ETag, which the editor needs for If-Match. The context is kept exactly as the server
 * sent it, extra fields included: the answer is read as text and parsed losslessly, in
 * time slices (src/lib/context-json.ts), so a 2 MB context keeps every number and opens
 * without a long task.
 */
import { queryOptions, useQuery } from '@tanstack/react-query';
import type { ExecutionContext } from '@contract/types';
import { apiRequest, isApiError } from '@/lib/api-client';
import { parseContextResponseAsync } from '@/lib/context-json';
import { contextKeys } from './keys';
import { CONTEXTS_PATH } from './list-contexts';
import { readRetry, readRetryDelay } from './read-retry';

export interface ContextWithEtag {
  context: ExecutionContext;
  /** `"v<version>"`; null when the server did not send one. */
  etag: string | null;
}

export const contextPath = (id: string) => `${CONTEXTS_PATH}/${encodeURIComponent(id)}`;

export async function fetchContext(id: string, signal?: AbortSignal): Promise<ContextWithEtag> {
  const response = await apiRequest<ExecutionContext>(contextPath(id), {
    signal,
    rateClass: 'read',
    parse: parseContextResponseAsync,
  });
  return { context: response.data, etag: response.etag };
}

export const contextQueryOptions = (id: string) =>
  queryOptions({
    queryKey: contextKeys.detail(id),
    queryFn: ({ signal }) => fetchContext(id, signal),
    staleTime: 30_000,
    // A refetch would deep-compare the old and new context (up to megabytes of JSON) to
    // keep object identities; a context is replaced as a whole anyway.
    structuralSharing: false,
    retry: readRetry,
    retryDelay: readRetryDelay,
  });

/** The context open in the drawer; `id` null disables the query. */
export function useExecutionContext(id: string | null) {
  return useQuery({ ...contextQueryOptions(id ?? ''), enabled: id !== null });
}

export const isNotFound = (error: unknown): boolean => isApiError(error) && error.status === 404;
