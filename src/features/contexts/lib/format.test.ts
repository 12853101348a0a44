import { describe, expect, it } from 'vitest';
import { formatBytes, formatCount } from './format';

describe('format', () => {
  it('formats counts with grouping', () => {
    expect(formatCount(1234)).toBe('1,234');
    expect(formatCount(0)).toBe('0');
  });

  it('formats sizes', () => {
    expect(formatBytes(0)).toBe('0 B');
    expect(formatBytes(1023)).toBe('1023 B');
    expect(formatBytes(1536)).toBe('1.5 KB');
    expect(formatBytes(2 * 1024 * 1024 + 100_000)).toBe('2.1 MB');
    expect(formatBytes(300 * 1024)).toBe('300 KB');
  });
});
