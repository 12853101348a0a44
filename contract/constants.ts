/**
 * Constants of the execution-context API contract (../shared/spec/api.md).
 *
 * This file deliberately imports nothing (no zod) so that the dashboard can use these
 * values in its first-load bundle at no cost; the validation schemas live in `schemas.ts`.
 */

export const CONTEXT_STATUSES = [
  'idle',
  'running',
  'waiting_for_input',
  'interrupted',
  'completed',
  'failed',
] as const;
export type ContextStatus = (typeof CONTEXT_STATUSES)[number];

/** A context in one of these statuses is in use: DELETE answers 409. */
export const IN_USE_STATUSES: readonly ContextStatus[] = ['running', 'waiting_for_input'];
export const isInUse = (status: ContextStatus): boolean => IN_USE_STATUSES.includes(status);

export const ROLES = ['viewer', 'editor', 'admin'] as const;
export type Role = (typeof ROLES)[number];

/** What each role may do. viewer ⊂ editor ⊂ admin. */
export const canRead = (_role: Role): boolean => true;
export const canWrite = (role: Role): boolean => role === 'editor' || role === 'admin';
export const canDelete = (role: Role): boolean => role === 'admin';

export const PER_PAGE_DEFAULT = 20;
export const PER_PAGE_MAX = 100;
/** Highest `page` accepted; deeper offsets must use the cursor (`after`). */
export const PAGE_MAX = 100_000;

/** Length of `context_preview` in the summary view of the list (`view=summary`). */
export const CONTEXT_PREVIEW_CHARS = 300;

/** Operation classes that are rate-limited separately, per key. */
export const RATE_LIMIT_CLASSES = ['read', 'write', 'delete'] as const;
export type RateLimitClass = (typeof RATE_LIMIT_CLASSES)[number];

export interface RateLimitRule {
  /** Requests allowed per rolling second (burst). */
  perSecond: number;
  /** Requests allowed per minute (sustained). */
  perMinute: number;
}

/** The seeds' figures: the default limits of the server and the budget of the dashboard. */
export const DEFAULT_RATE_LIMITS: Record<RateLimitClass, RateLimitRule> = {
  read: { perSecond: 20, perMinute: 100 },
  write: { perSecond: 10, perMinute: 50 },
  delete: { perSecond: 5, perMinute: 50 },
};

/** Stable, machine-readable error codes (`error.code`). */
export const ERROR_CODES = [
  'invalid_query',
  'invalid_body',
  'invalid_json',
  'unsupported_media_type',
  'payload_too_large',
  'uri_too_long',
  'unauthorized',
  'forbidden',
  'not_found',
  /** 405: an API path that exists, with a method it does not take; `Allow` lists those it does. */
  'method_not_allowed',
  'in_use',
  /** 409 of the accountability endpoints: the id exists again, the last admin key, … */
  'conflict',
  'precondition_failed',
  'rate_limited',
  'internal_error',
  /** 503: the server cannot reach its database now (API calls and GET /api/ready), with Retry-After. */
  'unavailable',
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

/** Name of the dashboard's session cookie (HttpOnly, SameSite=Strict, Path=/api). */
export const SESSION_COOKIE = 'ecc_session';
