/**
 * Contexts between the API's JSON text and the dashboard's values, without loss.
 *
 * `response.json()` / `JSON.parse` would round 750727362669608961 to …609000, turn 1.10
 * into 1.1 and move integer-like member names first (issue 8). So every response that
 * holds a context is read as text and parsed with the lossless parser
 * (contract/json/lossless-json.ts): the context stays a `Map` of lossless values, and the
 * other fields become plain strings/nulls as the API defines them. Request bodies that
 * carry a context are written back with `stringifyJson`: numbers exactly as they were read.
 */
import {
  LosslessNumber,
  isJsonObject,
  parseJsonText,
  parseJsonTextAsync,
  stringifyJson,
  type JsonObject,
  type JsonValue,
} from '@contract/json/lossless-json';
import type { ExecutionContext, ListResponse } from '@contract/types';

/** The response did not have the shape of a context (or a list of them). */
export class ContextShapeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ContextShapeError';
  }
}

/** Sets an own member, even one named `__proto__` (plain assignment would set the prototype). */
function setOwn(target: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}

/**
 * One context from its parsed JSON: `context` keeps its lossless value; every other field
 * (id, status, dates…, and fields this dashboard does not know) is kept as parsed, in the
 * order the server sent them — strings and nulls are plain values already.
 */
export function contextFromJson(value: JsonValue | undefined): ExecutionContext {
  if (!isJsonObject(value)) throw new ContextShapeError('expected a context object');
  const context = value.get('context') ?? null;
  if (context !== null && !isJsonObject(context)) throw new ContextShapeError('context must be an object or null');
  if (typeof value.get('id') !== 'string') throw new ContextShapeError('a context without an id');
  const out: Record<string, unknown> = {};
  for (const [key, member] of value) setOwn(out, key, member);
  return out as unknown as ExecutionContext;
}

/** The inverse of `contextFromJson`: the context as one JSON value, fields in their order. */
export function contextToJson(context: ExecutionContext): JsonObject {
  const out: JsonObject = new Map();
  for (const [key, member] of Object.entries(context)) out.set(key, toJsonValue(member));
  return out;
}

/**
 * A plain JavaScript value as a lossless JSON value: numbers become their shortest text
 * (what JSON.stringify writes), objects become Maps. Lossless values pass through, so a
 * plain wrapper around a context (`{ count: 2, contexts: [...] }`) keeps the context exact.
 */
export function toJsonValue(value: unknown): JsonValue {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return value;
  if (value instanceof LosslessNumber || value instanceof Map) return value as JsonValue;
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new TypeError(`${value} is not a JSON number`);
    // String(-0) is "0": keep the sign JavaScript had.
    return new LosslessNumber(Object.is(value, -0) ? '-0' : String(value));
  }
  if (Array.isArray(value)) return value.map(toJsonValue);
  if (typeof value === 'object') {
    const out: JsonObject = new Map();
    for (const [key, member] of Object.entries(value)) {
      if (member !== undefined) out.set(key, toJsonValue(member));
    }
    return out;
  }
  throw new TypeError(`${typeof value} is not a JSON value`);
}

/** The JSON text of a context, exactly (e.g. a mock server's response). */
export const contextToText = (context: ExecutionContext, indent = 0): string => stringifyJson(contextToJson(context), indent);

/** A response holding one context (GET by id, POST, PATCH), parsed in one go. */
export const parseContextResponse = (text: string): ExecutionContext => contextFromJson(parseJsonText(text).value);

/**
 * The same in time slices (`parseJsonTextAsync`): a 2 MB context is parsed on the main
 * thread without a long task, so opening it never freezes the page.
 */
export async function parseContextResponseAsync(text: string, signal?: AbortSignal): Promise<ExecutionContext> {
  return contextFromJson((await parseJsonTextAsync(text, { signal })).value);
}

/** A list page with full contexts (`view=full`), in time slices. */
export async function parseContextListResponseAsync(text: string, signal?: AbortSignal): Promise<ListResponse<ExecutionContext>> {
  const value = (await parseJsonTextAsync(text, { signal })).value;
  if (!isJsonObject(value)) throw new ContextShapeError('expected a list object');
  const data = value.get('data');
  const cursor = value.get('next_cursor') ?? null;
  if (!Array.isArray(data)) throw new ContextShapeError('a list without data');
  if (cursor !== null && typeof cursor !== 'string') throw new ContextShapeError('next_cursor must be a string or null');
  return { data: data.map(contextFromJson), has_more: value.get('has_more') === true, next_cursor: cursor };
}
