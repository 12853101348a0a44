/**
 * How a version's text is kept small (issue 11: a 1 MB context updated 1,000 times by small
 * edits must cost at most 50 MB of history). Engine-independent: both stores keep the
 * `encoding` and `content` this module produces and hand rows back to `decodeChain`.
 *
 * - `null`: the version's context was null (no content).
 * - `full`: the whole compact JSON text, compressed.
 * - `delta`: the change against the previous version's text as one splice — the common
 *   prefix and suffix are kept, the middle is replaced — compressed. A small edit of a
 *   large context costs a few dozen bytes.
 *
 * Compressed: raw deflate below BROTLI_FROM_BYTES, brotli (quality 0) from there, marked by
 * a first byte no raw deflate stream starts with (BROTLI_MARK), so every content written
 * before brotli was used stays readable as it is.
 *
 * A version is stored `full` when it has no previous version to build on, when the delta
 * would not be much smaller, or every FULL_EVERY versions, so that reading any version
 * applies at most FULL_EVERY - 1 deltas. Pruning rewrites the oldest remaining version as
 * `full` before deleting its predecessors (see `rebaseAsFull`).
 *
 * Splices are measured in UTF-16 code units and never cut a surrogate pair, so the middle
 * is always well-formed and survives UTF-8 exactly.
 */
import { brotliCompressSync, brotliDecompressSync, deflateRawSync, inflateRawSync, constants as zlibConstants } from 'node:zlib';

export type VersionEncoding = 'null' | 'full' | 'delta';

export interface EncodedVersion {
  encoding: VersionEncoding;
  /** Deflated bytes; null for the `null` encoding. */
  content: Buffer | null;
  /** Versions since the last non-delta one (0 for `full`/`null`). */
  chain: number;
}

/** A chain's longest run of deltas is FULL_EVERY - 1. */
export const FULL_EVERY = 50;

/**
 * Level 1: this runs inside the write's transaction. On a 1 MB context a full version
 * deflates in ~2 ms instead of ~4–6 ms at level 6 and comes out ~10 % larger (87 KB vs
 * 80 KB for bench:history's context), far inside the storage budget; a small edit's delta
 * is a few dozen bytes at any level. Inflating does not depend on the level.
 */
const DEFLATE_OPTIONS = { level: 1, strategy: zlibConstants.Z_DEFAULT_STRATEGY };

/**
 * Contents of this many bytes or more are compressed with brotli at quality 0: measured on
 * bench/lib/large-context.ts's text, 2.5× faster than deflate level 1 from 1 MiB up
 * (5 MiB: 11 ms instead of 27 ms, inside the write's transaction), output somewhat larger
 * (0.25 vs 0.23 of the text; bench:history 2.50 MB instead of 1.96 MB for 1,000 edits of
 * 1 MB, budget 50 MB). Below, deflate: brotli's output is larger on tiny deltas.
 */
const BROTLI_FROM_BYTES = 4096;
/**
 * First byte of a brotli content. A raw deflate stream cannot start with it: its bits 1–2
 * are the first block's BTYPE, and 0xFF makes that 11, which RFC 1951 §3.2.3 reserves
 * ("error"). So the two kinds need no separate encoding column.
 */
const BROTLI_MARK = 0xff;

const isHigh = (code: number): boolean => code >= 0xd800 && code <= 0xdbff;
const isLow = (code: number): boolean => code >= 0xdc00 && code <= 0xdfff;

/**
 * Run lengths compared per step, largest first. Each step compares two slices of the texts
 * with `===`: V8 compares a slice's characters in place (no copy, a memcmp over one-byte
 * strings), so a 1 MB context costs some 20 µs — converting both texts to UTF-16 bytes to
 * compare them as buffers cost ~3 ms. After the steps of one size at most
 * (previous size / this size) steps of the next follow, and the last run (< 64 units) is
 * walked unit by unit.
 */
const STEPS = [16_384, 1_024, 64];

/**
 * Common prefix and suffix lengths of two texts (UTF-16 code units), never splitting a
 * surrogate pair; the suffix never overlaps the prefix in the shorter text.
 */
export function commonEnds(a: string, b: string): { prefix: number; suffix: number } {
  const max = Math.min(a.length, b.length);
  let prefix = 0;
  for (const step of STEPS) {
    while (prefix + step <= max && a.slice(prefix, prefix + step) === b.slice(prefix, prefix + step)) prefix += step;
  }
  while (prefix < max && a.charCodeAt(prefix) === b.charCodeAt(prefix)) prefix += 1;
  // A pair is cut when the prefix ends on a high surrogate: give that unit back.
  if (prefix > 0 && isHigh(a.charCodeAt(prefix - 1))) prefix -= 1;
  let suffix = 0;
  const room = max - prefix;
  for (const step of STEPS) {
    while (
      suffix + step <= room &&
      a.slice(a.length - suffix - step, a.length - suffix) === b.slice(b.length - suffix - step, b.length - suffix)
    ) {
      suffix += step;
    }
  }
  while (suffix < room && a.charCodeAt(a.length - 1 - suffix) === b.charCodeAt(b.length - 1 - suffix)) suffix += 1;
  // The suffix starts on a low surrogate: its high half is in the middle, so give it back.
  if (suffix > 0 && isLow(a.charCodeAt(a.length - suffix))) suffix -= 1;
  return { prefix, suffix };
}

/** Compresses a version's bytes (see BROTLI_FROM_BYTES). */
export function compress(bytes: Buffer): Buffer {
  if (bytes.length < BROTLI_FROM_BYTES) return deflateRawSync(bytes, DEFLATE_OPTIONS);
  const brotli = brotliCompressSync(bytes, {
    params: { [zlibConstants.BROTLI_PARAM_QUALITY]: 0, [zlibConstants.BROTLI_PARAM_SIZE_HINT]: bytes.length },
  });
  return Buffer.concat([Buffer.of(BROTLI_MARK), brotli]);
}

/** compress's inverse, for either kind (and every content written before brotli). */
export function decompress(content: Buffer): Buffer {
  return content[0] === BROTLI_MARK ? brotliDecompressSync(content.subarray(1)) : inflateRawSync(content);
}

function encodeFull(text: string): EncodedVersion {
  return { encoding: 'full', content: compress(Buffer.from(text, 'utf8')), chain: 0 };
}

/**
 * Encodes `text` (a version's compact JSON, or null) given the previous version's text and
 * chain length (`previous` undefined: there is no previous version to build on).
 */
export function encodeVersion(
  text: string | null,
  previous?: { text: string | null; chain: number },
): EncodedVersion {
  if (text === null) return { encoding: 'null', content: null, chain: 0 };
  if (previous === undefined || previous.text === null || previous.chain + 1 >= FULL_EVERY) return encodeFull(text);
  const base = previous.text;
  const { prefix, suffix } = commonEnds(base, text);
  const middle = text.slice(prefix, text.length - suffix);
  // A change touching most of the text is cheaper (and faster to read) as a full version.
  if (middle.length > text.length / 4) return encodeFull(text);
  const header = Buffer.alloc(8);
  header.writeUInt32BE(prefix, 0);
  header.writeUInt32BE(suffix, 4);
  return {
    encoding: 'delta',
    content: compress(Buffer.concat([header, Buffer.from(middle, 'utf8')])),
    chain: previous.chain + 1,
  };
}

/** Applies one delta's content to the previous version's text. */
function applyDelta(base: string, content: Buffer): string {
  const bytes = decompress(content);
  const prefix = bytes.readUInt32BE(0);
  const suffix = bytes.readUInt32BE(4);
  if (prefix + suffix > base.length) throw new Error('history delta does not fit its base version');
  return base.slice(0, prefix) + bytes.subarray(8).toString('utf8') + base.slice(base.length - suffix);
}

/** A stored version row as `decodeChain` needs it. */
export interface EncodedRow {
  encoding: VersionEncoding;
  content: Buffer | Uint8Array | null;
}

/**
 * The text of the last row of `rows`: rows are one chain, oldest first, starting with a
 * `full` or `null` row followed only by deltas (what the stores select for a version).
 */
export function decodeChain(rows: readonly EncodedRow[]): string | null {
  let text: string | null = null;
  rows.forEach((row, index) => {
    const content = row.content === null ? null : Buffer.from(row.content.buffer, row.content.byteOffset, row.content.byteLength);
    if (row.encoding === 'delta') {
      if (index === 0 || text === null || content === null) throw new Error('history chain does not start with a full version');
      text = applyDelta(text, content);
    } else if (row.encoding === 'full') {
      if (content === null) throw new Error('full history version without content');
      text = decompress(content).toString('utf8');
    } else {
      text = null;
    }
  });
  return text;
}

/** The `full` (or `null`) encoding of a version whose text is known: used by pruning. */
export function rebaseAsFull(text: string | null): EncodedVersion {
  return text === null ? { encoding: 'null', content: null, chain: 0 } : encodeFull(text);
}
