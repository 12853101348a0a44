/** POST /api/keys (admin): a new named key, shown once in the answer. */
import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { ApiKeyInfo, CreateKeyBody, CreatedKey } from '@contract/accountability-types';
import { apiData } from '@/lib/api-client';
import { apiKeyKeys } from './keys';

export function createApiKey(body: CreateKeyBody): Promise<CreatedKey> {
  return apiData<CreatedKey>('/keys', { method: 'POST', body, rateClass: 'write' });
}

/** Creates a key and adds it (without the secret) to the cached list. */
export function useCreateApiKey() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: createApiKey,
    onSuccess: ({ key: _secret, ...info }) => {
      queryClient.setQueryData<ApiKeyInfo[]>(apiKeyKeys.list(), (keys) => (keys ? [...keys, info] : keys));
    },
  });
}
