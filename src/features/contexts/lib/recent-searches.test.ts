import { describe, expect, it } from 'vitest';
import {
  RECENT_SEARCHES_KEY,
  addRecentSearch,
  describeSearch,
  loadRecentSearches,
  rememberSearch,
  sanitizeRecentSearches,
} from './recent-searches';

describe('recent searches', () => {
  it('keeps the newest first, without duplicates, at most 20', () => {
    let list = addRecentSearch([], { q: 'alice', where: [] });
    list = addRecentSearch(list, { q: null, where: ['a = 1'] });
    list = addRecentSearch(list, { q: 'alice', where: [] });
    expect(list).toEqual([
      { q: 'alice', where: [] },
      { q: null, where: ['a = 1'] },
    ]);
    for (let i = 0; i < 30; i += 1) list = addRecentSearch(list, { q: `term ${i}`, where: [] });
    expect(list).toHaveLength(20);
    expect(list[0]).toEqual({ q: 'term 29', where: [] });
    expect(addRecentSearch(list, { q: null, where: [] })).toEqual(list);
  });

  it('drops whatever storage holds that is not a search', () => {
    expect(sanitizeRecentSearches('x')).toEqual([]);
    expect(sanitizeRecentSearches([{ q: 'ab' }, { where: ['bad ='] }, null, { q: 'abc', where: ['a=1', 5] }])).toEqual([
      { q: 'abc', where: ['a = 1'] },
    ]);
  });

  it('round-trips through storage and describes a search', () => {
    localStorage.removeItem(RECENT_SEARCHES_KEY);
    rememberSearch({ q: 'alice', where: ['a = 1'] });
    expect(loadRecentSearches()).toEqual([{ q: 'alice', where: ['a = 1'] }]);
    expect(describeSearch({ q: 'alice', where: ['a = 1'] })).toBe('alice · where a = 1');
    localStorage.setItem(RECENT_SEARCHES_KEY, '{broken');
    expect(loadRecentSearches()).toEqual([]);
  });
});
