/**
 * Lossless JSON: the one way this product reads and writes a context's JSON text.
 *
 * `JSON.parse` turns every number into a double (750727362669608961 → …609000, 1.10 → 1.1,
 * 1e400 → Infinity → null), lets a later duplicate member silently replace an earlier one,
 * and builds plain objects, whose integer-like keys always come first
 * (`{"z":1,"2":4}` → `{"2":4,"z":1}`). A context must come back exactly as an agent wrote it
 * (issue 8; rule 1 of docs/architecture.md), so this module
 *
 * - tokenizes with `jsonc-parser`'s scanner (Microsoft's, VS Code's JSON tokenizer: string
 *   escapes and number syntax are its job, not ours) and refuses what RFC 8259 does not
 *   allow (comments, trailing commas, single quotes, non-JSON whitespace, leading zeros);
 * - keeps every number as its text (`LosslessNumber` of `lossless-json`);
 * - builds objects as `Map`s, which keep members in the order written whatever the names
 *   (`__proto__`, `constructor`, "10" are ordinary keys: no prototype is ever touched);
 * - refuses duplicate member names, naming the key and its JSON path;
 * - enforces a nesting limit without recursion (an explicit stack), so 200,000 levels is a
 *   clean error, never a stack overflow;
 * - can return the compact text (whitespace outside strings removed, every token kept
 *   byte for byte) of the whole document and of each member of the root object, which is
 *   what the server stores.
 *
 * Values: `null | boolean | string | LosslessNumber | JsonValue[] | Map<string, JsonValue>`.
 */
import { NUMERIC_MAX_INTEGER_DIGITS, NUMERIC_MAX_SCALE, hasUnstorableCharacter, numberOutOfNumericRange } from './storable';
import { createScanner } from 'jsonc-parser';
import { LosslessNumber } from 'lossless-json';

export { LosslessNumber };

// jsonc-parser declares its token kinds as `const enum`s, which isolated modules cannot
// read: the same values, from its published typings.
const SyntaxKind = {
  OpenBraceToken: 1,
  CloseBraceToken: 2,
  OpenBracketToken: 3,
  CloseBracketToken: 4,
  CommaToken: 5,
  ColonToken: 6,
  NullKeyword: 7,
  TrueKeyword: 8,
  FalseKeyword: 9,
  StringLiteral: 10,
  NumericLiteral: 11,
  LineCommentTrivia: 12,
  BlockCommentTrivia: 13,
  LineBreakTrivia: 14,
  Trivia: 15,
  EOF: 17,
} as const;
const ScanError = {
  None: 0,
  UnexpectedEndOfComment: 1,
  UnexpectedEndOfString: 2,
  UnexpectedEndOfNumber: 3,
  InvalidUnicode: 4,
  InvalidEscapeCharacter: 5,
  InvalidCharacter: 6,
} as const;

/** A JSON value with every number as written and every object's members in order. */
export type JsonValue = null | boolean | string | LosslessNumber | JsonValue[] | JsonObject;
/** A JSON object: a Map keeps the order members were written in, for any member name. */
export type JsonObject = Map<string, JsonValue>;

export const isJsonObject = (value: JsonValue | undefined): value is JsonObject => value instanceof Map;
export const isJsonArray = (value: JsonValue | undefined): value is JsonValue[] => Array.isArray(value);
export const isJsonNumber = (value: JsonValue | undefined): value is LosslessNumber => value instanceof LosslessNumber;

/**
 * Deepest nesting of objects and arrays a context may have: `{}` is depth 1, `{"a":[1]}`
 * depth 2. 128 is the default recursion limit of serde_json (the seeds' Rust SDK), whose
 * users read these contexts back.
 */
export const MAX_CONTEXT_DEPTH = 128;

/** One step of a JSON path: a member name or an array index. */
export type JsonPathSegment = string | number;

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/**
 * JSONPath of a location: `$`, `$.customer.email`, `$.items[0]`, `$["key.with.dots"]`.
 * Names that are not identifiers are written as JSON strings in brackets.
 */
export function formatJsonPath(segments: readonly JsonPathSegment[]): string {
  let path = '$';
  for (const segment of segments) {
    if (typeof segment === 'number') path += `[${segment}]`;
    else if (IDENTIFIER.test(segment)) path += `.${segment}`;
    // A member name is a JSON string; JSON.stringify writes it as one.
    else path += `[${JSON.stringify(segment)}]`; // fidelity-ok: a member name, not context data
  }
  return path;
}

export type JsonTextErrorKind = 'syntax' | 'duplicate_key' | 'too_deep' | 'unstorable_string' | 'unstorable_number';

/**
 * Why a text is not acceptable JSON. `position` is a UTF-16 offset into the text;
 * `line`/`column` are 1-based. `path` is the JSONPath of the offending member or value.
 */
export class JsonTextError extends Error {
  constructor(
    readonly kind: JsonTextErrorKind,
    message: string,
    readonly position: number,
    readonly line: number,
    readonly column: number,
    readonly path: string,
    /** duplicate_key: the repeated member name. */
    readonly key?: string,
    /** too_deep: the limit that was passed. */
    readonly maxDepth?: number,
  ) {
    super(message);
    this.name = 'JsonTextError';
  }
}

export { NUMERIC_MAX_INTEGER_DIGITS, NUMERIC_MAX_SCALE } from './storable';

export interface ParseJsonOptions {
  /** Deepest nesting allowed (objects and arrays); deeper → JsonTextError 'too_deep'. */
  maxDepth?: number;
  /**
   * Containers deeper than this are validated but not built (their place holds `null`):
   * the server only needs the request's top level as values. Default: build everything.
   */
  materializeDepth?: number;
  /** Also return the compact text of each member of the root object (root must be an object). */
  memberTexts?: boolean;
  /**
   * Also return, for each member of the root object, the tokens inside its value in text
   * order: every string (member names and values, decoded) and every number's spelling.
   * What contract/search/search-text.ts reads from a context's text, got during this
   * scan instead of a second one.
   */
  memberTokens?: boolean;
  /**
   * What the path of an error starts with, e.g. ['context'] when the text is a context
   * that sits at `$.context` of a request.
   */
  pathPrefix?: readonly JsonPathSegment[];
  /**
   * Refuse (JsonTextError 'unstorable_string') a member name or string value holding
   * U+0000 or a lone surrogate (`"\\u0000"`, `"\\ud800"`): valid JSON grammar, but
   * PostgreSQL's text and jsonb cannot hold either (and RFC 7493 I-JSON and serde_json
   * refuse lone surrogates), so one such context would make every `where` search fail
   * there. Likewise a number beyond PostgreSQL's numeric ('unstorable_number', see
   * numberOutOfNumericRange). Used for request bodies, never for text already stored.
   */
  storableStrings?: boolean;
}


export interface ParsedJson {
  value: JsonValue;
  /** The text without whitespace outside strings; every token as written. */
  compact: string;
  /** With `memberTexts`: each root member's compact text, in order. */
  members?: Map<string, string>;
  /** With `memberTokens`: each root member's tokens (see ParseJsonOptions.memberTokens). */
  tokens?: Map<string, string[]>;
}

interface Frame {
  container: JsonObject | JsonValue[] | null;
  isObject: boolean;
  keys: Set<string> | null;
  /** The member whose value comes next (objects), or the next index (arrays). */
  key: string;
  index: number;
  /** Compact offset where the current root member's value starts (depth-1 frame only). */
  memberStart: number;
}

const SCAN_ERRORS: Record<number, string> = {
  [ScanError.UnexpectedEndOfString]: 'a string is not closed',
  [ScanError.UnexpectedEndOfNumber]: 'a number is cut short',
  [ScanError.InvalidUnicode]: 'a \\u escape is not four hex digits',
  [ScanError.InvalidEscapeCharacter]: 'a string has an invalid escape',
  [ScanError.InvalidCharacter]: 'a string holds a control character (escape it)',
  [ScanError.UnexpectedEndOfComment]: 'a comment is not closed (JSON has no comments)',
};

/** JSON whitespace is space, tab, LF and CR only (RFC 8259 §2). */
function isJsonWhitespace(text: string, start: number, end: number): boolean {
  for (let i = start; i < end; i += 1) {
    const code = text.charCodeAt(i);
    if (code !== 32 && code !== 10 && code !== 13 && code !== 9) return false;
  }
  return true;
}

function lineAndColumn(text: string, position: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = text.indexOf('\n'); i !== -1 && i < position; i = text.indexOf('\n', i + 1)) {
    line += 1;
    lineStart = i + 1;
  }
  return { line, column: position - lineStart + 1 };
}

/**
 * Parses JSON text losslessly (see the module comment).
 *
 * @throws JsonTextError for anything RFC 8259 does not allow, a duplicate member name, or
 *   nesting deeper than `options.maxDepth`.
 */
export function parseJsonText(text: string, options: ParseJsonOptions = {}): ParsedJson {
  const steps = parseSteps(text, options);
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
  }
}

/** Tokens between two checks of the clock in `parseJsonTextAsync`. */
const TOKENS_PER_CHECK = 2048;

/**
 * What `parseJsonTextAsync` waits on between slices: the browser's `scheduler.yield()`
 * where there is one (it resumes before other queued tasks, without the clamping of
 * nested timers), otherwise a zero timeout.
 */
export function yieldToEventLoop(): Promise<void> {
  const scheduler = (globalThis as { scheduler?: { yield?: () => Promise<void> } }).scheduler;
  if (typeof scheduler?.yield === 'function') return scheduler.yield();
  return new Promise((resolve) => setTimeout(resolve, 0));
}

export interface ParseJsonAsyncOptions extends ParseJsonOptions {
  /** Longest stretch of parsing between two yields to the event loop, in ms (default 8). */
  sliceMs?: number;
  /** Stops the parse (rejects with the signal's reason) at the next slice boundary. */
  signal?: AbortSignal;
}

/**
 * `parseJsonText` in slices of about `sliceMs`, yielding to the event loop in between, so
 * that parsing a multi-megabyte text on a page's main thread never makes a long task
 * (the browser paints and handles input between slices). Same result, same errors.
 */
export async function parseJsonTextAsync(text: string, options: ParseJsonAsyncOptions = {}): Promise<ParsedJson> {
  const sliceMs = options.sliceMs ?? 8;
  const steps = parseSteps(text, options);
  let sliceStart = performance.now();
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
    if (performance.now() - sliceStart >= sliceMs) {
      await yieldToEventLoop();
      options.signal?.throwIfAborted();
      sliceStart = performance.now();
    }
  }
}

/**
 * The parser itself, as a generator that pauses every TOKENS_PER_CHECK tokens (its
 * state lives in this one frame, so pausing is free): `parseJsonText` runs it to the end,
 * `parseJsonTextAsync` in time slices.
 */
function* parseSteps(text: string, options: ParseJsonOptions): Generator<void, ParsedJson, void> {
  let untilCheck = TOKENS_PER_CHECK;
  const maxDepth = options.maxDepth ?? Number.POSITIVE_INFINITY;
  const materializeDepth = options.materializeDepth ?? Number.POSITIVE_INFINITY;
  const prefix = options.pathPrefix ?? [];
  const scanner = createScanner(text, false);
  const stack: Frame[] = [];
  // The compact text is built only if asked for (the dashboard never needs it): here, just
  // the kept segments' bounds, as pairs of offsets — no string is cut while scanning.
  const kept: number[] = [];
  let segmentStart = 0;
  /** Whitespace removed so far: compact offset = source offset - removed. */
  let removed = 0;
  let root: JsonValue | undefined;
  let members: Map<string, string> | undefined;
  const memberRanges: Array<[string, number, number]> = [];
  const tokensByMember = options.memberTokens ? new Map<string, string[]>() : undefined;
  /**
   * Offset of the next `\u` at or after the last string checked (-1: none left): each
   * string asks whether one lies inside it without cutting itself out of the text, and
   * the text is searched once in all.
   */
  let nextUnicodeEscape = -2;
  const hasUnicodeEscape = (start: number, end: number): boolean => {
    if (nextUnicodeEscape !== -1 && nextUnicodeEscape < start) nextUnicodeEscape = text.indexOf('\\u', start);
    return nextUnicodeEscape !== -1 && nextUnicodeEscape < end;
  };
  /** The tokens of the root member being read (memberTokens), else null. */
  let memberTokens: string[] | null = null;

  // The grammar state: what may come next.
  //  'value'       a value (start, after ':' or after ',' in an array, after '[')
  //  'key|end'     a member name or '}' (just after '{')
  //  'key'         a member name (after ',' in an object)
  //  'colon'       ':'
  //  'comma|end'   ',' or the container's closing bracket
  //  'eof'         nothing but whitespace
  type State = 'value' | 'value|end' | 'key|end' | 'key' | 'colon' | 'comma|end' | 'eof';
  let expect: State = 'value';
  // Read through a function: TypeScript does not see the closures below change `expect`.
  const state = (): State => expect;

  const pathHere = (extra?: JsonPathSegment): JsonPathSegment[] => {
    const segments: JsonPathSegment[] = [...prefix];
    for (const frame of stack) segments.push(frame.isObject ? frame.key : frame.index);
    if (extra !== undefined) segments.push(extra);
    return segments;
  };
  const fail = (kind: JsonTextErrorKind, message: string, position: number, path: string, key?: string): never => {
    const { line, column } = lineAndColumn(text, position);
    throw new JsonTextError(
      kind,
      `${message} (line ${line}, column ${column})`,
      position,
      line,
      column,
      path,
      key,
      kind === 'too_deep' ? maxDepth : undefined,
    );
  };
  const unexpected = (what: string, position: number): never => {
    const wanted: Record<State, string> = {
      value: 'a value',
      'value|end': "a value or ']'",
      'key|end': "a member name or '}'",
      key: 'a member name in double quotes',
      colon: "':'",
      'comma|end': stack.at(-1)?.isObject ? "',' or '}'" : "',' or ']'",
      eof: 'the end of the text',
    };
    return fail('syntax', `expected ${wanted[state()]} but found ${what} at ${formatJsonPath(pathHere())}`, position, formatJsonPath(pathHere()));
  };

  /** A complete value was read at the current position: attach it and move on. */
  const completeValue = (value: JsonValue, compactEnd: number): void => {
    const parent = stack.at(-1);
    if (parent === undefined) {
      root = value;
      expect = 'eof';
      return;
    }
    if (parent.container !== null) {
      if (parent.isObject) (parent.container as JsonObject).set(parent.key, value);
      else (parent.container as JsonValue[]).push(value);
    }
    if (stack.length === 1 && parent.isObject && options.memberTexts) {
      memberRanges.push([parent.key, parent.memberStart, compactEnd]);
    }
    if (!parent.isObject) parent.index += 1;
    expect = 'comma|end';
  };

  for (;;) {
    if (--untilCheck === 0) {
      untilCheck = TOKENS_PER_CHECK;
      yield;
    }
    const kind = scanner.scan();
    const offset = scanner.getTokenOffset();
    if (kind === SyntaxKind.EOF) break;
    const length = scanner.getTokenLength();
    if (kind === SyntaxKind.Trivia || kind === SyntaxKind.LineBreakTrivia) {
      if (!isJsonWhitespace(text, offset, offset + length)) unexpected('a character JSON does not allow as whitespace', offset);
      if (offset > segmentStart) kept.push(segmentStart, offset);
      segmentStart = offset + length;
      removed += length;
      continue;
    }
    const scanError = scanner.getTokenError();
    if (scanError !== ScanError.None) {
      fail('syntax', `${SCAN_ERRORS[scanError] ?? 'invalid token'} at ${formatJsonPath(pathHere())}`, offset, formatJsonPath(pathHere()));
    }
    const compactStart = offset - removed;
    const compactEnd = compactStart + length;
    switch (kind) {
      case SyntaxKind.OpenBraceToken:
      case SyntaxKind.OpenBracketToken: {
        if (state() !== 'value' && state() !== 'value|end') unexpected(kind === SyntaxKind.OpenBraceToken ? "'{'" : "'['", offset);
        const depth = stack.length + 1;
        if (depth > maxDepth) {
          fail('too_deep', `nesting deeper than ${maxDepth} levels at ${formatJsonPath(pathHere())}`, offset, formatJsonPath(pathHere()));
        }
        const isObject = kind === SyntaxKind.OpenBraceToken;
        const container = depth > materializeDepth ? null : isObject ? new Map<string, JsonValue>() : [];
        stack.push({ container, isObject, keys: isObject ? new Set() : null, key: '', index: 0, memberStart: 0 });
        expect = isObject ? 'key|end' : 'value|end';
        break;
      }
      case SyntaxKind.CloseBraceToken:
      case SyntaxKind.CloseBracketToken: {
        const frame = stack.at(-1);
        const isObject = kind === SyntaxKind.CloseBraceToken;
        if (frame === undefined || frame.isObject !== isObject) unexpected(isObject ? "'}'" : "']'", offset);
        const closable = isObject ? state() === 'key|end' || state() === 'comma|end' : state() === 'value|end' || state() === 'comma|end';
        if (!closable) unexpected(isObject ? "'}'" : "']'", offset);
        stack.pop();
        completeValue((frame as Frame).container ?? null, compactEnd);
        break;
      }
      case SyntaxKind.CommaToken: {
        if (state() !== 'comma|end') unexpected("','", offset);
        expect = stack.at(-1)?.isObject ? 'key' : 'value';
        break;
      }
      case SyntaxKind.ColonToken: {
        if (state() !== 'colon') unexpected("':'", offset);
        const frame = stack.at(-1) as Frame;
        if (stack.length === 1) {
          frame.memberStart = compactEnd;
          if (tokensByMember !== undefined) {
            memberTokens = [];
            tokensByMember.set(frame.key, memberTokens);
          }
        }
        expect = 'value';
        break;
      }
      case SyntaxKind.StringLiteral: {
        // Only an escape can produce either character (the body arrives as UTF-8).
        if (options.storableStrings && hasUnicodeEscape(offset, offset + length) && hasUnstorableCharacter(scanner.getTokenValue())) {
          // A member name: the path ends at that name (as for a duplicate one).
          const isKey = state() === 'key' || state() === 'key|end';
          const path = formatJsonPath(isKey ? [...pathHere().slice(0, -1), scanner.getTokenValue()] : pathHere());
          fail('unstorable_string', `a string holds \\u0000 or an unpaired surrogate escape at ${path}, which cannot be stored`, offset, path);
        }
        if (state() === 'key' || state() === 'key|end') {
          const frame = stack.at(-1) as Frame;
          const key = scanner.getTokenValue();
          if (frame.keys?.has(key)) {
            // The object's own frame holds its previous member: the path ends at this key.
            const path = formatJsonPath([...pathHere().slice(0, -1), key]);
            // Naming the key as a JSON string keeps odd names (quotes, newlines) readable.
            fail('duplicate_key', `duplicate member name ${JSON.stringify(key)} at ${path}`, offset, path, key); // fidelity-ok: a name
          }
          frame.keys?.add(key);
          frame.key = key;
          // A root member's name starts the next member; a name inside one is its token.
          if (stack.length === 1) memberTokens = null;
          else memberTokens?.push(key);
          expect = 'colon';
        } else if (state() === 'value' || state() === 'value|end') {
          const value = scanner.getTokenValue();
          memberTokens?.push(value);
          completeValue(value, compactEnd);
        } else unexpected('a string', offset);
        break;
      }
      case SyntaxKind.NumericLiteral: {
        if (state() !== 'value' && state() !== 'value|end') unexpected('a number', offset);
        if (options.storableStrings && numberOutOfNumericRange(text.slice(offset, offset + length))) {
          fail('unstorable_number', `a number at ${formatJsonPath(pathHere())} has more than ${NUMERIC_MAX_INTEGER_DIGITS} digits before the point or ${NUMERIC_MAX_SCALE} after it, which cannot be stored`, offset, formatJsonPath(pathHere()));
        }
        const spelling = text.slice(offset, offset + length);
        memberTokens?.push(spelling);
        completeValue(new LosslessNumber(spelling), compactEnd);
        break;
      }
      case SyntaxKind.TrueKeyword:
      case SyntaxKind.FalseKeyword:
      case SyntaxKind.NullKeyword: {
        if (state() !== 'value' && state() !== 'value|end') unexpected(`'${text.slice(offset, offset + length)}'`, offset);
        completeValue(kind === SyntaxKind.NullKeyword ? null : kind === SyntaxKind.TrueKeyword, compactEnd);
        break;
      }
      case SyntaxKind.LineCommentTrivia:
      case SyntaxKind.BlockCommentTrivia:
        unexpected('a comment (JSON has no comments)', offset);
        break;
      default: {
        const raw = text.slice(offset, offset + Math.min(length, 20));
        unexpected(`'${raw}'`, offset);
      }
    }
  }
  if (state() !== 'eof') {
    if (root === undefined && stack.length === 0) fail('syntax', 'the text holds no JSON value', text.length, '$');
    unexpected('the end of the text', text.length);
  }
  if (text.length > segmentStart) kept.push(segmentStart, text.length);
  let compactText: string | undefined;
  const compactOf = (): string => {
    if (compactText === undefined) {
      if (kept.length === 2 && kept[0] === 0 && kept[1] === text.length) compactText = text;
      else {
        const parts: string[] = [];
        for (let i = 0; i < kept.length; i += 2) parts.push(text.slice(kept[i], kept[i + 1]));
        compactText = parts.join('');
      }
    }
    return compactText;
  };
  if (options.memberTexts) {
    const compact = compactOf();
    members = new Map(memberRanges.map(([key, start, end]) => [key, compact.slice(start, end)]));
  }
  return {
    value: root as JsonValue,
    // Built on first read: a pretty-printed 1 MB text has a whitespace run between most
    // tokens, and joining them all costs more than parsing when nobody wants the result.
    get compact() {
      return compactOf();
    },
    ...(members ? { members } : {}),
    ...(tokensByMember ? { tokens: tokensByMember } : {}),
  };
}

/** Characters a JSON string must escape (and lone surrogates, which JSON.stringify escapes). */
// eslint-disable-next-line no-control-regex -- exactly the characters JSON requires escaped
const NEEDS_ESCAPE = /["\\\u0000-\u001f\ud800-\udfff]/;

/** A string as a JSON string literal, escaped exactly as JSON.stringify escapes it. */
export const quoteJsonString = (text: string): string =>
  NEEDS_ESCAPE.test(text) ? JSON.stringify(text) : `"${text}"`; // fidelity-ok: one string's escapes
const quote = quoteJsonString;

/**
 * Writes a value as JSON text: numbers exactly as their text, members in Map order.
 * `indent` > 0 pretty-prints in JSON.stringify's layout for that indent (empty containers
 * as `{}`/`[]`). Strings and names are escaped as JSON.stringify escapes them (equivalent
 * escapes may differ from the original text; RFC 8259 §7 makes them the same string).
 * Iterative: any depth.
 */
export function stringifyJson(value: JsonValue, indent = 0): string {
  let out = '';
  const pretty = indent > 0;
  const colon = pretty ? ': ' : ':';
  /** newlines[d]: the line break and indentation before an item at depth d. */
  const newlines: string[] = [];
  const newline = (depth: number): string => {
    if (!pretty) return '';
    let text = newlines[depth];
    if (text === undefined) {
      text = `\n${' '.repeat(indent * depth)}`;
      newlines[depth] = text;
    }
    return text;
  };
  // One frame per open container: its remaining children, walked without recursion.
  interface Frame {
    entries: Array<[string, JsonValue]> | JsonValue[];
    isObject: boolean;
    next: number;
  }
  const stack: Frame[] = [];
  // Member names repeat across the objects of a document: quote each once.
  const keyCache = new Map<string, string>();
  let current: JsonValue | undefined = value;
  for (;;) {
    if (current !== undefined) {
      // Write a scalar, or open a container and descend into its first child.
      if (current === null) out += 'null';
      else if (current === true) out += 'true';
      else if (current === false) out += 'false';
      else if (typeof current === 'string') out += quote(current);
      else if (current instanceof LosslessNumber) out += current.value;
      else if (current instanceof Map) {
        if (current.size === 0) out += '{}';
        else {
          out += '{';
          stack.push({ entries: [...current.entries()], isObject: true, next: 0 });
        }
      } else if (!Array.isArray(current)) {
        // A plain object or a JavaScript number where a lossless value belongs would
        // otherwise loop forever (no `length`): a programming error, said loudly.
        throw new TypeError(`stringifyJson: not a lossless JSON value (${typeof current})`);
      } else if (current.length === 0) out += '[]';
      else {
        out += '[';
        stack.push({ entries: current, isObject: false, next: 0 });
      }
      current = undefined;
    }
    const frame = stack.at(-1);
    if (frame === undefined) return out;
    if (frame.next === frame.entries.length) {
      stack.pop();
      out += newline(stack.length) + (frame.isObject ? '}' : ']');
      continue;
    }
    if (frame.next > 0) out += ',';
    out += newline(stack.length);
    const entry = frame.entries[frame.next] as [string, JsonValue] | JsonValue;
    frame.next += 1;
    if (frame.isObject) {
      const [key, child] = entry as [string, JsonValue];
      let quoted = keyCache.get(key);
      if (quoted === undefined) {
        quoted = quote(key) + colon;
        if (keyCache.size < 10_000) keyCache.set(key, quoted);
      }
      out += quoted;
      current = child;
    } else current = entry as JsonValue;
  }
}

/**
 * Deep equality of two values as texts: numbers are equal when spelled the same
 * (`1.0` and `1` differ: a member rewritten from one to the other has changed), objects
 * when they hold the same members with equal values in any order.
 */
export function jsonEqual(a: JsonValue, b: JsonValue): boolean {
  const pending: Array<[JsonValue, JsonValue]> = [[a, b]];
  while (pending.length > 0) {
    const [x, y] = pending.pop() as [JsonValue, JsonValue];
    if (x === y) continue;
    if (x instanceof LosslessNumber || y instanceof LosslessNumber) {
      if (!(x instanceof LosslessNumber && y instanceof LosslessNumber) || x.value !== y.value) return false;
    } else if (x instanceof Map || y instanceof Map) {
      if (!(x instanceof Map && y instanceof Map) || x.size !== y.size) return false;
      for (const [key, value] of x) {
        if (!y.has(key)) return false;
        pending.push([value, y.get(key) as JsonValue]);
      }
    } else if (Array.isArray(x) || Array.isArray(y)) {
      if (!(Array.isArray(x) && Array.isArray(y)) || x.length !== y.length) return false;
      for (let i = 0; i < x.length; i += 1) pending.push([x[i] as JsonValue, y[i] as JsonValue]);
    } else return false; // distinct primitives (=== failed above)
  }
  return true;
}
