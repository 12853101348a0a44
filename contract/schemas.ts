/**
 * Validation schemas of the execution-context API: the single implementation of the
 * contract's input rules. The server validates every request with these; the dashboard
 * imports them only from lazily loaded code (e.g. the editor) so zod stays out of the
 * first-load bundle.
 */
import { z } from 'zod';
import {
  CONTEXT_STATUSES,
  ERROR_CODES,
  PAGE_MAX,
  PER_PAGE_DEFAULT,
  PER_PAGE_MAX,
  ROLES,
} from './constants';
import { JsonText } from './json/json-text';
import { Q_MAX_CHARS, parseSearchParams, type ParsedSearch } from './search/search-params';
import { MAX_CONDITION_LENGTH, MAX_CONDITIONS } from './search/condition';

/** Longest id, agent_id, workflow_id or session_id accepted. */
export const MAX_ID_LENGTH = 200;

const identifier = z.string().min(1).max(MAX_ID_LENGTH);

export const contextStatusSchema = z.enum(CONTEXT_STATUSES);

/** `context` is a JSON object or null: never an array, string or number. */
export const contextValueSchema = z.union([z.record(z.string(), z.unknown()), z.null()], {
  error: 'must be a JSON object or null',
});

/**
 * `context` in a request body: the server's body parser keeps objects as `JsonText`
 * (their exact compact text) instead of building them, so the schema checks the kind and
 * the route stores the text untouched.
 */
export const contextBodyValueSchema = z.union(
  [
    z
      .custom<JsonText>((value) => value instanceof JsonText && value.kind === 'object')
      .meta({ type: 'object', description: 'Any JSON object; stored and served exactly as sent' }),
    z.null(),
  ],
  { error: 'must be a JSON object or null' },
);

export const executionContextSchema = z
  .object({
    id: z.string(),
    agent_id: z.string().nullable(),
    workflow_id: z.string().nullable(),
    session_id: z.string().nullable(),
    context: contextValueSchema,
    status: contextStatusSchema,
    created_at: z.iso.datetime(),
    updated_at: z.iso.datetime(),
  })
  .meta({ id: 'ExecutionContext' });

/** A list row in the summary view (`view=summary`): the context is cut to a preview. */
export const executionContextSummarySchema = executionContextSchema
  .omit({ context: true })
  .extend({
    /** First CONTEXT_PREVIEW_CHARS characters of the compact JSON, null when context is null. */
    context_preview: z.string().nullable(),
    /** Size of the compact JSON of `context` in bytes (UTF-8); 0 when null. */
    context_size: z.number().int(),
  })
  .meta({ id: 'ExecutionContextSummary' });

/** Query-string integers: digits only, so "1.5", "1e3", "-1" and "" are refused. */
const queryInt = (name: string, min: number, max: number) =>
  z
    .string()
    .regex(/^\d{1,9}$/, `${name} must be a whole number`)
    .transform(Number)
    .refine((n) => n >= min && n <= max, `${name} must be between ${min} and ${max}`);

/** One or more statuses, as `status=a,b` or `status=a&status=b`. */
const statusList = z
  .union([z.string(), z.array(z.string())])
  .transform((raw) => (Array.isArray(raw) ? raw : [raw]).flatMap((s) => s.split(',')).filter(Boolean))
  .pipe(z.array(contextStatusSchema).min(1).max(CONTEXT_STATUSES.length));

export const listQuerySchema = z
  .strictObject({
    page: queryInt('page', 1, PAGE_MAX).optional(),
    per_page: queryInt('per_page', 1, PER_PAGE_MAX).default(PER_PAGE_DEFAULT),
    agent_id: identifier.optional(),
    workflow_id: identifier.optional(),
    status: statusList.optional(),
    updated_before: z.iso.datetime({ offset: true }).optional(),
    /** Opaque cursor from a previous page's `next_cursor`. */
    after: z.string().min(1).max(500).optional(),
    /** `summary` replaces `context` by `context_preview` and `context_size`. */
    view: z.enum(['full', 'summary']).default('full'),
    /** Extension (issue 10): contexts whose JSON contains this text, case-insensitively. */
    q: z.string().max(Q_MAX_CHARS * 2).optional(),
    /** Extension (issue 10): `<path> <op> [value]` conditions (contract/search), all must hold. */
    where: z
      .union([z.string().max(MAX_CONDITION_LENGTH * 2), z.array(z.string().max(MAX_CONDITION_LENGTH * 2)).max(MAX_CONDITIONS * 2)])
      .optional(),
  })
  .refine((q) => !(q.after !== undefined && q.page !== undefined && q.page !== 1), {
    message: 'use either page or after, not both',
    path: ['after'],
  })
  .transform((query, ctx) => {
    if (query.q === undefined && query.where === undefined) return query as typeof query & { search?: ParsedSearch };
    const parsed = parseSearchParams(query.q, query.where);
    if (!parsed.ok) {
      // `params.search` carries the position and what was expected to the error handler
      // (server/errors.ts), which puts them in the 400's details.
      for (const issue of parsed.issues) {
        ctx.addIssue({ code: 'custom', path: [issue.param], message: issue.message, params: { search: issue } });
      }
      return z.NEVER;
    }
    return { ...query, search: parsed.search as ParsedSearch | undefined };
  });

export const contextIdParamsSchema = z.strictObject({ id: identifier });

export const createContextBodySchema = z
  .strictObject({
    agent_id: identifier.nullable(),
    workflow_id: identifier.nullable().optional(),
    session_id: identifier.nullable().optional(),
    context: contextBodyValueSchema.optional(),
    /** Extension: the initial status (default `idle`). */
    status: contextStatusSchema.optional(),
  })
  .meta({ id: 'CreateExecutionContext' });

/**
 * PATCH body: a field left out is kept, null clears it; `context` replaces the stored
 * object as a whole. Any other field is refused.
 */
export const updateContextBodySchema = z
  .strictObject({
    context: contextBodyValueSchema.optional(),
    session_id: identifier.nullable().optional(),
  })
  .meta({ id: 'UpdateExecutionContext' });

export const errorBodySchema = z
  .object({
    error: z.object({
      code: z.enum(ERROR_CODES),
      message: z.string(),
      details: z.record(z.string(), z.unknown()).optional(),
    }),
  })
  .meta({ id: 'Error' });

export const signInBodySchema = z.strictObject({ api_key: z.string().min(1).max(500) });

const rateLimitRuleSchema = z.object({ perSecond: z.number().int(), perMinute: z.number().int() });

/**
 * What the signed-in client is and may do. `rate_limits` lets the dashboard pace itself
 * with the server's actual limits (null for a class: not limited, e.g. RATE_LIMITS=off).
 */
export const sessionInfoSchema = z
  .object({
    role: z.enum(ROLES),
    /** The signed-in key (issue 11): its id and name, so the dashboard shows who is signed in. */
    key: z.object({ id: z.string(), name: z.string() }),
    /**
     * Retention in force (issue 11): days a deleted context stays restorable by an admin
     * (0: deletes are final) and days of version history (0: none is kept).
     */
    retention: z.object({ deleted_days: z.number().int(), history_days: z.number().int() }),
    rate_limits: z.object({
      read: rateLimitRuleSchema.nullable(),
      write: rateLimitRuleSchema.nullable(),
      delete: rateLimitRuleSchema.nullable(),
    }),
  })
  .meta({ id: 'SessionInfo' });

export const listResponseSchema = <Item extends z.ZodType>(item: Item) =>
  z.object({ data: z.array(item), has_more: z.boolean(), next_cursor: z.string().nullable() });
