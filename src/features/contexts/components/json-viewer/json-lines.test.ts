import type { JsonValue } from '@contract/types';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  ancestorsOf,
  flattenJson,
  foldSummary,
  lineContent,
  linesToText,
  nestedOpenLines,
  searchLines,
  visibleLineIndices,
} from './json-lines';

const sample: JsonValue = {
  current_step: 'processing',
  progress: 75,
  tags: ['a', 'b'],
  nested: { empty: {}, list: [], ok: true, none: null },
};

describe('flattenJson', () => {
  it('gives exactly the text of JSON.stringify(value, null, 2)', () => {
    expect(linesToText(flattenJson(sample))).toBe(JSON.stringify(sample, null, 2));
  });

  it('does so for any JSON value, keeping key order and escapes', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        // fast-check's jsonValue can produce -0, which JSON.stringify prints as 0: so does ours.
        expect(linesToText(flattenJson(value as JsonValue))).toBe(JSON.stringify(value, null, 2));
      }),
      { numRuns: 300 },
    );
  });

  it('records fold ranges, parents and sizes', () => {
    const lines = flattenJson(sample);
    const root = lines[0];
    expect(root).toMatchObject({ kind: 'open', text: '{', size: 4, parent: -1, end: lines.length - 1 });
    const tagsIndex = lines.findIndex((l) => l.key === '"tags"');
    const tags = lines[tagsIndex];
    expect(tags).toMatchObject({ kind: 'open', valueType: 'array', size: 2, parent: 0 });
    expect(lines[tags?.end ?? -1]).toMatchObject({ kind: 'close', text: ']', comma: true });
    expect(lineContent(lines[tagsIndex + 1] as (typeof lines)[number])).toBe('"a",');
    expect(foldSummary(tags as (typeof lines)[number])).toBe('2 items');
    expect(foldSummary(root as (typeof lines)[number])).toBe('4 keys');
  });

  it('returns the same lines for the same object (the viewer may mount twice)', () => {
    const value = { a: [1, 2] };
    expect(flattenJson(value)).toBe(flattenJson(value));
    expect(flattenJson({ a: [1, 2] })).not.toBe(flattenJson(value));
  });

  it('handles a deeply nested document without recursion limits', () => {
    let deep: JsonValue = 1;
    for (let i = 0; i < 20_000; i++) deep = [deep];
    const lines = flattenJson(deep);
    expect(lines).toHaveLength(40_001);
  });

  it('flattens a 2 MB context quickly', () => {
    const big = {
      messages: Array.from({ length: 8000 }, (_, i) => ({ role: i % 2 ? 'user' : 'assistant', text: 'x'.repeat(220), n: i })),
    };
    expect(JSON.stringify(big).length).toBeGreaterThan(1_900_000);
    const t0 = performance.now();
    const lines = flattenJson(big);
    const hits = searchLines(lines, 'assistant');
    const elapsed = performance.now() - t0;
    expect(hits.matches).toHaveLength(4000);
    // Generous for slow CI; locally it is ~50 ms.
    expect(elapsed).toBeLessThan(1500);
  });
});

describe('folding', () => {
  const lines = flattenJson(sample);
  const nestedIndex = lines.findIndex((l) => l.key === '"nested"');

  it('hides a folded range behind its open line', () => {
    const all = visibleLineIndices(lines, new Set());
    expect(all).toHaveLength(lines.length);
    const folded = visibleLineIndices(lines, new Set([nestedIndex]));
    expect([...folded]).toContain(nestedIndex);
    expect([...folded]).not.toContain(nestedIndex + 1);
    expect([...folded]).not.toContain(lines[nestedIndex]?.end);
    expect(folded).toHaveLength(lines.length - 5);
    // Folding the root leaves one line.
    expect([...visibleLineIndices(lines, new Set([0]))]).toEqual([0]);
  });

  it('finds ancestors and the lines "collapse all" folds', () => {
    const okIndex = lines.findIndex((l) => l.key === '"ok"');
    expect(ancestorsOf(lines, okIndex)).toEqual([nestedIndex, 0]);
    expect(ancestorsOf(lines, 0)).toEqual([]);
    const nested = nestedOpenLines(lines);
    expect([...nested].map((i) => lines[i]?.key)).toEqual(['"tags"', '"nested"']);
  });
});

describe('searchLines', () => {
  const lines = flattenJson({ Alpha: 'alpha ALPHA', beta: ['alphabet'] });

  it('finds every case-insensitive occurrence in keys and values', () => {
    const { matches, truncated } = searchLines(lines, 'alpha');
    expect(truncated).toBe(false);
    expect(matches).toEqual([
      { line: 1, start: 1, end: 6 },
      { line: 1, start: 10, end: 15 },
      { line: 1, start: 16, end: 21 },
      { line: 3, start: 1, end: 6 },
    ]);
  });

  it('stops at the limit and ignores an empty query', () => {
    expect(searchLines(lines, 'a', 2)).toMatchObject({ truncated: true });
    expect(searchLines(lines, 'a', 2).matches).toHaveLength(2);
    expect(searchLines(lines, '')).toEqual({ matches: [], truncated: false });
  });
});
