/**
 * The API's one error shape, `{ error: { code, message, details? } }`, and the Fastify
 * error handler that turns every thrown thing into it: our own ApiErrors, Fastify's body
 * parser errors, zod validation errors (with the offending fields named) and, last,
 * anything unexpected as a generic 500 whose real cause goes only to the server log.
 */
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors, type ZodFastifySchemaValidationError } from 'fastify-type-provider-zod';
import type { ErrorCode } from '../contract/constants';
import type { ErrorBody } from '../contract/types';

export class ApiError extends Error {
  constructor(
    readonly statusCode: number,
    readonly code: ErrorCode,
    message: string,
    readonly details?: Record<string, unknown>,
    /** Extra response headers (Retry-After, ETag…). */
    readonly headers?: Record<string, string>,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

export const errorBody = (code: ErrorCode, message: string, details?: Record<string, unknown>): ErrorBody => ({
  error: details === undefined ? { code, message } : { code, message, details },
});

/** Ids may be long; messages quote at most this much of one. */
const quoteId = (id: string): string => (id.length > 80 ? `${id.slice(0, 80)}…` : id);

export const notFound = (id: string): ApiError =>
  new ApiError(404, 'not_found', `execution context ${quoteId(id)} not found`);

export interface FieldIssue {
  field: string;
  message: string;
  /** A malformed `q` or `where` (contract/search): which one, where in it, what was expected. */
  param?: string;
  index?: number;
  position?: number;
  expected?: string[];
}

/** The search details a custom zod issue carries (contract/schemas.ts, listQuerySchema). */
function searchIssueOf(params: unknown): Pick<FieldIssue, 'param' | 'index' | 'position' | 'expected'> | undefined {
  const search = (params as { params?: { search?: unknown } } | undefined)?.params?.search;
  if (typeof search !== 'object' || search === null) return undefined;
  const { param, index, position, expected } = search as Record<string, unknown>;
  if (typeof param !== 'string' || typeof index !== 'number' || typeof position !== 'number' || !Array.isArray(expected)) {
    return undefined;
  }
  return { param, index, position, expected: expected.map(String) };
}

/**
 * Turns zod issues (as fastify-type-provider-zod reports them) into named fields. Query
 * parameters are named as sent (`status`, not `status.1` for the second of a list).
 */
function fieldIssues(validation: ZodFastifySchemaValidationError[], topLevelOnly: boolean): FieldIssue[] {
  const issues: FieldIssue[] = [];
  for (const issue of validation) {
    const segments = issue.instancePath.split('/').filter(Boolean);
    const path = (topLevelOnly ? segments.slice(0, 1) : segments).join('.');
    const unknownKeys = issue.keyword === 'unrecognized_keys' ? (issue.params as { keys?: unknown }).keys : undefined;
    if (Array.isArray(unknownKeys)) {
      for (const key of unknownKeys) {
        const field = path ? `${path}.${String(key)}` : String(key);
        issues.push({ field, message: `unknown field ${field}` });
      }
      continue;
    }
    if (!path) {
      // The body (or query) as a whole has the wrong shape, e.g. an array or nothing at all.
      issues.push({ field: '(root)', message: 'must be a JSON object' });
      continue;
    }
    issues.push({ field: path, message: issue.message ?? 'is invalid', ...searchIssueOf(issue.params) });
  }
  return issues;
}

const describe = (issues: FieldIssue[]): string =>
  issues
    .slice(0, 5)
    .map((i) => (i.message.includes(i.field) ? i.message : `${i.field}: ${i.message}`))
    .join('; ');

/** Fastify's own errors that are the client's fault, by Fastify error code. */
const FASTIFY_CLIENT_ERRORS: Record<string, { status: number; code: ErrorCode; message: string }> = {
  FST_ERR_CTP_INVALID_MEDIA_TYPE: {
    status: 415,
    code: 'unsupported_media_type',
    message: 'the request body must be JSON (Content-Type: application/json)',
  },
  FST_ERR_CTP_BODY_TOO_LARGE: { status: 413, code: 'payload_too_large', message: 'the request body is too large' },
  FST_ERR_CTP_EMPTY_JSON_BODY: { status: 400, code: 'invalid_json', message: 'the request body is empty' },
  FST_ERR_CTP_INVALID_JSON_BODY: { status: 400, code: 'invalid_json', message: 'the request body is not valid JSON' },
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: {
    status: 400,
    code: 'invalid_json',
    message: 'the request body does not match its Content-Length',
  },
};

export interface ErrorHandlerOptions {
  bodyLimit: number;
  /** True for errors meaning "the database cannot be reached now" (ContextStore.isUnavailable). */
  isUnavailable?: (error: unknown) => boolean;
}

/** Seconds a client should wait after a 503 `unavailable`: database restarts and failovers
 *  take seconds, and the dashboard retries on this cadence. */
export const UNAVAILABLE_RETRY_AFTER_SECONDS = 2;

/** The 503 answered while the database is unreachable (API calls and the health check). */
export const unavailable = (): ApiError =>
  new ApiError(
    503,
    'unavailable',
    'the server cannot reach its database right now; retry shortly',
    { retry_after_seconds: UNAVAILABLE_RETRY_AFTER_SECONDS },
    { 'Retry-After': String(UNAVAILABLE_RETRY_AFTER_SECONDS) },
  );

/**
 * What an impossible path parameter failed to name, for the 404's message: `DELETE
 * /api/keys/` must not say "execution context not found". `routeUrl` is the route's
 * pattern (`/api/keys/:id`), `fields` the parameters that failed.
 */
function notFoundNoun(routeUrl: string | undefined, fields: readonly string[]): string {
  if (fields.includes('version')) return 'version';
  if (routeUrl?.startsWith('/api/keys')) return 'API key';
  if (routeUrl?.includes('/deleted-execution-contexts')) return 'deleted execution context';
  return 'execution context';
}

export function createErrorHandler({ bodyLimit, isUnavailable = () => false }: ErrorHandlerOptions) {
  return function handleError(error: FastifyError, request: FastifyRequest, reply: FastifyReply) {
    if (!(error instanceof ApiError) && isUnavailable(error)) {
      // Expected during a database outage: one warning line, no stack, no 500.
      request.log.warn({ code: (error as { code?: unknown }).code, message: error.message }, 'database unavailable');
      error = unavailable() as unknown as FastifyError;
    }
    if (error instanceof ApiError) {
      if (error.headers) reply.headers(error.headers);
      return reply.code(error.statusCode).send(errorBody(error.code, error.message, error.details));
    }

    if (hasZodFastifySchemaValidationErrors(error)) {
      const issues = fieldIssues(error.validation, error.validationContext === 'querystring');
      const fields = [...new Set(issues.map((i) => i.field))];
      const details = { fields, issues };
      switch (error.validationContext) {
        case 'params':
          // An id that cannot be valid (too long, empty) names no stored context: 404,
          // as the contract lists for GET/PATCH/DELETE by id.
          return reply.code(404).send(errorBody('not_found', `${notFoundNoun(request.routeOptions.url, fields)} not found`, details));
        case 'body':
          // A request without a body reaches validation with none (server/http/json-body.ts).
          if (request.body === undefined || request.body === null) {
            return reply.code(400).send(
              errorBody('invalid_body', 'invalid request body: the request body is empty; send a JSON object', {
                fields: ['(root)'],
                issues: [{ field: '(root)', message: 'the request body is empty' }],
              }),
            );
          }
          return reply.code(400).send(errorBody('invalid_body', `invalid request body: ${describe(issues)}`, details));
        default: {
          // A malformed q/where also names, at the top of details, the first one's parameter,
          // index, position and what was expected (the dashboard points at it).
          const search = issues.find((i) => i.param !== undefined);
          const searchDetails = search
            ? { param: search.param, index: search.index, position: search.position, expected: search.expected }
            : {};
          return reply
            .code(400)
            .send(errorBody('invalid_query', `invalid query: ${describe(issues)}`, { ...details, ...searchDetails }));
        }
      }
    }

    const known = error.code ? FASTIFY_CLIENT_ERRORS[error.code] : undefined;
    if (known) {
      const details = known.code === 'payload_too_large' ? { limit_bytes: bodyLimit } : undefined;
      return reply.code(known.status).send(errorBody(known.code, known.message, details));
    }
    // The JSON parser's SyntaxError arrives with statusCode 400 and no Fastify code.
    if (error instanceof SyntaxError && error.statusCode === 400) {
      return reply.code(400).send(errorBody('invalid_json', 'the request body is not valid JSON'));
    }

    // Unexpected: log the real error; answer without internals.
    request.log.error({ err: error }, 'unhandled error');
    return reply.code(500).send(errorBody('internal_error', 'an unexpected error occurred; it has been logged'));
  };
}
