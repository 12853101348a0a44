import { describe, expect, it } from 'vitest';
import { parseJsonText } from '@contract/json/lossless-json';
import { flattenJson, lineContent } from './json-lines';
import { lineOfPath, pathMatch } from './reveal-path';

// The viewer flattens lossless values (Maps, exact numbers), as the dashboard holds them.
const value = parseJsonText(
  '{"customer":{"email":"alice@example.com"},"items":[{"sku":"A-1"},{"sku":"B-2","tags":["x"]}],"key.with.dots":{"x":true}}',
).value;
const lines = flattenJson(value);
const at = (path: (string | number)[]) => {
  const i = lineOfPath(lines, path);
  return i < 0 ? null : lineContent(lines[i]!);
};

describe('lineOfPath', () => {
  it('finds members and array items', () => {
    expect(at(['customer', 'email'])).toBe('"email": "alice@example.com"');
    expect(at(['items', 1, 'sku'])).toBe('"sku": "B-2",');
    expect(at(['items', 1, 'tags', 0])).toBe('"x"');
    expect(at(['key.with.dots', 'x'])).toBe('"x": true');
    expect(at(['items'])).toBe('"items": [');
  });

  it('answers -1 for what is not there', () => {
    expect(lineOfPath(lines, ['customer', 'phone'])).toBe(-1);
    expect(lineOfPath(lines, ['items', 2])).toBe(-1);
    expect(lineOfPath(lines, ['items', 'sku'])).toBe(-1);
    expect(lineOfPath(lines, ['customer', 0])).toBe(-1);
    expect(pathMatch(lines, ['nope'])).toBeNull();
  });

  it('gives a match spanning the member', () => {
    expect(pathMatch(lines, ['customer', 'email'])).toEqual({ line: 2, start: 0, end: 28 });
  });
});
