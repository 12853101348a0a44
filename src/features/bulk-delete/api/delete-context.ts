/**
 * DELETE /api/ai/execution-contexts/{id}, as the delete job's `deleteOne`.
 *
 * Deliberately *without* `rateClass`: the job acquires the tab's delete budget itself
 * before every attempt (first try and retries alike); passing the class here would count
 * each request twice and halve the rate. The whole response is returned so that the job
 * sees its `RateLimit-*` headers (another client spending the same key).
 */
import { apiRequest, type ApiResponse } from '@/lib/api-client';
import { contextPath } from '@/features/contexts/api/get-context';

export function deleteContext(id: string, signal?: AbortSignal): Promise<ApiResponse<undefined>> {
  return apiRequest<undefined>(contextPath(id), { method: 'DELETE', signal });
}
