import { describe, expect, it } from 'vitest';
import { checkSearchText, parseSearchParams } from './search-params';

describe('checkSearchText', () => {
  it('wants 3 to 200 characters, counted as code points', () => {
    expect(checkSearchText('ab')).toMatchObject({ param: 'q', position: 2, expected: ['at least 3 characters'] });
    expect(checkSearchText('abc')).toBeNull();
    expect(checkSearchText('😀😀')).not.toBeNull();
    expect(checkSearchText('😀😀😀')).toBeNull();
    expect(checkSearchText('x'.repeat(201))).toMatchObject({ expected: ['at most 200 characters'] });
  });

  it('refuses control characters with their position', () => {
    expect(checkSearchText('abc\ndef')).toMatchObject({ position: 3, expected: ['a printable character'] });
  });
});

describe('parseSearchParams', () => {
  it('parses q (folded) and every where', () => {
    const result = parseSearchParams('Alice@Example.COM', ['a = 1', 'b exists']);
    expect(result).toEqual({
      ok: true,
      search: {
        q: 'alice@example.com',
        where: [
          { path: ['a'], op: '=', value: { type: 'number', text: '1' } },
          { path: ['b'], op: 'exists' },
        ],
      },
    });
    expect(parseSearchParams(undefined, 'a exists')).toMatchObject({ ok: true, search: { where: [{ op: 'exists' }] } });
    expect(parseSearchParams(undefined, undefined)).toEqual({ ok: true, search: { where: [] } });
  });

  it('reports every bad parameter with its index and position', () => {
    const result = parseSearchParams('ab', ['a = 1', 'b = ', 'c']);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.issues.map(({ param, index, position }) => ({ param, index, position }))).toEqual([
      { param: 'q', index: 0, position: 2 },
      { param: 'where', index: 1, position: 4 },
      { param: 'where', index: 2, position: 1 },
    ]);
  });

  it('limits the number of conditions', () => {
    const result = parseSearchParams(undefined, Array.from({ length: 11 }, () => 'a exists'));
    expect(result.ok).toBe(false);
  });
});
