/**
 * POST /api/ai/deleted-execution-contexts/{id}/restore (admin): brings a deleted context
 * back with its id and content (201). Paced by the write budget like every write.
 */
import type { ExecutionContext } from '@contract/types';
import { apiRequest } from '@/lib/api-client';
import { parseContextResponseAsync } from '@/lib/context-json';

export async function restoreDeleted(id: string, signal?: AbortSignal): Promise<{ context: ExecutionContext; etag: string | null }> {
  const response = await apiRequest<ExecutionContext>(`/ai/deleted-execution-contexts/${encodeURIComponent(id)}/restore`, {
    method: 'POST',
    rateClass: 'write',
    signal,
    // The answer is a context: parsed losslessly like every context the dashboard reads.
    parse: parseContextResponseAsync,
  });
  return { context: response.data, etag: response.etag };
}
