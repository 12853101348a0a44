import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { deflateRawSync } from 'node:zlib';
import { FULL_EVERY, commonEnds, compress, decodeChain, decompress, encodeVersion, rebaseAsFull, type EncodedRow } from './codec';

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

  it('finds the same ends as a unit-by-unit walk, whatever the step sizes meet', () => {
    const isHigh = (c: number) => c >= 0xd800 && c <= 0xdbff;
    const isLow = (c: number) => c >= 0xdc00 && c <= 0xdfff;
    const reference = (a: string, b: string) => {
      const max = Math.min(a.length, b.length);
      let prefix = 0;
      while (prefix < max && a[prefix] === b[prefix]) prefix += 1;
      if (prefix > 0 && isHigh(a.charCodeAt(prefix - 1))) prefix -= 1;
      let suffix = 0;
      while (suffix < max - prefix && a[a.length - 1 - suffix] === b[b.length - 1 - suffix]) suffix += 1;
      if (suffix > 0 && isLow(a.charCodeAt(a.length - suffix))) suffix -= 1;
      return { prefix, suffix };
    };
    const loneSurrogate = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
    // Long texts (past the 16,384 / 1,024 / 64 unit steps) with one splice anywhere.
    const unit = fc.constantFrom('a', 'b', '😀', '\u00e9', '"');
    const edit = fc.record({
      pattern: fc.string({ unit, minLength: 1, maxLength: 7 }),
      length: fc.integer({ min: 0, max: 40_000 }),
      at: fc.double({ min: 0, max: 1, noNaN: true }),
      cut: fc.integer({ min: 0, max: 3_000 }),
      insert: fc.string({ unit, maxLength: 5 }),
    });
    fc.assert(
      fc.property(edit, ({ pattern, length, at, cut, insert }) => {
        const a = pattern.repeat(Math.ceil(length / pattern.length)).slice(0, length);
        const start = Math.floor(at * a.length);
        const b = a.slice(0, start) + insert + a.slice(start + cut);
        expect(commonEnds(a, b)).toEqual(reference(a, b));
        expect(commonEnds(b, a)).toEqual(reference(b, a));
        // Slicing the pattern may leave a lone surrogate, which no UTF-8 text (so no
        // context) holds: the round trip is checked on well-formed texts.
        if (loneSurrogate.test(a) || loneSurrogate.test(b)) return;
        const encoded = encodeVersion(b, { text: a, chain: 0 });
        expect(decodeChain(encoded.encoding === 'delta' ? [rebaseAsFull(a), encoded] : [encoded])).toBe(b);
      }),
      { numRuns: 300 },
    );
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

  it('compresses from 4 KiB with brotli (marked 0xFF), below with deflate; contents written with deflate before still decode', () => {
    const small = Buffer.from('{"a":1}'.repeat(100));
    const large = Buffer.from(`{"pad":"${'x y z 1.10 '.repeat(2000)}"}`);
    expect(compress(small)[0]).not.toBe(0xff);
    expect(compress(large)[0]).toBe(0xff);
    expect(compress(large).length).toBeLessThan(large.length / 10);
    for (const bytes of [small, large, Buffer.alloc(0)]) expect(decompress(compress(bytes)).equals(bytes)).toBe(true);
    // Rows of the deflate-only codec: a large full version and a delta on it.
    const base = large.toString('utf8');
    const header = Buffer.alloc(8);
    header.writeUInt32BE(10, 0);
    header.writeUInt32BE(base.length - 12, 4);
    const oldRows: EncodedRow[] = [
      { encoding: 'full', content: deflateRawSync(large, { level: 6 }) },
      { encoding: 'delta', content: deflateRawSync(Buffer.concat([header, Buffer.from('EDIT')])) },
    ];
    expect(decodeChain(oldRows.slice(0, 1))).toBe(base);
    expect(decodeChain(oldRows)).toBe(`${base.slice(0, 10)}EDIT${base.slice(12)}`);
    // No deflate stream starts with 0xFF (BTYPE 11 is reserved): fast-check any bytes.
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), fc.integer({ min: 0, max: 9 }), (bytes, level) => {
        expect(deflateRawSync(bytes, { level })[0]).not.toBe(0xff);
      }),
      { numRuns: 200 },
    );
  });

  it('refuses a chain that starts with a delta', () => {
    const delta = encodeVersion('{"a":1,"b":2}', { text: '{"a":1,"b":3}', chain: 0 });
    expect(() => decodeChain([delta])).toThrow(/chain/);
  });
});
