import { useCallback, useMemo } from 'react';
import { useLocation, useSearch } from 'wouter';
import { parseUrlFilters, serializeUrlFilters, type UrlFilters } from './url-filters';

/** Filters of an admin list, kept in the URL's query string (each change is a history entry). */
export function useUrlFilters<Name extends string>(names: readonly Name[]) {
  const search = useSearch();
  const [location, navigate] = useLocation();
  // eslint-disable-next-line react-hooks/exhaustive-deps -- names is a module constant
  const filters = useMemo(() => parseUrlFilters(search, names), [search]);
  const setFilters = useCallback(
    (next: UrlFilters<Name>) => navigate(`${location}${serializeUrlFilters(next, names)}`),
    // eslint-disable-next-line react-hooks/exhaustive-deps -- names is a module constant
    [location, navigate],
  );
  return [filters, setFilters] as const;
}
