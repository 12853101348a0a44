/**
 * Parsing the editor's text, with the position of the first error.
 *
 * The lossless parser (contract/json/lossless-json.ts) does the real parsing: numbers keep
 * their text and members their order, so what the user sees in the editor is exactly what
 * is merged and saved (JSON.parse would round 750727362669608961 and reorder "10" before
 * "a"). It also refuses duplicate member names — the server does too, and keeping only
 * the last value would silently drop data — and nesting deeper than the server allows.
 * For syntax errors a small strict scanner words the message ("Trailing comma is not
 * allowed") and finds where the first error is, so that the form can say "line 12,
 * column 5" and the editor can jump there. Both are iterative (explicit stacks), so
 * deeply nested input cannot overflow the call stack.
 */
import {
  JsonTextError as LosslessTextError,
  MAX_CONTEXT_DEPTH,
  isJsonNumber,
  isJsonObject,
  parseJsonText as parseLossless,
  stringifyJson,
} from '@contract/json/lossless-json';
import type { JsonObject, JsonValue } from '@contract/types';

export interface TextPosition {
  /** 1-based line. */
  line: number;
  /** 1-based column in UTF-16 code units (what Monaco counts). */
  column: number;
  /** 0-based offset into the text. */
  offset: number;
}

export interface JsonTextError extends TextPosition {
  message: string;
  /** What is wrong: a syntax error, a member name used twice, or nesting too deep. */
  kind?: 'syntax' | 'duplicate_key' | 'too_deep';
}

export type JsonParseResult = { ok: true; value: JsonValue } | { ok: false; error: JsonTextError };

/** What a context document may be: an object or null (the contract's `contextValueSchema`). */
export type ContextDocument = JsonObject | null;

export type ContextParseResult = { ok: true; value: ContextDocument } | { ok: false; error: JsonTextError };

/** Line and column of an offset; \r\n, \n and \r each end a line, as in Monaco. */
export function positionAt(text: string, offset: number): TextPosition {
  let line = 1;
  let lineStart = 0;
  const end = Math.min(offset, text.length);
  for (let i = 0; i < end; i++) {
    const ch = text.charCodeAt(i);
    if (ch === 10 /* \n */) {
      line++;
      lineStart = i + 1;
    } else if (ch === 13 /* \r */) {
      if (text.charCodeAt(i + 1) === 10 && i + 1 < end) i++;
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: end - lineStart + 1, offset: end };
}

const isWhitespace = (ch: number) => ch === 32 || ch === 9 || ch === 10 || ch === 13;
const isDigit = (ch: number) => ch >= 48 && ch <= 57;
const isHex = (ch: number) => isDigit(ch) || (ch >= 65 && ch <= 70) || (ch >= 97 && ch <= 102);

type ScanState = 'value' | 'valueOrClose' | 'keyOrClose' | 'key' | 'colon' | 'afterValue';

/** Offset and message of the first syntax error, or null when the text is valid JSON. */
export function findJsonSyntaxError(text: string): { offset: number; message: string } | null {
  const stack: number[] = []; // char codes of '{' and '['
  let state: ScanState = 'value';
  let i = 0;
  const n = text.length;
  const fail = (offset: number, message: string) => ({ offset, message });

  // Returns the offset after the string, or an error.
  const scanString = (start: number): number | { offset: number; message: string } => {
    let j = start + 1;
    while (j < n) {
      const ch = text.charCodeAt(j);
      if (ch === 34 /* " */) return j + 1;
      if (ch < 0x20) {
        return fail(j, ch === 10 || ch === 13 ? 'Unterminated string: a line break must be written as \\n' : 'Control characters in strings must be escaped');
      }
      if (ch === 92 /* \ */) {
        const esc = text.charCodeAt(j + 1);
        if (esc === 117 /* u */) {
          for (let k = 2; k < 6; k++) {
            if (!isHex(text.charCodeAt(j + k))) return fail(j, 'Invalid \\u escape: expected four hex digits');
          }
          j += 6;
          continue;
        }
        // " \ / b f n r t
        if ([34, 92, 47, 98, 102, 110, 114, 116].includes(esc)) {
          j += 2;
          continue;
        }
        return fail(j, 'Invalid escape sequence in string');
      }
      j++;
    }
    return fail(start, 'Unterminated string: missing the closing "');
  };

  const scanNumber = (start: number): number | { offset: number; message: string } => {
    let j = start;
    if (text.charCodeAt(j) === 45 /* - */) j++;
    if (text.charCodeAt(j) === 48 /* 0 */) {
      j++;
      if (isDigit(text.charCodeAt(j))) return fail(j - 1, 'Numbers cannot have leading zeros');
    } else if (isDigit(text.charCodeAt(j))) {
      while (isDigit(text.charCodeAt(j))) j++;
    } else {
      return fail(start, 'Invalid number');
    }
    if (text.charCodeAt(j) === 46 /* . */) {
      j++;
      if (!isDigit(text.charCodeAt(j))) return fail(j, 'Invalid number: expected digits after the decimal point');
      while (isDigit(text.charCodeAt(j))) j++;
    }
    const e = text.charCodeAt(j);
    if (e === 101 || e === 69 /* e E */) {
      j++;
      const sign = text.charCodeAt(j);
      if (sign === 43 || sign === 45) j++;
      if (!isDigit(text.charCodeAt(j))) return fail(j, 'Invalid number: expected digits in the exponent');
      while (isDigit(text.charCodeAt(j))) j++;
    }
    return j;
  };

  const describeUnexpected = (at: number): string => {
    const ch = text[at] ?? '';
    if (ch === "'") return 'Strings and property names must use double quotes';
    if (ch === '/') return 'Comments are not allowed in JSON';
    const word = /^[A-Za-z_$][\w$]*/.exec(text.slice(at, at + 40))?.[0];
    if (word) return `Unexpected "${word}": expected a JSON value (strings need double quotes)`;
    return `Unexpected "${ch}": expected a JSON value`;
  };

  let lastComma = -1;
  while (true) {
    while (i < n && isWhitespace(text.charCodeAt(i))) i++;
    if (i >= n) {
      if (state === 'afterValue' && stack.length === 0) return null;
      if (n === 0 || text.trim() === '') return fail(0, 'The document is empty: write a JSON object, or null');
      const open = stack[stack.length - 1];
      return fail(n, open === 123 ? 'Unexpected end: missing "}"' : open === 91 ? 'Unexpected end: missing "]"' : 'Unexpected end of the document');
    }
    const ch = text.charCodeAt(i);
    switch (state) {
      case 'value':
      case 'valueOrClose': {
        if (ch === 93 /* ] */ && state === 'valueOrClose') {
          stack.pop();
          state = 'afterValue';
          i++;
          break;
        }
        if ((ch === 93 || ch === 125) && lastComma >= 0 && state === 'value' && stack.length > 0) {
          return fail(lastComma, 'Trailing comma is not allowed');
        }
        if (ch === 123 /* { */) {
          stack.push(ch);
          state = 'keyOrClose';
          i++;
        } else if (ch === 91 /* [ */) {
          stack.push(ch);
          state = 'valueOrClose';
          i++;
        } else if (ch === 34) {
          const r = scanString(i);
          if (typeof r !== 'number') return r;
          i = r;
          state = 'afterValue';
        } else if (ch === 45 || isDigit(ch)) {
          const r = scanNumber(i);
          if (typeof r !== 'number') return r;
          i = r;
          state = 'afterValue';
        } else {
          const literal = ['true', 'false', 'null'].find((word) => text.startsWith(word, i));
          if (!literal) return fail(i, describeUnexpected(i));
          i += literal.length;
          state = 'afterValue';
        }
        break;
      }
      case 'keyOrClose':
      case 'key': {
        if (ch === 125 /* } */) {
          if (state === 'key') return fail(lastComma, 'Trailing comma is not allowed');
          stack.pop();
          state = 'afterValue';
          i++;
          break;
        }
        if (ch !== 34) return fail(i, 'Expected a property name in double quotes');
        const r = scanString(i);
        if (typeof r !== 'number') return r;
        i = r;
        state = 'colon';
        break;
      }
      case 'colon': {
        if (ch !== 58 /* : */) return fail(i, 'Expected ":" after the property name');
        i++;
        lastComma = -1;
        state = 'value';
        break;
      }
      case 'afterValue': {
        const open = stack[stack.length - 1];
        if (open === undefined) return fail(i, 'Unexpected text after the end of the JSON value');
        if (ch === 44 /* , */) {
          lastComma = i;
          state = open === 123 ? 'key' : 'value';
          i++;
        } else if (open === 123 && ch === 125) {
          stack.pop();
          i++;
        } else if (open === 91 && ch === 93) {
          stack.pop();
          i++;
        } else {
          return fail(i, open === 123 ? 'Expected "," or "}" after the property value' : 'Expected "," or "]" after the array element');
        }
        break;
      }
    }
  }
}

/**
 * Parses JSON text losslessly; on failure says where the first error is. Nesting deeper
 * than MAX_CONTEXT_DEPTH is refused as the server refuses it.
 */
export function parseJsonText(text: string): JsonParseResult {
  try {
    return { ok: true, value: parseLossless(text, { maxDepth: MAX_CONTEXT_DEPTH }).value };
  } catch (error) {
    if (error instanceof LosslessTextError && error.kind === 'duplicate_key') {
      return {
        ok: false,
        error: {
          ...positionAt(text, error.position),
          kind: 'duplicate_key',
          // fidelity-ok: the key's name, written as a JSON string
          message: `Duplicate key ${JSON.stringify(error.key ?? '')} at ${error.path}: a key may appear only once in an object. Rename or remove one of them to save`, // fidelity-ok: a member name
        },
      };
    }
    if (error instanceof LosslessTextError && error.kind === 'too_deep') {
      return {
        ok: false,
        error: {
          ...positionAt(text, error.position),
          kind: 'too_deep',
          message: `Nested deeper than ${MAX_CONTEXT_DEPTH} levels at ${error.path}: the server refuses deeper documents`,
        },
      };
    }
    // The scanner words syntax errors better; the parser's own message if they disagree.
    const found = findJsonSyntaxError(text);
    const offset = found?.offset ?? (error instanceof LosslessTextError ? error.position : 0);
    const message = found?.message ?? (error instanceof Error ? error.message : 'Invalid JSON');
    return { ok: false, error: { ...positionAt(text, offset), message, kind: 'syntax' } };
  }
}

const kindOf = (value: JsonValue): string =>
  Array.isArray(value)
    ? 'an array'
    : value === null
      ? 'null'
      : typeof value === 'string'
        ? 'a string'
        : isJsonNumber(value)
          ? 'a number'
          : `a ${typeof value}`;

/** Offset of the first non-whitespace character (where a value starts). */
const firstValueOffset = (text: string): number => {
  let i = 0;
  while (i < text.length && isWhitespace(text.charCodeAt(i))) i++;
  return i;
};

/**
 * Parses the text of a context document: valid JSON that is an object or null, as the
 * contract requires for `context` (and as RFC 7386 requires of a patch that should merge
 * rather than replace).
 */
export function parseContextText(text: string, what = 'The context'): ContextParseResult {
  const parsed = parseJsonText(text);
  if (!parsed.ok) return parsed;
  const { value } = parsed;
  if (value === null || isJsonObject(value)) {
    return { ok: true, value };
  }
  const offset = firstValueOffset(text);
  return {
    ok: false,
    error: { ...positionAt(text, offset), message: `${what} must be a JSON object or null, not ${kindOf(value)}` },
  };
}

/**
 * The editor's text for a document: pretty-printed with two spaces, as the drawer shows
 * it, by the lossless writer — every number spelled as stored, members in stored order.
 */
export const formatJson = (value: JsonValue): string => stringifyJson(value, 2);
