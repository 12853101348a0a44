/**
 * DELETE /api/ai/execution-contexts/{id}, as the delete job's `deleteOne`.
 *
 * Deliberately *without* `rateClass`: the job acquires the tab's delete budget itself
 * before every attempt (first try and retries alike); passing the class here would count
 * each request twice and halve the rate. The whole response is returned so that the job
 * sees its `RateLimit-*` headers (another client spending the same key).
 */
import { DELETE_JOB_HEADER } from '@contract/accountability';
import { apiRequest, type ApiResponse } from '@/lib/api-client';
import { contextPath } from '@/features/contexts/api/get-context';

/** `job` names the delete job (X-Delete-Job), so "Recently deleted" can restore it whole. */
export function deleteContext(id: string, signal?: AbortSignal, job?: string): Promise<ApiResponse<undefined>> {
  return apiRequest<undefined>(contextPath(id), {
    method: 'DELETE',
    signal,
    ...(job ? { headers: { [DELETE_JOB_HEADER]: job } } : {}),
  });
}
