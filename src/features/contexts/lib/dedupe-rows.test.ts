import { describe, expect, it } from 'vitest';
import { dedupeRows } from './dedupe-rows';

describe('dedupeRows', () => {
  it('keeps page order and the first row of each id', () => {
    const a1 = { id: 'a', n: 1 };
    const a2 = { id: 'a', n: 2 };
    const b = { id: 'b', n: 3 };
    const c = { id: 'c', n: 4 };
    expect(dedupeRows([[a1, b], [a2, c], []])).toEqual([a1, b, c]);
  });

  it('handles no pages and duplicates inside one page', () => {
    expect(dedupeRows([])).toEqual([]);
    expect(dedupeRows([[{ id: 'x' }, { id: 'x' }]])).toEqual([{ id: 'x' }]);
  });
});
