import { matchQuery, QueryClient } from '@tanstack/react-query';
import { describe, expect, it } from 'vitest';
import { EMPTY_FILTERS } from '../filters';
import { contextKeys } from './keys';

describe('contextKeys', () => {
  const filters = { ...EMPTY_FILTERS, agentId: 'a' };

  it('nests every key under its parent', () => {
    expect(contextKeys.lists().slice(0, 1)).toEqual(contextKeys.all);
    expect(contextKeys.list(filters).slice(0, 2)).toEqual(contextKeys.lists());
    expect(contextKeys.infinite(filters).slice(0, 3)).toEqual(contextKeys.list(filters));
    expect(contextKeys.detail('x').slice(0, 2)).toEqual(contextKeys.details());
  });

  it('never gives useQuery and useInfiniteQuery the same key', () => {
    expect(contextKeys.infinite(filters)).not.toEqual(contextKeys.list(filters));
  });

  it('lets invalidation of a parent reach its children only', () => {
    const client = new QueryClient();
    const cache = client.getQueryCache();
    client.setQueryData(contextKeys.infinite(filters), { pages: [], pageParams: [] });
    client.setQueryData(contextKeys.detail('x'), null);
    const infinite = cache.find({ queryKey: contextKeys.infinite(filters) });
    const detail = cache.find({ queryKey: contextKeys.detail('x') });
    expect(infinite && matchQuery({ queryKey: contextKeys.lists() }, infinite)).toBe(true);
    expect(infinite && matchQuery({ queryKey: contextKeys.list(filters) }, infinite)).toBe(true);
    expect(infinite && matchQuery({ queryKey: contextKeys.list(EMPTY_FILTERS) }, infinite)).toBe(false);
    expect(detail && matchQuery({ queryKey: contextKeys.lists() }, detail)).toBe(false);
    expect(detail && matchQuery({ queryKey: contextKeys.all }, detail)).toBe(true);
  });
});
