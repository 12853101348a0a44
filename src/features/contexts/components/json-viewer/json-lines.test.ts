import { LosslessNumber, parseJsonText, stringifyJson, type JsonValue } from '@contract/json/lossless-json';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { toJsonValue } from '@/lib/context-json';
import {
  ancestorsOf,
  flattenJson,
  flattenJsonAsync,
  flattenJsonWithin,
  foldSummary,
  lineContent,
  linesToText,
  nestedOpenLines,
  searchLines,
  visibleLineIndices,
} from './json-lines';

/** Plain test data as the lossless values the viewer gets. */
const L = (plain: unknown): JsonValue => toJsonValue(plain);

const sample: JsonValue = L({
  current_step: 'processing',
  progress: 75,
  tags: ['a', 'b'],
  nested: { empty: {}, list: [], ok: true, none: null },
});

const numberText = fc
  .tuple(
    fc.boolean(),
    fc.oneof(fc.constant('0'), fc.stringMatching(/^[1-9][0-9]{0,25}$/)),
    fc.option(fc.stringMatching(/^[0-9]{1,20}$/), { nil: undefined }),
    fc.option(fc.tuple(fc.constantFrom('e', 'E'), fc.constantFrom('', '+', '-'), fc.stringMatching(/^[0-9]{1,4}$/)), { nil: undefined }),
  )
  .map(([neg, int, frac, exp]) => `${neg ? '-' : ''}${int}${frac === undefined ? '' : `.${frac}`}${exp ? exp.join('') : ''}`);
const losslessValue: fc.Arbitrary<JsonValue> = fc.letrec<{ value: JsonValue }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    fc.constant(null),
    fc.boolean(),
    fc.string(),
    numberText.map((t) => new LosslessNumber(t)),
    fc.array(tie('value'), { maxLength: 4 }),
    fc
      .uniqueArray(fc.tuple(fc.oneof(fc.string(), fc.constantFrom('10', '2', '__proto__', 'constructor')), tie('value')), {
        maxLength: 4,
        selector: ([k]) => k,
      })
      .map((entries) => new Map(entries)),
  ),
})).value;

describe('flattenJson', () => {
  it('gives exactly the text of stringifyJson(value, 2), which is JSON.stringify\'s layout', () => {
    expect(linesToText(flattenJson(sample))).toBe(stringifyJson(sample, 2));
    expect(linesToText(flattenJson(sample))).toBe(JSON.stringify({ current_step: 'processing', progress: 75, tags: ['a', 'b'], nested: { empty: {}, list: [], ok: true, none: null } }, null, 2)); // fidelity-ok: plain safe values as the expected text
  });

  it('does so for any JSON value, keeping number spellings, member order and escapes', () => {
    fc.assert(
      fc.property(losslessValue, (value) => {
        expect(linesToText(flattenJson(value))).toBe(stringifyJson(value, 2));
      }),
      { numRuns: 300 },
    );
  });

  it('shows big numbers and odd spellings as stored, in stored order, and finds them by their digits', () => {
    const value = parseJsonText('{"z":1,"10":750727362669608961,"2":{"price":1.10,"exp":1E2,"neg":-0}}').value;
    const lines = flattenJson(value);
    expect(linesToText(lines)).toBe('{\n  "z": 1,\n  "10": 750727362669608961,\n  "2": {\n    "price": 1.10,\n    "exp": 1E2,\n    "neg": -0\n  }\n}');
    expect(searchLines(lines, '750727362669608961').matches).toEqual([{ line: 2, start: 6, end: 24 }]);
    expect(searchLines(lines, '1.10').matches).toHaveLength(1);
  });

  it('flattens the same in time slices, and within a budget when small', async () => {
    const big = L({ messages: Array.from({ length: 3000 }, (_, i) => ({ n: i, text: 'x'.repeat(50) })) });
    const sliced = await flattenJsonAsync(big, { sliceMs: 1 });
    expect(linesToText(sliced)).toBe(stringifyJson(big, 2));
    expect(flattenJsonWithin(L({ a: 1 }), 50)).not.toBeNull();
    expect(flattenJsonWithin(L({ messages: Array.from({ length: 50_000 }, (_, i) => i) }), 0)).toBeNull();
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
    const value = L({ a: [1, 2] });
    expect(flattenJson(value)).toBe(flattenJson(value));
    expect(flattenJson(L({ a: [1, 2] }))).not.toBe(flattenJson(value));
  });

  it('handles a deeply nested document without recursion limits', () => {
    let deep: JsonValue = new LosslessNumber('1');
    for (let i = 0; i < 20_000; i++) deep = [deep];
    const lines = flattenJson(deep);
    expect(lines).toHaveLength(40_001);
  });

  it('flattens a 2 MB context quickly', () => {
    const big = L({
      messages: Array.from({ length: 8000 }, (_, i) => ({ role: i % 2 ? 'user' : 'assistant', text: 'x'.repeat(220), n: i })),
    });
    expect(stringifyJson(big).length).toBeGreaterThan(1_900_000);
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
  const lines = flattenJson(L({ Alpha: 'alpha ALPHA', beta: ['alphabet'] }));

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
