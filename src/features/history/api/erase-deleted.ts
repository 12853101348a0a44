/** DELETE /api/ai/deleted-execution-contexts/{id} (admin): erases it and all its versions now. */
import { apiRequest } from '@/lib/api-client';

export async function eraseDeleted(id: string, signal?: AbortSignal): Promise<void> {
  await apiRequest<null>(`/ai/deleted-execution-contexts/${encodeURIComponent(id)}`, {
    method: 'DELETE',
    rateClass: 'delete',
    signal,
  });
}
