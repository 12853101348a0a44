/**
 * The read-only JSON viewer's model: a JSON value flattened into the lines of its
 * pretty-printed text (exactly `JSON.stringify(value, null, 2)`, line for line), with fold
 * ranges and search. Pure and framework-free so it is tested on its own, and cheap enough
 * for a 2 MB context: one pass to flatten, one pass per fold change, one pass per search.
 * The component renders only the lines in view (react-virtual).
 */
import type { JsonValue } from '@contract/types';

export const INDENT = 2;

export type JsonValueType = 'string' | 'number' | 'boolean' | 'null' | 'object' | 'array';

export interface JsonLine {
  /** Nesting level; the line is indented by depth × INDENT spaces. */
  depth: number;
  /** The member name as JSON (with quotes and escapes), or null (array item, root, closer). */
  key: string | null;
  /**
   * `open`: "{" or "[" of a non-empty object/array; `close`: its "}" or "]";
   * `value`: a primitive's JSON text, or "{}" / "[]" for an empty container.
   */
  kind: 'open' | 'close' | 'value';
  text: string;
  valueType: JsonValueType;
  /** Whether a comma follows (not the last member). */
  comma: boolean;
  /** Open lines: index of the matching close line; otherwise -1. */
  end: number;
  /** Index of the enclosing open line; -1 at the top level. */
  parent: number;
  /** Open lines: number of members or items; otherwise 0. */
  size: number;
}

const typeOf = (value: JsonValue): JsonValueType =>
  value === null ? 'null' : Array.isArray(value) ? 'array' : (typeof value as 'string' | 'number' | 'boolean' | 'object');

/**
 * Flattens a value into lines. Key order is the object's own order (as JSON.parse built
 * it), so the text is the server's JSON re-indented, never re-ordered. Iterative, so a
 * deeply nested document cannot overflow the call stack.
 */
export function flattenJson(root: JsonValue): JsonLine[] {
  const lines: JsonLine[] = [];
  type Frame = { value: JsonValue; key: string | null; depth: number; comma: boolean; parent: number } | { close: number };
  const stack: Frame[] = [{ value: root, key: null, depth: 0, comma: false, parent: -1 }];
  while (stack.length > 0) {
    const frame = stack.pop() as Frame;
    if ('close' in frame) {
      const open = lines[frame.close] as JsonLine;
      open.end = lines.length;
      lines.push({
        depth: open.depth,
        key: null,
        kind: 'close',
        text: open.valueType === 'array' ? ']' : '}',
        valueType: open.valueType,
        comma: open.comma,
        end: -1,
        parent: open.parent,
        size: 0,
      });
      continue;
    }
    const { value, key, depth, comma, parent } = frame;
    const valueType = typeOf(value);
    if (valueType !== 'object' && valueType !== 'array') {
      // JSON.stringify is the reference for escapes and number formatting.
      lines.push({ depth, key, kind: 'value', text: JSON.stringify(value), valueType, comma, end: -1, parent, size: 0 });
      continue;
    }
    const entries: Array<[string | null, JsonValue]> = Array.isArray(value)
      ? value.map((item) => [null, item])
      : Object.entries(value as Record<string, JsonValue>).map(([k, v]) => [JSON.stringify(k), v]);
    if (entries.length === 0) {
      lines.push({ depth, key, kind: 'value', text: valueType === 'array' ? '[]' : '{}', valueType, comma, end: -1, parent, size: 0 });
      continue;
    }
    const index = lines.length;
    lines.push({ depth, key, kind: 'open', text: valueType === 'array' ? '[' : '{', valueType, comma, end: -1, parent, size: entries.length });
    stack.push({ close: index });
    for (let i = entries.length - 1; i >= 0; i--) {
      const [childKey, child] = entries[i] as [string | null, JsonValue];
      stack.push({ value: child, key: childKey, depth: depth + 1, comma: i < entries.length - 1, parent: index });
    }
  }
  return lines;
}

/** The line without indentation: `"key": value,`. Search offsets refer to this text. */
export const lineContent = (line: JsonLine): string =>
  `${line.key === null ? '' : `${line.key}: `}${line.text}${line.comma && line.kind !== 'open' ? ',' : ''}`;

/** The full pretty-printed text; equals JSON.stringify(value, null, INDENT). */
export const linesToText = (lines: readonly JsonLine[]): string =>
  lines.map((l) => ' '.repeat(l.depth * INDENT) + lineContent(l)).join('\n');

/**
 * Indices of the lines to render when the open lines in `collapsed` are folded: a folded
 * open line stands for its whole range (the renderer draws `{ … }` on it).
 */
export function visibleLineIndices(lines: readonly JsonLine[], collapsed: ReadonlySet<number>): Int32Array {
  const out = new Int32Array(lines.length);
  let n = 0;
  for (let i = 0; i < lines.length; ) {
    out[n++] = i;
    const line = lines[i] as JsonLine;
    i = line.kind === 'open' && collapsed.has(i) ? line.end + 1 : i + 1;
  }
  return out.subarray(0, n);
}

/** The open lines enclosing line `index`, innermost first. */
export function ancestorsOf(lines: readonly JsonLine[], index: number): number[] {
  const out: number[] = [];
  for (let p = lines[index]?.parent ?? -1; p >= 0; p = (lines[p] as JsonLine).parent) out.push(p);
  return out;
}

/** Every open line below the root: "Collapse all" leaves the top-level members visible. */
export function nestedOpenLines(lines: readonly JsonLine[]): Set<number> {
  const out = new Set<number>();
  lines.forEach((l, i) => {
    if (l.kind === 'open' && l.depth > 0) out.add(i);
  });
  return out;
}

export interface JsonMatch {
  line: number;
  /** Offsets in `lineContent(line)`. */
  start: number;
  end: number;
}

export interface SearchResult {
  matches: JsonMatch[];
  /** True when the search stopped at `limit` matches. */
  truncated: boolean;
}

/**
 * Case-insensitive occurrences of `query` in the lines' content (keys and values; the
 * indentation is not searched). Non-overlapping, in document order, at most `limit`.
 */
export function searchLines(lines: readonly JsonLine[], query: string, limit = 10_000): SearchResult {
  const matches: JsonMatch[] = [];
  const needle = query.toLowerCase();
  if (needle === '') return { matches, truncated: false };
  for (let i = 0; i < lines.length; i++) {
    const hay = lineContent(lines[i] as JsonLine).toLowerCase();
    for (let at = hay.indexOf(needle); at >= 0; at = hay.indexOf(needle, at + needle.length)) {
      if (matches.length >= limit) return { matches, truncated: true };
      matches.push({ line: i, start: at, end: at + needle.length });
    }
  }
  return { matches, truncated: false };
}

/** Human summary of a folded container: "3 keys", "1 item". */
export const foldSummary = (line: JsonLine): string =>
  line.valueType === 'array'
    ? `${line.size} ${line.size === 1 ? 'item' : 'items'}`
    : `${line.size} ${line.size === 1 ? 'key' : 'keys'}`;
