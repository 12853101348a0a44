/**
 * The last searches (text and conditions) made in this browser, newest first, for the
 * search box to offer again. Kept in localStorage; reading is defensive (storage may be
 * disabled, full, or hold something an older version wrote): what is not a valid search
 * is dropped.
 */
import { normalizeQ, normalizeWhere } from '../filters';

export interface RecentSearch {
  q: string | null;
  where: string[];
}

export const RECENT_SEARCHES_KEY = 'ecc:contexts:recent-searches:v1';
export const RECENT_SEARCHES_MAX = 20;

const sameSearch = (a: RecentSearch, b: RecentSearch) =>
  a.q === b.q && a.where.length === b.where.length && a.where.every((w, i) => w === b.where[i]);

/** A search as text for a list item: `alice · where a = 1`. */
export const describeSearch = (search: RecentSearch): string =>
  [search.q, ...search.where.map((w) => `where ${w}`)].filter((part): part is string => part !== null).join(' · ');

/** The list with `search` first, without an earlier copy of it, at most RECENT_SEARCHES_MAX. */
export function addRecentSearch(list: readonly RecentSearch[], search: RecentSearch): RecentSearch[] {
  if (search.q === null && search.where.length === 0) return [...list];
  return [search, ...list.filter((s) => !sameSearch(s, search))].slice(0, RECENT_SEARCHES_MAX);
}

export function sanitizeRecentSearches(value: unknown): RecentSearch[] {
  if (!Array.isArray(value)) return [];
  const out: RecentSearch[] = [];
  for (const item of value as unknown[]) {
    if (typeof item !== 'object' || item === null) continue;
    const { q, where } = item as Record<string, unknown>;
    const search: RecentSearch = {
      q: typeof q === 'string' ? normalizeQ(q) : null,
      where: Array.isArray(where) ? normalizeWhere(where.filter((w): w is string => typeof w === 'string')) : [],
    };
    if (search.q !== null || search.where.length > 0) out.push(search);
  }
  return out.slice(0, RECENT_SEARCHES_MAX);
}

const safeStorage = (): Storage | undefined => {
  try {
    return window.localStorage;
  } catch {
    return undefined;
  }
};

export function loadRecentSearches(storage: Storage | undefined = safeStorage()): RecentSearch[] {
  try {
    const raw = storage?.getItem(RECENT_SEARCHES_KEY);
    // fidelity-ok: our own list of search strings, not context data.
    return raw ? sanitizeRecentSearches(JSON.parse(raw)) : []; // fidelity-ok: recent search strings
  } catch {
    return [];
  }
}

/** Remembers a search; returns the new list. */
export function rememberSearch(search: RecentSearch, storage: Storage | undefined = safeStorage()): RecentSearch[] {
  const next = addRecentSearch(loadRecentSearches(storage), search);
  try {
    // fidelity-ok: our own list of search strings, not context data.
    storage?.setItem(RECENT_SEARCHES_KEY, JSON.stringify(next)); // fidelity-ok: recent search strings
  } catch {
    // Full or disabled storage: the list is a convenience.
  }
  return next;
}
