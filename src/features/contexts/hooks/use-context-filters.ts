/**
 * The browse screen's state, read from and written to the URL (the source of truth): a
 * copied link, a reload and Back/Forward all reproduce the same view. Built on wouter's
 * location and search hooks, so it works under whatever router base the app uses.
 *
 * History policy:
 * - a filter change pushes an entry (Back returns to the previous filters); typing is
 *   coalesced by the caller with `{ replace: true }` so a word is one entry, not one per key;
 * - opening a context pushes an entry marked in `history.state`, so that closing the drawer
 *   goes back to it (Forward reopens) instead of stacking identical entries.
 */
import { useCallback, useMemo } from 'react';
import { useLocation, useSearch } from 'wouter';
import { EMPTY_FILTERS, parseSearch, serializeSearch, type BrowseState, type ContextListFilters } from '../filters';

export interface NavigateOptions {
  /** Replace the current history entry instead of pushing one. */
  replace?: boolean;
}

/** history.state marker of an entry pushed by opening the drawer. */
const DRAWER_ENTRY = 'ecc:context-drawer';

const isDrawerEntry = (state: unknown): boolean =>
  typeof state === 'object' && state !== null && (state as Record<string, unknown>)[DRAWER_ENTRY] === true;

export interface ContextFiltersApi extends BrowseState {
  setFilters: (filters: ContextListFilters, options?: NavigateOptions) => void;
  clearFilters: () => void;
  openContext: (id: string) => void;
  closeContext: () => void;
}

export function useContextFilters(): ContextFiltersApi {
  const search = useSearch();
  const [location, navigate] = useLocation();
  const state = useMemo(() => parseSearch(search), [search]);

  const go = useCallback(
    (next: BrowseState, options: { replace?: boolean; drawer?: boolean } = {}) => {
      const query = serializeSearch(next, search);
      if (query === serializeSearch(state, search)) return; // same view: no history entry
      navigate(query ? `${location}?${query}` : location, {
        replace: options.replace ?? false,
        state: options.drawer ? { [DRAWER_ENTRY]: true } : null,
      });
    },
    [location, navigate, search, state],
  );

  const setFilters = useCallback(
    (filters: ContextListFilters, options?: NavigateOptions) => go({ ...state, filters }, options),
    [go, state],
  );
  const clearFilters = useCallback(() => go({ ...state, filters: EMPTY_FILTERS }), [go, state]);
  const openContext = useCallback(
    (id: string) => go({ ...state, contextId: id }, { drawer: true, replace: state.contextId !== null }),
    [go, state],
  );
  const closeContext = useCallback(() => {
    if (state.contextId === null) return;
    if (isDrawerEntry(window.history.state)) {
      // We pushed this entry when the drawer opened: step back to the entry before it.
      window.history.back();
    } else {
      // Opened from a link or a reload: there is nothing of ours to go back to.
      go({ ...state, contextId: null }, { replace: true });
    }
  }, [go, state]);

  return { ...state, setFilters, clearFilters, openContext, closeContext };
}
