/**
 * Query keys of the contexts domain: the only place they are built, so that every hook,
 * cache helper and invalidation in the app agrees on them.
 *
 *   all → lists() → list(filters) → infinite(filters)
 *   all → details() → detail(id)
 *
 * `infinite(filters)` extends `list(filters)` with its own segment because a key must never
 * be shared between `useQuery` (data: one page) and `useInfiniteQuery` (data: `{ pages }`):
 * both would read each other's cache entry and break. Invalidating `lists()` or
 * `list(filters)` still reaches the infinite queries below them.
 */
import type { ContextListFilters } from '../filters';

export const contextKeys = {
  all: ['contexts'] as const,
  lists: () => [...contextKeys.all, 'list'] as const,
  list: (filters: ContextListFilters) => [...contextKeys.lists(), filters] as const,
  infinite: (filters: ContextListFilters) => [...contextKeys.list(filters), 'infinite'] as const,
  details: () => [...contextKeys.all, 'detail'] as const,
  detail: (id: string) => [...contextKeys.details(), id] as const,
};
