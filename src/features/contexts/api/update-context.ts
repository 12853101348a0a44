/**
 * PATCH /api/ai/execution-contexts/{id}: the editor's save. Always sent with `If-Match`
 * (the ETag of the version the user reviewed), so a concurrent save answers 412 instead of
 * being overwritten; the editor then re-merges (features/context-editor/lib/save-flow.ts).
 *
 * On success the cache is updated precisely — the detail entry from the response with its
 * new ETag, and the row in every loaded list page in place — and nothing is refetched:
 * refetching an infinite list would re-request every loaded page.
 */
import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { ExecutionContext, UpdateContextBody } from '@contract/types';
import { apiRequest } from '@/lib/api-client';
import { parseContextResponseAsync, toJsonValue } from '@/lib/context-json';
import { stringifyJson } from '@contract/json/lossless-json';
import { updateContextInCaches } from './cache';
import { contextPath, type ContextWithEtag } from './get-context';

export interface UpdateContextVariables {
  id: string;
  body: UpdateContextBody;
  /** ETag of the version the change was computed against (`"v3"`); `*` is never used here. */
  ifMatch: string;
  signal?: AbortSignal;
}

export async function updateContext({ id, body, ifMatch, signal }: UpdateContextVariables): Promise<ContextWithEtag> {
  const response = await apiRequest<ExecutionContext>(contextPath(id), {
    method: 'PATCH',
    // The context as read (numbers exactly, members in order), not JSON.stringify's copy.
    bodyText: stringifyJson(toJsonValue(body)),
    parse: parseContextResponseAsync,
    ifMatch,
    signal,
    rateClass: 'write',
  });
  return { context: response.data, etag: response.etag };
}

/**
 * The save mutation. No automatic retries: every failure of a conditional write needs a
 * decision (re-merge after 412, wait after 429, the user's Retry after a network error),
 * which the editor's save flow makes visibly.
 */
export function useUpdateContext() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: updateContext,
    retry: false,
    onSuccess: ({ context, etag }) => {
      updateContextInCaches(queryClient, context, etag);
    },
  });
}
