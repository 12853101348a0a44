import { describe, expect, it } from 'vitest';
import { etagOf, ifMatchAllows, parseIfMatch } from './etag';

describe('etagOf', () => {
  it('is a strong "v<version>" tag', () => {
    expect(etagOf(1)).toBe('"v1"');
    expect(etagOf(42)).toBe('"v42"');
  });
});

describe('parseIfMatch', () => {
  it.each([
    [undefined, { kind: 'none' }],
    ['*', { kind: 'any' }],
    [' * ', { kind: 'any' }],
    ['"v3"', { kind: 'versions', versions: [3] }],
    ['"v3", "v5"', { kind: 'versions', versions: [3, 5] }],
    ['"v3",W/"v4", junk', { kind: 'versions', versions: [3] }],
    [['"v1"', '"v2"'], { kind: 'versions', versions: [1, 2] }],
    ['W/"v3"', { kind: 'never' }],
    ['v3', { kind: 'never' }],
    ['"3"', { kind: 'never' }],
    ['"v0"', { kind: 'never' }],
    ['"v01"', { kind: 'never' }],
    ['"v1e3"', { kind: 'never' }],
    ['', { kind: 'never' }],
  ])('%j → %j', (header, expected) => {
    expect(parseIfMatch(header)).toEqual(expected);
  });
});

describe('ifMatchAllows', () => {
  it('none and * allow any version; versions must contain it; never never does', () => {
    expect(ifMatchAllows({ kind: 'none' }, 7)).toBe(true);
    expect(ifMatchAllows({ kind: 'any' }, 7)).toBe(true);
    expect(ifMatchAllows({ kind: 'versions', versions: [6, 7] }, 7)).toBe(true);
    expect(ifMatchAllows({ kind: 'versions', versions: [6] }, 7)).toBe(false);
    expect(ifMatchAllows({ kind: 'never' }, 7)).toBe(false);
  });
});
