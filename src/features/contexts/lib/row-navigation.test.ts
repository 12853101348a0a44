import { describe, expect, it } from 'vitest';
import { nextRowIndex } from './row-navigation';

describe('nextRowIndex', () => {
  it('moves by one with arrows and j/k, clamped to the rows', () => {
    expect(nextRowIndex('ArrowDown', 0, 10, 20)).toBe(1);
    expect(nextRowIndex('j', 9, 10, 20)).toBe(9);
    expect(nextRowIndex('ArrowUp', 0, 10, 20)).toBe(0);
    expect(nextRowIndex('k', 5, 10, 20)).toBe(4);
  });

  it('moves by a screenful and to the ends', () => {
    expect(nextRowIndex('PageDown', 0, 100, 20)).toBe(19);
    expect(nextRowIndex('PageUp', 50, 100, 20)).toBe(31);
    expect(nextRowIndex('Home', 50, 100, 20)).toBe(0);
    expect(nextRowIndex('End', 0, 100, 20)).toBe(99);
  });

  it('ignores other keys and empty tables', () => {
    expect(nextRowIndex('Enter', 0, 10, 20)).toBeNull();
    expect(nextRowIndex('x', 0, 10, 20)).toBeNull();
    expect(nextRowIndex('ArrowDown', 0, 0, 20)).toBeNull();
  });
});
