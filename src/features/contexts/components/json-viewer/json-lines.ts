/**
 * The read-only JSON viewer's model: a JSON value flattened into the lines of its
 * pretty-printed text (exactly `stringifyJson(value, 2)`, line for line: numbers as
 * written, members in their order), with fold ranges and search. Pure and
 * framework-free so it is tested on its own, and cheap enough for a 2 MB context: one
 * pass to flatten (in time slices, see `flattenJsonAsync`), one pass per fold change, one
 * pass per search. The component renders only the lines in view (react-virtual).
 */
import { isJsonNumber, isJsonObject, quoteJsonString, yieldToEventLoop, type JsonValue } from '@contract/json/lossless-json';

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
  value === null
    ? 'null'
    : Array.isArray(value)
      ? 'array'
      : isJsonObject(value)
        ? 'object'
        : isJsonNumber(value)
          ? 'number'
          : (typeof value as 'string' | 'boolean');

interface OpenContainer {
  /** Index of its open line. */
  open: number;
  depth: number;
  items: JsonValue[] | null;
  /** Objects: their members, in order. */
  entries: Array<[string, JsonValue]> | null;
  next: number;
  size: number;
}

const quote = quoteJsonString;

const scalarText = (value: JsonValue, type: JsonValueType): string =>
  type === 'string'
    ? quote(value as string)
    : type === 'number'
      ? // The number's text as written: 750727362669608961 stays itself, 1.10 keeps its zero.
        (value as { value: string }).value
      : String(value);

/** Flattened values by identity: the drawer may mount the viewer twice for one value. */
const cache = new WeakMap<object, JsonLine[]>();

/** Values between two checks of the clock while flattening in slices. */
const VALUES_PER_CHECK = 1024;

/**
 * The flattening, as a generator that pauses every VALUES_PER_CHECK values (its state
 * lives in this frame): `flattenJson` runs it to the end, `flattenJsonAsync` in slices.
 */
function* flattenSteps(root: JsonValue): Generator<void, JsonLine[], void> {
  const lines: JsonLine[] = [];
  const stack: OpenContainer[] = [];
  let untilCheck = VALUES_PER_CHECK;

  const emit = (value: JsonValue, key: string | null, depth: number, comma: boolean, parent: number) => {
    const valueType = typeOf(value);
    if (valueType !== 'object' && valueType !== 'array') {
      lines.push({ depth, key, kind: 'value', text: scalarText(value, valueType), valueType, comma, end: -1, parent, size: 0 });
      return;
    }
    const items = valueType === 'array' ? (value as JsonValue[]) : null;
    const entries = items ? null : [...(value as Map<string, JsonValue>).entries()];
    const size = items ? items.length : (entries as Array<[string, JsonValue]>).length;
    if (size === 0) {
      lines.push({ depth, key, kind: 'value', text: items ? '[]' : '{}', valueType, comma, end: -1, parent, size: 0 });
      return;
    }
    stack.push({ open: lines.length, depth, items, entries, next: 0, size });
    lines.push({ depth, key, kind: 'open', text: items ? '[' : '{', valueType, comma, end: -1, parent, size });
  };

  emit(root, null, 0, false, -1);
  while (stack.length > 0) {
    if (--untilCheck === 0) {
      untilCheck = VALUES_PER_CHECK;
      yield;
    }
    const top = stack[stack.length - 1] as OpenContainer;
    if (top.next < top.size) {
      const i = top.next++;
      const comma = i < top.size - 1;
      if (top.items) emit(top.items[i] as JsonValue, null, top.depth + 1, comma, top.open);
      else {
        const [name, member] = (top.entries as Array<[string, JsonValue]>)[i] as [string, JsonValue];
        emit(member, quote(name), top.depth + 1, comma, top.open);
      }
      continue;
    }
    stack.pop();
    const open = lines[top.open] as JsonLine;
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
  }
  return lines;
}

const cacheable = (root: JsonValue): root is JsonValue[] | Map<string, JsonValue> => Array.isArray(root) || isJsonObject(root);

/**
 * Flattens a value into lines. Members keep their order (the value is a lossless one:
 * objects are Maps), so the text is the server's JSON re-indented, never re-ordered.
 * Iterative (a stack of open containers, no frame per value), so a deeply nested
 * document cannot overflow the call stack. Results are cached per object.
 */
export function flattenJson(root: JsonValue): JsonLine[] {
  const cached = cacheable(root) ? cache.get(root) : undefined;
  if (cached) return cached;
  const steps = flattenSteps(root);
  for (;;) {
    const step = steps.next();
    if (step.done) {
      if (cacheable(root)) cache.set(root, step.value);
      return step.value;
    }
  }
}

/** The lines of a value already flattened (or cheap to flatten within `budgetMs`), else null. */
export function flattenJsonWithin(root: JsonValue, budgetMs: number): JsonLine[] | null {
  const cached = cacheable(root) ? cache.get(root) : undefined;
  if (cached) return cached;
  const steps = flattenSteps(root);
  const started = performance.now();
  for (;;) {
    const step = steps.next();
    if (step.done) {
      if (cacheable(root)) cache.set(root, step.value);
      return step.value;
    }
    if (performance.now() - started >= budgetMs) return null;
  }
}

/**
 * `flattenJson` in slices of about `sliceMs`, yielding to the event loop in between, so
 * that a 2 MB context never makes a long task. Rejects with the signal's reason once
 * aborted (the viewer unmounted or got another value).
 */
export async function flattenJsonAsync(root: JsonValue, { sliceMs = 8, signal }: { sliceMs?: number; signal?: AbortSignal } = {}): Promise<JsonLine[]> {
  const cached = cacheable(root) ? cache.get(root) : undefined;
  if (cached) return cached;
  const steps = flattenSteps(root);
  let sliceStart = performance.now();
  for (;;) {
    const step = steps.next();
    if (step.done) {
      if (cacheable(root)) cache.set(root, step.value);
      return step.value;
    }
    if (performance.now() - sliceStart >= sliceMs) {
      await yieldToEventLoop();
      signal?.throwIfAborted();
      sliceStart = performance.now();
    }
  }
}

/** The line without indentation: `"key": value,`. Search offsets refer to this text. */
export const lineContent = (line: JsonLine): string =>
  `${line.key === null ? '' : `${line.key}: `}${line.text}${line.comma && line.kind !== 'open' ? ',' : ''}`;

/** The full pretty-printed text; equals stringifyJson(value, INDENT). */
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
