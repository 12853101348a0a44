import { describe, expect, it } from 'vitest';
import { parseUrlFilters, serializeUrlFilters, toRfc3339 } from './url-filters';

const NAMES = ['actor', 'action', 'since'] as const;

describe('url filters', () => {
  it('reads only the named, non-empty parameters', () => {
    expect(parseUrlFilters('?actor=key_1&action=&other=x&since=2026-11-01', NAMES)).toEqual({ actor: 'key_1', since: '2026-11-01' });
  });

  it('serialises canonically (fixed order, empties dropped)', () => {
    expect(serializeUrlFilters({ since: '2026-11-01', actor: 'key_1', action: '' }, NAMES)).toBe('?actor=key_1&since=2026-11-01');
    expect(serializeUrlFilters({}, NAMES)).toBe('');
  });

  it('round-trips names that look like prototype members', () => {
    const parsed = parseUrlFilters('?actor=__proto__', NAMES);
    expect(parsed.actor).toBe('__proto__');
    expect(({} as Record<string, unknown>).actor).toBeUndefined();
  });

  it('turns a day into the start of that local day, and refuses nonsense', () => {
    expect(toRfc3339('2026-11-01')).toBe(new Date(2026, 10, 1).toISOString());
    expect(toRfc3339('2026-11-01T10:00:00Z')).toBe('2026-11-01T10:00:00.000Z');
    expect(toRfc3339('yesterday')).toBeUndefined();
  });
});
