/**
 * POST …/{id}/versions/{version}/restore (editor): makes that version current again, with
 * If-Match like a save (412 when someone saved meanwhile). The answer is the new current
 * context; the caches are updated in place like after a save.
 */
import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { ExecutionContext } from '@contract/types';
import { updateContextInCaches } from '@/features/contexts';
import { apiRequest } from '@/lib/api-client';
import { parseContextResponseAsync } from '@/lib/context-json';
import { historyKeys } from './keys';

export interface RestoreVersionInput {
  id: string;
  version: number;
  /** The ETag of the context the user reviewed the restore against. */
  ifMatch: string;
}

export async function restoreVersion({ id, version, ifMatch }: RestoreVersionInput) {
  const response = await apiRequest<ExecutionContext>(
    `/ai/execution-contexts/${encodeURIComponent(id)}/versions/${version}/restore`,
    // The answer is a context: parsed losslessly like every context the dashboard reads.
    { method: 'POST', ifMatch, rateClass: 'write', parse: parseContextResponseAsync },
  );
  return { context: response.data, etag: response.etag };
}

export function useRestoreVersion() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: restoreVersion,
    onSuccess: ({ context, etag }, { id }) => {
      updateContextInCaches(queryClient, context, etag ?? undefined);
      void queryClient.invalidateQueries({ queryKey: historyKeys.versionList(id) });
    },
  });
}
