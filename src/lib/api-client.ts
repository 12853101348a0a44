/**
 * The dashboard's one way to call the server. Built on the shared contract's types; every
 * non-2xx answer becomes an ApiError carrying the contract's error body, and the 429
 * headers as a number of seconds. The browser authenticates with the HttpOnly session
 * cookie: no key is ever held in JS-readable storage.
 */
import type { ErrorCode, RateLimitClass } from '@contract/constants';
import type { ErrorBody } from '@contract/types';
import { rateBudget } from './rate-limits';
import { reportServerAvailable, reportServerUnavailable } from './server-availability';

/** Codes the client adds for failures that never reached a server answer. */
export type ClientErrorCode = 'network_error' | 'unexpected_response';

export class ApiError extends Error {
  readonly status: number;
  readonly code: ErrorCode | ClientErrorCode;
  readonly details: Record<string, unknown> | undefined;
  /** Seconds to wait before retrying (from Retry-After), for 429 and 503. */
  readonly retryAfterSeconds: number | undefined;

  constructor(init: {
    status: number;
    code: ErrorCode | ClientErrorCode;
    message: string;
    details?: Record<string, unknown>;
    retryAfterSeconds?: number;
  }) {
    super(init.message);
    this.name = 'ApiError';
    this.status = init.status;
    this.code = init.code;
    this.details = init.details;
    this.retryAfterSeconds = init.retryAfterSeconds;
  }

  get isNetworkError(): boolean {
    return this.code === 'network_error';
  }
}

export const isApiError = (error: unknown): error is ApiError => error instanceof ApiError;

/** Rate-limit state the server reports on every response of a limited class. */
export interface RateLimitInfo {
  limit: number;
  remaining: number;
  /** Seconds until the window resets. */
  resetSeconds: number;
}

export interface ApiResponse<T> {
  data: T;
  status: number;
  etag: string | null;
  rateLimit: RateLimitInfo | null;
}

/**
 * A query parameter's value. An array is sent once, comma-joined (`status=a,b`);
 * `{ repeated }` sends the parameter once per value (`where=…&where=…`), for values that
 * may themselves hold commas.
 */
export type QueryValue = string | number | boolean | undefined | null | readonly string[] | { repeated: readonly string[] };

export interface ApiRequest<T = unknown> {
  method?: 'GET' | 'POST' | 'PATCH' | 'DELETE';
  query?: Record<string, QueryValue>;
  /** A JSON body, written with JSON.stringify: never for a body that carries a context. */
  body?: unknown;
  /**
   * A JSON body as text, sent as is: what carries a context, written with `stringifyJson`
   * (src/lib/context-json.ts) so its numbers go out exactly as they were read.
   */
  bodyText?: string;
  /**
   * Reads a successful answer's text (default: JSON.parse). Responses that hold a context
   * pass the lossless parser here (src/lib/context-json.ts), since JSON.parse rounds big
   * numbers and reorders integer-like member names.
   */
  parse?: (text: string, signal?: AbortSignal) => T | Promise<T>;
  ifMatch?: string;
  /** Extra request headers (e.g. X-Delete-Job). */
  headers?: Record<string, string>;
  signal?: AbortSignal;
  /**
   * The server's rate-limit class of this call. The request waits for the class's budget
   * before it is sent, and a 429 or an exhausted window pauses the whole class.
   */
  rateClass?: RateLimitClass;
}

export const API_BASE = '/api';

export function buildUrl(path: string, query?: Record<string, QueryValue>): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query ?? {})) {
    if (value === undefined || value === null || value === '') continue;
    if (Array.isArray(value)) {
      if (value.length > 0) params.set(key, value.join(','));
    } else if (typeof value === 'object' && 'repeated' in value) {
      for (const each of value.repeated) params.append(key, each);
    } else {
      params.set(key, String(value));
    }
  }
  const search = params.toString();
  return `${API_BASE}${path}${search ? `?${search}` : ''}`;
}

export function parseRateLimit(headers: Headers): RateLimitInfo | null {
  const limit = headers.get('RateLimit-Limit');
  const remaining = headers.get('RateLimit-Remaining');
  const reset = headers.get('RateLimit-Reset');
  if (limit === null || remaining === null || reset === null) return null;
  return { limit: Number(limit), remaining: Number(remaining), resetSeconds: Number(reset) };
}

function parseRetryAfter(headers: Headers): number | undefined {
  const value = headers.get('Retry-After');
  if (value === null) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, seconds);
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, Math.ceil((date - Date.now()) / 1000));
}

function isErrorBody(value: unknown): value is ErrorBody {
  if (typeof value !== 'object' || value === null || !('error' in value)) return false;
  const error = (value as { error: unknown }).error;
  return typeof error === 'object' && error !== null && 'code' in error && 'message' in error;
}

/** JSON.parse, for answers that hold no context (errors, summaries, session info). */
function parsePlainJson(text: string): unknown {
  try {
    return JSON.parse(text); // fidelity-ok: never a context (those pass `request.parse`)
  } catch {
    return undefined;
  }
}

export async function apiRequest<T>(path: string, request: ApiRequest<T> = {}): Promise<ApiResponse<T>> {
  const headers: Record<string, string> = { ...request.headers, Accept: 'application/json' };
  const body = request.bodyText ?? (request.body === undefined ? undefined : JSON.stringify(request.body)); // fidelity-ok: see bodyText
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (request.ifMatch) headers['If-Match'] = request.ifMatch;

  const budget = request.rateClass ? rateBudget(request.rateClass) : undefined;
  if (budget) await budget.acquire(request.signal);

  let response: Response;
  try {
    response = await fetch(buildUrl(path, request.query), {
      method: request.method ?? 'GET',
      headers,
      body,
      credentials: 'same-origin',
      signal: request.signal,
    });
  } catch (error) {
    if (request.signal?.aborted) throw error;
    throw new ApiError({
      status: 0,
      code: 'network_error',
      message: 'Could not reach the server. Check your connection and try again.',
    });
  }

  const rateLimit = parseRateLimit(response.headers);
  if (budget && rateLimit && rateLimit.remaining <= 0) {
    // Another tab or client shares the key and used the window up: wait for its reset.
    budget.pauseUntil(Date.now() + rateLimit.resetSeconds * 1000);
  }
  const etag = response.headers.get('ETag');
  const text = response.status === 204 ? '' : await response.text();
  // An error answer's body (never a context): read plainly. A success is read below.
  const payload = !response.ok && text ? parsePlainJson(text) : undefined;

  // 503 `unavailable`: the server cannot reach its database; the banner says so and
  // probes until it recovers. Any other answer means it serves again.
  const unavailable = response.status === 503 && isErrorBody(payload) && payload.error.code === 'unavailable';
  if (unavailable) reportServerUnavailable(parseRetryAfter(response.headers));
  else reportServerAvailable();

  if (!response.ok) {
    const retryAfterSeconds = parseRetryAfter(response.headers);
    if (budget && response.status === 429 && retryAfterSeconds !== undefined) {
      budget.pauseUntil(Date.now() + retryAfterSeconds * 1000);
    }
    if (isErrorBody(payload)) {
      throw new ApiError({
        status: response.status,
        code: payload.error.code,
        message: payload.error.message,
        details: payload.error.details,
        retryAfterSeconds,
      });
    }
    throw new ApiError({
      status: response.status,
      code: 'unexpected_response',
      message: `The server answered ${response.status} ${response.statusText}.`,
      retryAfterSeconds,
    });
  }
  let data: T;
  if (!text) data = undefined as T;
  else if (request.parse) {
    try {
      data = await request.parse(text, request.signal);
    } catch (error) {
      if (request.signal?.aborted) throw error;
      throw new ApiError({
        status: response.status,
        code: 'unexpected_response',
        message: `The server's answer could not be read: ${error instanceof Error ? error.message : String(error)}`,
      });
    }
  } else data = parsePlainJson(text) as T;
  return { data, status: response.status, etag, rateLimit };
}

/** Shorthand for calls whose headers do not matter. */
export async function apiData<T>(path: string, request?: ApiRequest<T>): Promise<T> {
  return (await apiRequest<T>(path, request)).data;
}
