/**
 * The meaning of a `where` condition on a parsed context, in JavaScript. The stores
 * evaluate conditions in SQL; this is the reference their tests compare against, and what
 * the dashboard uses to find the member a condition names in the viewer.
 *
 * - `=`: same JSON type and value (strings by code point, numbers exactly: `1.0 = 1`,
 *   `"50"` is not `50`); `!=` is its negation, so a missing member is `!=` anything.
 * - `<` `<=` `>` `>=`: both numbers (exact) or both strings (code point order); a member
 *   of another type, or missing, does not match.
 * - `~`: the member is a string containing the value, case-insensitively (fold.ts).
 * - `exists`: the member is present (also when it is null); `!exists` its negation.
 */
import { isJsonArray, isJsonNumber, isJsonObject, type JsonValue } from '../json/lossless-json';
import type { Condition, Literal, PathSegment } from './condition';
import { foldForSearch } from './fold';
import { compareJsonNumbers } from './numbers';

/** The value at `path`, or undefined when there is none. */
export function valueAtPath(root: JsonValue | null | undefined, path: readonly PathSegment[]): JsonValue | undefined {
  let current: JsonValue | undefined = root ?? undefined;
  if (root === null) return undefined;
  for (const segment of path) {
    if (typeof segment === 'number') {
      if (!isJsonArray(current)) return undefined;
      current = current[segment];
    } else {
      if (!isJsonObject(current)) return undefined;
      current = current.get(segment);
    }
    if (current === undefined) return undefined;
  }
  return current;
}

/** -1/0/1 when value and literal are comparable (same type: number or string), else null. */
function order(value: JsonValue, literal: Literal): number | null {
  if (literal.type === 'number' && isJsonNumber(value)) return compareJsonNumbers(value.value, literal.text);
  if (literal.type === 'string' && typeof value === 'string') {
    // Code point order (UTF-16 comparison would put U+FFFF after U+1F600).
    const a = [...value];
    const b = [...literal.value];
    for (let i = 0; i < Math.min(a.length, b.length); i += 1) {
      const d = (a[i] as string).codePointAt(0)! - (b[i] as string).codePointAt(0)!;
      if (d !== 0) return Math.sign(d);
    }
    return Math.sign(a.length - b.length);
  }
  return null;
}

function equals(value: JsonValue, literal: Literal): boolean {
  switch (literal.type) {
    case 'null':
      return value === null;
    case 'boolean':
      return value === literal.value;
    default:
      return order(value, literal) === 0;
  }
}

/** Whether `condition` holds for a context (null: a null context). */
export function conditionHolds(context: JsonValue | null, condition: Condition): boolean {
  const value = valueAtPath(context, condition.path);
  switch (condition.op) {
    case 'exists':
      return value !== undefined;
    case '!exists':
      return value === undefined;
    case '=':
      return value !== undefined && equals(value, condition.value);
    case '!=':
      return !(value !== undefined && equals(value, condition.value));
    case '~':
      return (
        typeof value === 'string' &&
        condition.value.type === 'string' &&
        foldForSearch(value).includes(foldForSearch(condition.value.value))
      );
    default: {
      if (value === undefined) return false;
      const o = order(value, condition.value);
      if (o === null) return false;
      return condition.op === '<' ? o < 0 : condition.op === '<=' ? o <= 0 : condition.op === '>' ? o > 0 : o >= 0;
    }
  }
}
