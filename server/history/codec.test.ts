import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FULL_EVERY, commonEnds, decodeChain, encodeVersion, rebaseAsFull, type EncodedRow } from './codec';

/** Encodes a sequence of texts as the stores do and decodes every version from its chain. */
function roundTrip(texts: Array<string | null>): Array<string | null> {
  const rows: Array<EncodedRow & { chain: number }> = [];
  let previous: { text: string | null; chain: number } | undefined;
  for (const text of texts) {
    const encoded = encodeVersion(text, previous);
    rows.push(encoded);
    previous = { text, chain: encoded.chain };
  }
  return rows.map((_, index) => {
    let start = index;
    while (rows[start]?.encoding === 'delta') start -= 1;
    return decodeChain(rows.slice(start, index + 1));
  });
}

describe('history codec', () => {
  it('round-trips any sequence of texts exactly (astral characters, lone edits, nulls)', () => {
    const text = fc.oneof(
      fc.string({ unit: 'binary', maxLength: 40 }),
      fc.string({ unit: fc.constantFrom('a', '😀', '\u00e9', '"', '\\'), maxLength: 40 }),
      fc.constant(null),
    );
    fc.assert(
      fc.property(fc.array(text, { maxLength: 12 }), (texts) => {
        expect(roundTrip(texts)).toEqual(texts);
      }),
      { numRuns: 500 },
    );
  });

  it('never cuts a surrogate pair', () => {
    // Same high surrogate, different low surrogates: the prefix must stop before the pair.
    expect(commonEnds('x😀', 'x😁')).toEqual({ prefix: 1, suffix: 0 });
    expect(commonEnds('😀y', '😁y').prefix).toBe(0);
    expect(roundTrip(['{"a":"😀😀"}', '{"a":"😀😁"}', '{"a":"😁😁"}'])).toEqual(['{"a":"😀😀"}', '{"a":"😀😁"}', '{"a":"😁😁"}']);
  });

  it('stores a small edit of a large text as a small delta, and a full version every FULL_EVERY', () => {
    const big = `{"items":[${Array.from({ length: 20_000 }, (_, i) => `{"n":${i},"s":"item ${i * 7919}"}`).join(',')}]}`;
    const first = encodeVersion(big);
    expect(first.encoding).toBe('full');
    let previous = { text: big, chain: first.chain };
    for (let i = 1; i < FULL_EVERY; i += 1) {
      const next = big.replace('"n":100,', `"n":${100 + i},`);
      const encoded = encodeVersion(next, previous);
      expect(encoded.encoding).toBe('delta');
      expect(encoded.content?.length).toBeLessThan(40);
      // The chunked comparison finds the exact splice: the delta rebuilds the text.
      expect(decodeChain([rebaseAsFull(previous.text), encoded])).toBe(next);
      previous = { text: next, chain: encoded.chain };
    }
    expect(encodeVersion(big, previous).encoding).toBe('full');
    // Edits at the very start and end of a large text (the chunk boundaries).
    for (const edited of [`{"x":1,${big.slice(1)}`, `${big.slice(0, -1)},"y":2}`, big.replace('"n":16384,', '"n":-1,')]) {
      const encoded = encodeVersion(edited, { text: big, chain: 0 });
      expect(decodeChain([rebaseAsFull(big), encoded])).toBe(edited);
    }
  });

  it('stores a change of most of the text as a full version', () => {
    expect(encodeVersion('{"a":"xxxxxxxxxxxx"}', { text: '{"b":"yyyyyyyyyyyy"}', chain: 0 }).encoding).toBe('full');
  });

  it('rebases a version as full (pruning)', () => {
    expect(decodeChain([rebaseAsFull('{"k":1}')])).toBe('{"k":1}');
    expect(decodeChain([rebaseAsFull(null)])).toBeNull();
  });

  it('refuses a chain that starts with a delta', () => {
    const delta = encodeVersion('{"a":1,"b":2}', { text: '{"a":1,"b":3}', chain: 0 });
    expect(() => decodeChain([delta])).toThrow(/chain/);
  });
});
