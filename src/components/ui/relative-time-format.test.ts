import { describe, expect, it } from 'vitest';
import { formatExact, formatIsoUtc, formatRelative } from './relative-time-format';

const NOW = Date.parse('2026-11-22T12:00:00.000Z');
const ago = (seconds: number) => new Date(NOW - seconds * 1000).toISOString();

describe('formatRelative', () => {
  it.each([
    [5, 'just now'],
    [44, 'just now'],
    [150, '2 minutes ago'],
    [60 * 60, '1 hour ago'],
    [5 * 3600, '5 hours ago'],
    [26 * 3600, 'yesterday'],
    [3 * 86400, '3 days ago'],
    [8 * 86400, 'last week'],
    [45 * 86400, 'last month'],
    [400 * 86400, 'last year'],
  ])('%i seconds ago → %s', (seconds, text) => {
    expect(formatRelative(ago(seconds), NOW)).toBe(text);
  });

  it('handles the future and bad input', () => {
    expect(formatRelative(ago(-2 * 3600), NOW)).toBe('in 2 hours');
    expect(formatRelative('not a date', NOW)).toBe('unknown time');
  });
});

describe('exact formats', () => {
  it('gives UTC ISO and a local text with the year', () => {
    expect(formatIsoUtc('2026-11-22T10:05:00Z')).toBe('2026-11-22T10:05:00.000Z');
    expect(formatExact('2026-11-22T10:05:00Z')).toMatch(/2026/);
  });
});
