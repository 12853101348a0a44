/** GET /api/keys (admin): the active keys, never the keys themselves. */
import { queryOptions, useQuery } from '@tanstack/react-query';
import type { ApiKeyInfo } from '@contract/accountability-types';
import { apiData } from '@/lib/api-client';
import { apiKeyKeys } from './keys';

export async function fetchApiKeys(signal?: AbortSignal): Promise<ApiKeyInfo[]> {
  const body = await apiData<{ data: ApiKeyInfo[] }>('/keys', { signal, rateClass: 'read' });
  return body.data;
}

export const apiKeysQueryOptions = () =>
  queryOptions({ queryKey: apiKeyKeys.list(), queryFn: ({ signal }) => fetchApiKeys(signal) });

/** The active API keys (admin only). */
export function useApiKeys() {
  return useQuery(apiKeysQueryOptions());
}
