import { describe, expect, it } from 'vitest';
import { toJsonValue } from '@/lib/context-json';
import { flattenJson, lineContent, searchLines } from './json-lines';
import { segmentLine } from './line-segments';

describe('segmentLine', () => {
  const lines = flattenJson(toJsonValue({ name: 'Ada', n: 1, ok: true, none: null, list: [1] }));

  it('classifies keys, punctuation and values', () => {
    expect(segmentLine(lines[1]!).segments).toEqual([
      { text: '"name"', token: 'key' },
      { text: ': ', token: 'punct' },
      { text: '"Ada"', token: 'string' },
      { text: ',', token: 'punct' },
    ]);
    expect(segmentLine(lines[4]!).segments.map((s) => s.token)).toEqual(['key', 'punct', 'null', 'punct']);
    expect(segmentLine(lines[5]!).segments).toEqual([
      { text: '"list"', token: 'key' },
      { text: ': [', token: 'punct' },
    ]);
  });

  it('marks matches and the current one, splitting tokens where needed', () => {
    const { matches } = searchLines(lines, 'a');
    const onLine = matches.filter((m) => m.line === 1);
    const { segments } = segmentLine(lines[1]!, { matches: onLine, current: onLine[1] ?? null });
    expect(segments).toEqual([
      { text: '"n', token: 'key' },
      { text: 'a', token: 'key', mark: 'match' },
      { text: 'me"', token: 'key' },
      { text: ': ', token: 'punct' },
      { text: '"', token: 'string' },
      { text: 'A', token: 'string', mark: 'current' },
      { text: 'd', token: 'string' },
      { text: 'a', token: 'string', mark: 'match' },
      { text: '"', token: 'string' },
      { text: ',', token: 'punct' },
    ]);
    expect(segments.map((s) => s.text).join('')).toBe(lineContent(lines[1]!));
  });

  it('cuts a very long line and says how much is hidden', () => {
    const long = flattenJson(toJsonValue({ blob: 'x'.repeat(5000) }));
    const { segments, hidden } = segmentLine(long[1]!, { limit: 100 });
    expect(segments.map((s) => s.text).join('')).toHaveLength(100);
    expect(hidden).toBe(lineContent(long[1]!).length - 100);
    expect(segmentLine(long[1]!, { limit: Infinity }).hidden).toBe(0);
  });
});
