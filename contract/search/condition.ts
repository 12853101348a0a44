/**
 * The `where` condition grammar of the list endpoint (issue 10), written once: the server
 * parses every `where` parameter with it (400 `invalid_query` with the position and what
 * was expected) and the dashboard validates the "Add condition" form with it as you type.
 *
 *     condition := path op [value]
 *     path      := first ( "." name | "[" index "]" | "[" string "]" )*
 *     first     := name | "[" string "]"            (a context is an object: no index first)
 *     name      := one or more characters other than whitespace, control characters and
 *                  . [ ] " = ! < > ~
 *     index     := 0 | [1-9][0-9]{0,8}
 *     op        := = | != | < | <= | > | >= | ~ | exists | !exists
 *     value     := a JSON literal: string, number, true, false, null (none after exists)
 *
 * Whitespace may surround the parts; a word operator (`exists`) needs some before it.
 * Numbers stay text (`750727362669608961` is not rounded): they are compared exactly.
 *
 * This module imports only contract/json/storable.ts (which imports nothing), so the
 * dashboard can use it in its first-load bundle.
 */
import { hasUnstorableCharacter, numberOutOfNumericRange } from '../json/storable';

/** One step of a path: a member name or an array index. */
export type PathSegment = string | number;

export const COMPARISON_OPERATORS = ['=', '!=', '<', '<=', '>', '>=', '~'] as const;
export const PRESENCE_OPERATORS = ['exists', '!exists'] as const;
export const CONDITION_OPERATORS = [...COMPARISON_OPERATORS, ...PRESENCE_OPERATORS] as const;
export type ComparisonOperator = (typeof COMPARISON_OPERATORS)[number];
export type PresenceOperator = (typeof PRESENCE_OPERATORS)[number];
export type ConditionOperator = ComparisonOperator | PresenceOperator;

/** Operators that order values: they take a number or a string. */
export const ORDERING_OPERATORS: readonly ComparisonOperator[] = ['<', '<=', '>', '>='];

export type Literal =
  | { type: 'string'; value: string }
  /** `text` is the number exactly as written (valid JSON number syntax). */
  | { type: 'number'; text: string }
  | { type: 'boolean'; value: boolean }
  | { type: 'null' };

export interface ComparisonCondition {
  path: PathSegment[];
  op: ComparisonOperator;
  value: Literal;
}
export interface PresenceCondition {
  path: PathSegment[];
  op: PresenceOperator;
}
export type Condition = ComparisonCondition | PresenceCondition;

/** `exists` / `!exists`: no value. */
export const isPresenceCondition = (condition: Condition): condition is PresenceCondition =>
  condition.op === 'exists' || condition.op === '!exists';

export interface ConditionError {
  /** 0-based offset (UTF-16 code units) into the condition text where parsing stopped. */
  position: number;
  /** What would have been accepted there, in words ("a member name", "an operator", …). */
  expected: string[];
  /** One sentence for people: what is wrong and where. */
  message: string;
}

export type ConditionParseResult = { ok: true; condition: Condition } | { ok: false; error: ConditionError };

/** Longest condition accepted (characters); a query string is at most 8 KiB anyway. */
export const MAX_CONDITION_LENGTH = 1_000;
/** Most `where` parameters in one request. */
export const MAX_CONDITIONS = 10;
/** Deepest path accepted (segments); contexts nest at most 128 levels. */
export const MAX_PATH_SEGMENTS = 128;
/** Highest array index accepted in a path (9 digits). */
export const MAX_PATH_INDEX = 999_999_999;

const WHITESPACE = /\s/u;
const isNameChar = (ch: string): boolean =>
  !WHITESPACE.test(ch) && !'.[]"=!<>~'.includes(ch) && ch.charCodeAt(0) >= 0x20 && ch !== '\u007f';

const SIMPLE_ESCAPES = new Map([
  ['"', '"'],
  ['\\', '\\'],
  ['/', '/'],
  ['b', '\b'],
  ['f', '\f'],
  ['n', '\n'],
  ['r', '\r'],
  ['t', '\t'],
]);

const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;

class Failure extends Error {
  constructor(
    readonly position: number,
    readonly expected: string[],
    readonly detail?: string,
  ) {
    super(detail ?? `expected ${expected.join(' or ')}`);
  }
}

class Parser {
  pos = 0;
  constructor(readonly text: string) {}

  get done(): boolean {
    return this.pos >= this.text.length;
  }

  peek(offset = 0): string {
    return this.text.charAt(this.pos + offset);
  }

  skipWhitespace(): boolean {
    const start = this.pos;
    while (!this.done && WHITESPACE.test(this.peek())) this.pos += 1;
    return this.pos > start;
  }

  fail(expected: string[], detail?: string, position = this.pos): never {
    throw new Failure(position, expected, detail);
  }

  name(): string {
    const start = this.pos;
    while (!this.done && isNameChar(this.peek())) this.pos += 1;
    if (this.pos === start) this.fail(['a member name']);
    return this.text.slice(start, this.pos);
  }

  /** A JSON string literal at the cursor, decoded. */
  string(): string {
    if (this.peek() !== '"') this.fail(['a string in double quotes']);
    const start = this.pos;
    this.pos += 1;
    let value = '';
    for (;;) {
      if (this.done) this.fail(['a closing "'], 'the string is not closed');
      const ch = this.peek();
      if (ch === '"') {
        this.pos += 1;
        // No stored context can hold one (request bodies refuse them), and PostgreSQL
        // cannot take one as a parameter.
        if (hasUnstorableCharacter(value)) {
          this.fail(['a string without \\u0000 or an unpaired surrogate'], 'a string may not hold \\u0000 or an unpaired surrogate (\\ud800–\\udfff)', start);
        }
        return value;
      }
      if (ch.charCodeAt(0) < 0x20) this.fail(['a character (control characters must be escaped)']);
      if (ch !== '\\') {
        value += ch;
        this.pos += 1;
        continue;
      }
      const escape = this.peek(1);
      const simple = SIMPLE_ESCAPES.get(escape);
      if (simple !== undefined) {
        value += simple;
        this.pos += 2;
      } else if (escape === 'u' && /^[0-9a-fA-F]{4}$/.test(this.text.slice(this.pos + 2, this.pos + 6))) {
        value += String.fromCharCode(Number.parseInt(this.text.slice(this.pos + 2, this.pos + 6), 16));
        this.pos += 6;
      } else {
        this.fail(['an escape (\\" \\\\ \\/ \\b \\f \\n \\r \\t \\uXXXX)'], undefined, this.pos + 1);
      }
    }
  }

  index(): number {
    const match = /0|[1-9]\d{0,8}/y;
    match.lastIndex = this.pos;
    const found = match.exec(this.text);
    if (!found) this.fail(['an array index (0, 1, 2…)', 'a string in double quotes']);
    this.pos += found[0].length;
    if (/\d/.test(this.peek())) this.fail([']'], 'array indexes have at most 9 digits and no leading zeros');
    return Number(found[0]);
  }

  expect(ch: string, what = ch): void {
    if (this.peek() !== ch) this.fail([what]);
    this.pos += 1;
  }

  path(): PathSegment[] {
    const segments: PathSegment[] = [];
    if (this.peek() === '[') {
      this.pos += 1;
      if (this.peek() !== '"') this.fail(['a member name in double quotes'], 'a context is an object: a path starts with a member name');
      segments.push(this.string());
      this.expect(']');
    } else {
      if (this.done) this.fail(['a member name']);
      segments.push(this.name());
    }
    for (;;) {
      const ch = this.peek();
      if (ch === '.') {
        this.pos += 1;
        segments.push(this.name());
      } else if (ch === '[') {
        this.pos += 1;
        segments.push(this.peek() === '"' ? this.string() : this.index());
        this.expect(']');
      } else {
        break;
      }
      if (segments.length > MAX_PATH_SEGMENTS) this.fail(['a shorter path'], `a path has at most ${MAX_PATH_SEGMENTS} steps`);
    }
    return segments;
  }

  operator(spaceBefore: boolean): ConditionOperator {
    const rest = this.text.slice(this.pos);
    for (const word of ['!exists', 'exists'] as const) {
      if (rest.startsWith(word) && !isNameChar(rest.charAt(word.length))) {
        if (!spaceBefore && word === 'exists') this.fail(['an operator'], 'put a space before exists');
        this.pos += word.length;
        return word;
      }
    }
    for (const symbol of ['!=', '<=', '>=', '=', '<', '>', '~'] as const) {
      if (rest.startsWith(symbol)) {
        this.pos += symbol.length;
        return symbol;
      }
    }
    const after = this.done ? 'the end' : `"${this.peek()}"`;
    return this.fail(
      ['an operator (= != < <= > >= ~ exists !exists)'],
      `expected an operator (= != < <= > >= ~ exists !exists) at ${this.pos}, found ${after}`,
    );
  }

  literal(op: ComparisonOperator): Literal {
    const allowed =
      op === '~' ? ['a string'] : ORDERING_OPERATORS.includes(op) ? ['a number', 'a string'] : ['a JSON value (string, number, true, false, null)'];
    const start = this.pos;
    let literal: Literal;
    const ch = this.peek();
    if (ch === '"') literal = { type: 'string', value: this.string() };
    else if (ch === '-' || (ch >= '0' && ch <= '9')) {
      NUMBER.lastIndex = this.pos;
      const found = NUMBER.exec(this.text);
      if (!found) this.fail(['a number']);
      this.pos += found[0].length;
      if (/[0-9.eE+-]/.test(this.peek())) this.fail(['a JSON number'], 'not a JSON number (no leading zeros, digits after the point and the exponent)', start);
      if (numberOutOfNumericRange(found[0])) {
        this.fail(['a number with at most 131072 digits before the point and 16383 after it'], 'a number beyond what contexts may hold (PostgreSQL numeric: 131072 digits before the point, 16383 after)', start);
      }
      literal = { type: 'number', text: found[0] };
    } else {
      const word = /[A-Za-z]+/y;
      word.lastIndex = this.pos;
      const found = word.exec(this.text)?.[0];
      if (found === 'true' || found === 'false') literal = { type: 'boolean', value: found === 'true' };
      else if (found === 'null') literal = { type: 'null' };
      else {
        const hint = found !== undefined ? `; strings need double quotes: "${found}"` : '';
        return this.fail(allowed, `expected ${allowed.join(' or ')} after ${op}${hint}`);
      }
      this.pos += found.length;
    }
    if (op === '~' && literal.type !== 'string') this.fail(allowed, `~ (contains) takes a string`, start);
    if (ORDERING_OPERATORS.includes(op) && literal.type !== 'number' && literal.type !== 'string') {
      this.fail(allowed, `${op} compares numbers or strings, not ${literal.type === 'null' ? 'null' : 'true/false'}`, start);
    }
    return literal;
  }

  condition(): Condition {
    this.skipWhitespace();
    const path = this.path();
    const spaceBefore = this.skipWhitespace();
    const op = this.operator(spaceBefore);
    this.skipWhitespace();
    let condition: Condition;
    if (op === 'exists' || op === '!exists') condition = { path, op };
    else {
      if (this.done) this.fail(op === '~' ? ['a string'] : ['a value'], `expected a value after ${op}`);
      condition = { path, op, value: this.literal(op) };
    }
    this.skipWhitespace();
    if (!this.done) {
      this.fail(['the end of the condition'], op === 'exists' || op === '!exists' ? `nothing may follow ${op}` : undefined);
    }
    return condition;
  }
}

/**
 * Parses one `where` condition. Never throws: a malformed condition gives the position
 * (UTF-16 offset) where it went wrong and what was expected there.
 */
export function parseCondition(text: string): ConditionParseResult {
  if (text.length > MAX_CONDITION_LENGTH) {
    return {
      ok: false,
      error: {
        position: MAX_CONDITION_LENGTH,
        expected: ['a shorter condition'],
        message: `a condition has at most ${MAX_CONDITION_LENGTH} characters`,
      },
    };
  }
  const parser = new Parser(text);
  try {
    return { ok: true, condition: parser.condition() };
  } catch (error) {
    if (!(error instanceof Failure)) throw error;
    const message = error.detail ?? `expected ${error.expected.join(' or ')} at position ${error.position}`;
    return { ok: false, error: { position: error.position, expected: error.expected, message } };
  }
}

/** A member name that can be written bare (`customer.email`) rather than as `["…"]`. */
export const isBareName = (name: string): boolean =>
  name.length > 0 && [...name].every(isNameChar) && name !== 'exists' && name !== '!exists';

/** Escapes a string as a JSON string literal (the grammar's string syntax). */
export function quoteString(value: string): string {
  let out = '"';
  for (const ch of value) {
    const code = ch.charCodeAt(0);
    if (ch === '"') out += '\\"';
    else if (ch === '\\') out += '\\\\';
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else if (code < 0x20 || code === 0x7f) out += `\\u${code.toString(16).padStart(4, '0')}`;
    else out += ch;
  }
  return `${out}"`;
}

/** The canonical text of a path: `customer.email`, `items[0].sku`, `["key.with.dots"].x`. */
export function formatPath(path: readonly PathSegment[]): string {
  let out = '';
  path.forEach((segment, i) => {
    if (typeof segment === 'number') out += `[${segment}]`;
    else if (isBareName(segment)) out += i === 0 ? segment : `.${segment}`;
    else out += `[${quoteString(segment)}]`;
  });
  return out;
}

/** The text of a literal, numbers exactly as written. */
export function formatLiteral(literal: Literal): string {
  switch (literal.type) {
    case 'string':
      return quoteString(literal.value);
    case 'number':
      return literal.text;
    case 'boolean':
      return String(literal.value);
    case 'null':
      return 'null';
  }
}

/**
 * The canonical text of a condition (`customer.email = "a@b.c"`): what the dashboard puts
 * in the URL and on a chip. `parseCondition(formatCondition(c))` gives `c` back.
 */
export function formatCondition(condition: Condition): string {
  const path = formatPath(condition.path);
  if (isPresenceCondition(condition)) return `${path} ${condition.op}`;
  return `${path} ${condition.op} ${formatLiteral(condition.value)}`;
}
