/**
 * Request bodies, as real HTTP clients send them (issue 8).
 *
 * - JSON bodies are parsed losslessly (contract/json/lossless-json.ts): the body's members
 *   that are objects or arrays stay as their exact compact text (`JsonText`), so a context
 *   is stored byte for byte as sent, numbers and member order included. Only the top level
 *   is built as values, for the contract's schemas to check.
 * - Duplicate member names anywhere → 400 `invalid_body` naming the key and its JSON path;
 *   nesting deeper than MAX_CONTEXT_DEPTH inside `context` → 400 `invalid_body` with
 *   `details.max_depth`; anything else RFC 8259 refuses → 400 `invalid_json` with the
 *   position. No recursion anywhere: 200,000 levels is a 400 like any other.
 * - `__proto__`, `constructor`, `prototype` are ordinary names: members become own
 *   properties (defineProperty), never prototype writes.
 * - A request without a body (no Content-Length or `Content-Length: 0`, and no chunked
 *   Transfer-Encoding) is handled on its merits whatever its Content-Type says: react-admin's
 *   simple data provider sends `DELETE` with `text/plain`, many SDKs and axios setups send
 *   `application/json` on every request. Methods that take no body (GET, HEAD, DELETE,
 *   OPTIONS) ignore one if it is sent anyway, whatever its type (documented in the README).
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { JsonText } from '../../contract/json/json-text';
import {
  JsonTextError,
  LosslessNumber,
  MAX_CONTEXT_DEPTH,
  NUMERIC_MAX_INTEGER_DIGITS,
  NUMERIC_MAX_SCALE,
  parseJsonText,
  type JsonValue,
} from '../../contract/json/lossless-json';
import { ApiError } from '../errors';

/** Methods whose routes take no body: one sent anyway is never read. */
const BODILESS_METHODS = new Set(['GET', 'HEAD', 'DELETE', 'OPTIONS']);

/** True when the request carries no body bytes (RFC 9112 §6.3: no length, no chunks). */
export function hasNoBody(request: Pick<FastifyRequest, 'headers'>): boolean {
  const { headers } = request;
  if (headers['transfer-encoding'] !== undefined) return false;
  const length = headers['content-length'];
  return length === undefined || length === '0';
}

/** Longest JSON path quoted in a message (a 128-level path can be long). */
const MAX_PATH_IN_MESSAGE = 200;
const shortPath = (path: string): string =>
  path.length > MAX_PATH_IN_MESSAGE ? `${path.slice(0, MAX_PATH_IN_MESSAGE)}…` : path;

/** The body's top-level member an error sits in (`$.context.a` → `context`). */
const topMember = (path: string): string => /^\$(?:\.([A-Za-z_$][\w$]*)|\[("(?:[^"\\]|\\.)*")\])/.exec(path)?.[1] ?? '(root)';

/** JsonTextError → the API's 400, as the contract's error body. */
function bodyError(error: JsonTextError): ApiError {
  const position = { position: error.position, line: error.line, column: error.column };
  switch (error.kind) {
    case 'duplicate_key': {
      const field = topMember(error.path);
      const message = `duplicate member name ${JSON.stringify(error.key)} at ${shortPath(error.path)}: each name may appear once per object`; // fidelity-ok: a name
      return new ApiError(400, 'invalid_body', `invalid request body: ${message}`, {
        fields: [field],
        issues: [{ field, message }],
        key: error.key,
        path: error.path,
        ...position,
      });
    }
    case 'too_deep': {
      const field = topMember(error.path);
      const message = `nests deeper than ${MAX_CONTEXT_DEPTH} levels of objects and arrays (at ${shortPath(error.path)})`;
      return new ApiError(400, 'invalid_body', `invalid request body: ${field} ${message}`, {
        fields: [field],
        issues: [{ field, message }],
        max_depth: MAX_CONTEXT_DEPTH,
        path: error.path,
        ...position,
      });
    }
    case 'unstorable_string': {
      const field = topMember(error.path);
      const message = `holds a string with \\u0000 or an unpaired surrogate (\\ud800–\\udfff) at ${shortPath(error.path)}: PostgreSQL cannot store either`;
      return new ApiError(400, 'invalid_body', `invalid request body: ${field} ${message}`, {
        fields: [field],
        issues: [{ field, message }],
        path: error.path,
        ...position,
      });
    }
    case 'unstorable_number': {
      const field = topMember(error.path);
      const message = `holds a number at ${shortPath(error.path)} with more than ${NUMERIC_MAX_INTEGER_DIGITS} digits before the decimal point or ${NUMERIC_MAX_SCALE} after it (exponent applied): PostgreSQL's numeric cannot hold it`;
      return new ApiError(400, 'invalid_body', `invalid request body: ${field} ${message}`, {
        fields: [field],
        issues: [{ field, message }],
        path: error.path,
        ...position,
      });
    }
    case 'syntax':
      return new ApiError(400, 'invalid_json', `the request body is not valid JSON: ${error.message}`, position);
  }
}

/**
 * The body as the route schemas see it: the root object's members as own properties,
 * scalars as values (numbers as JS numbers, only ever used to report a type error), and
 * objects/arrays as JsonText. A root that is not an object is passed as a stand-in of its
 * type, for the schema to refuse.
 */
export function bodyValue(text: string): unknown {
  let parsed;
  try {
    // The body is one level above `context`: its limit is the context's plus one.
    parsed = parseJsonText(text, {
      maxDepth: MAX_CONTEXT_DEPTH + 1,
      materializeDepth: 1,
      memberTexts: true,
      // The context's search text is built from these (no second scan of a large body).
      memberTokens: true,
      storableStrings: true,
    });
  } catch (error) {
    if (error instanceof JsonTextError) throw bodyError(error);
    throw error;
  }
  const root = parsed.value;
  if (!(root instanceof Map)) return scalar(root) ?? [];
  const body: Record<string, unknown> = {};
  for (const [key, value] of root) {
    const memberText = parsed.members?.get(key) ?? 'null';
    const isContainer = memberText.startsWith('{') || memberText.startsWith('[');
    Object.defineProperty(body, key, {
      value: isContainer ? new JsonText(memberText, memberText.startsWith('{') ? 'object' : 'array', parsed.tokens?.get(key)) : scalar(value),
      enumerable: true,
      writable: true,
      configurable: true,
    });
  }
  return body;
}

/** A top-level scalar as a plain value; undefined for containers. */
function scalar(value: JsonValue): unknown {
  if (value instanceof LosslessNumber) return Number(value.value);
  if (value instanceof Map || Array.isArray(value)) return undefined;
  return value;
}

/**
 * Strict UTF-8. A leading byte order mark is dropped: RFC 8259 §8.1 lets parsers ignore
 * one ("in the interests of interoperability"), and real clients send it (Windows
 * PowerShell 5 writes UTF-8 files and bodies with one, as does .NET's Encoding.UTF8).
 * Only the first: a U+FEFF anywhere else is the client's data or an error.
 */
const UTF8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });

/**
 * Replaces Fastify's JSON parser (JSON.parse: lossy) and makes bodiless requests
 * independent of their Content-Type. Call before the routes are registered.
 */
export function registerJsonBodies(app: FastifyInstance): void {
  app.addHook('onRequest', async (request) => {
    // Fastify picks a body parser from Content-Type alone: a bodiless DELETE labelled
    // text/plain would be a 415, one labelled application/json a 400 "empty body".
    // Without a Content-Type and a length, Fastify reads no body; a body sent anyway to a
    // method that takes none is left unread, and Node discards it when the answer is sent.
    if (BODILESS_METHODS.has(request.method)) {
      delete request.headers['content-type'];
      delete request.headers['content-length'];
      delete request.headers['transfer-encoding'];
    } else if (hasNoBody(request)) {
      delete request.headers['content-type'];
    }
  });
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'buffer' }, (_request, body, done) => {
    let text: string;
    try {
      // parseAs 'string' would turn bytes that are not UTF-8 into U+FFFD and store that:
      // a changed value the client never sent. RFC 8259 §8.1: JSON is UTF-8.
      text = UTF8.decode(body as Buffer);
    } catch {
      done(
        new ApiError(400, 'invalid_json', 'the request body is not valid UTF-8 (RFC 8259: JSON text is UTF-8)') as unknown as Error,
        undefined,
      );
      return;
    }
    try {
      done(null, bodyValue(text));
    } catch (error) {
      done(error as Error, undefined);
    }
  });
}
