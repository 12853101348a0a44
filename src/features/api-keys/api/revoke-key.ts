/** DELETE /api/keys/{id} (admin): the key and its sessions stop working at once. */
import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { ApiKeyInfo } from '@contract/accountability-types';
import { apiRequest } from '@/lib/api-client';
import { apiKeyKeys } from './keys';

export async function revokeApiKey(id: string): Promise<void> {
  await apiRequest<null>(`/keys/${encodeURIComponent(id)}`, { method: 'DELETE', rateClass: 'delete' });
}

/** Revokes a key and removes it from the cached list. */
export function useRevokeApiKey() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: revokeApiKey,
    onSuccess: (_nothing, id) => {
      queryClient.setQueryData<ApiKeyInfo[]>(apiKeyKeys.list(), (keys) => keys?.filter((key) => key.id !== id));
    },
  });
}
