/**
 * zod schemas of the accountability endpoints (issue 11): named API keys, versions,
 * recently deleted contexts and audit events. Server-side validation and the OpenAPI
 * document use them; the dashboard imports only their inferred types.
 */
import { z } from 'zod';
import { AUDIT_ACTIONS, KEY_NAME_MAX, KEY_ORIGINS, VERSION_ACTIONS } from './accountability';
import { PER_PAGE_MAX, ROLES } from './constants';
import { MAX_ID_LENGTH, contextStatusSchema, contextValueSchema } from './schemas';

const identifier = z.string().min(1).max(MAX_ID_LENGTH);

/**
 * A delete job id: what the dashboard sends in `X-Delete-Job` with each delete of one bulk
 * delete, and what the recently-deleted list filters on (server/history/settings.ts).
 */
export const DELETE_JOB_PATTERN = /^[A-Za-z0-9_-]{1,100}$/;
export const DELETE_JOB_RULE = 'must be 1–100 letters, digits, - or _';
const deleteJobId = z.string().regex(DELETE_JOB_PATTERN, DELETE_JOB_RULE);

/** Query-string integers: digits only. */
const queryInt = (name: string, min: number, max: number) =>
  z
    .string()
    .regex(/^\d{1,9}$/, `${name} must be a whole number`)
    .transform(Number)
    .refine((n) => n >= min && n <= max, `${name} must be between ${min} and ${max}`);

const perPage = queryInt('per_page', 1, PER_PAGE_MAX).default(20);
const cursor = z.string().min(1).max(500).optional();

/** Who did something: the key, its name at the time, its role. */
export const actorSchema = z
  .object({ key_id: z.string(), name: z.string(), role: z.enum(ROLES) })
  .meta({ id: 'Actor' });

// ---- named API keys ----------------------------------------------------------------------

/**
 * Key names: printable text, trimmed, 1–100 characters. Names appear in history, the
 * activity log and the header as who did what, so neither control characters (C0, DEL, C1)
 * nor bidirectional overrides and isolates (U+202A–U+202E, U+2066–U+2069), which can make
 * a name display as another (the "Trojan Source" trick, CVE-2021-42574), are allowed.
 */
export const keyNameSchema = z
  .string()
  .trim()
  .min(1, 'name must not be empty')
  .max(KEY_NAME_MAX, `name must be at most ${KEY_NAME_MAX} characters`)
  // eslint-disable-next-line no-control-regex -- refusing control characters is the point
  .refine((name) => !/[\u0000-\u001f\u007f-\u009f]/.test(name), 'name must not contain control characters')
  .refine((name) => !/[\u202a-\u202e\u2066-\u2069]/.test(name), 'name must not contain bidirectional override or isolate characters');

export const apiKeySchema = z
  .object({
    id: z.string(),
    name: z.string(),
    role: z.enum(ROLES),
    origin: z.enum(KEY_ORIGINS),
    created_at: z.iso.datetime(),
    /** Updated at most once a minute. */
    last_used_at: z.iso.datetime().nullable(),
    /** The key id of the admin who created it (null for environment and key-file keys). */
    created_by: z.string().nullable(),
  })
  .meta({ id: 'ApiKey' });

export const createKeyBodySchema = z
  .strictObject({ name: keyNameSchema, role: z.enum(ROLES) })
  .meta({ id: 'CreateApiKey' });

/** The answer to POST /api/keys: the only time the key itself is shown. */
export const createdKeySchema = apiKeySchema.extend({ key: z.string() }).meta({ id: 'CreatedApiKey' });

export const keyIdParamsSchema = z.strictObject({ id: identifier });

export const keyListSchema = z.object({ data: z.array(apiKeySchema) });

// ---- versions ----------------------------------------------------------------------------

export const versionEntrySchema = z
  .object({
    version: z.number().int(),
    action: z.enum(VERSION_ACTIONS),
    at: z.iso.datetime(),
    actor: actorSchema,
    /** UTF-8 bytes of the context's compact JSON in that version; 0 when null. */
    context_size: z.number().int(),
  })
  .meta({ id: 'ContextVersionEntry' });

/** One version whole: its context exactly as it was written, and its session_id. */
export const contextVersionSchema = versionEntrySchema
  .extend({ context_id: z.string(), session_id: z.string().nullable(), context: contextValueSchema })
  .meta({ id: 'ContextVersion' });

export const versionListQuerySchema = z.strictObject({ per_page: perPage, after: cursor });

export const versionParamsSchema = z.strictObject({
  id: identifier,
  version: z
    .string()
    .regex(/^\d{1,9}$/, 'version must be a whole number')
    .transform(Number),
});

// ---- recently deleted --------------------------------------------------------------------

export const deletedContextSchema = z
  .object({
    id: z.string(),
    agent_id: z.string().nullable(),
    workflow_id: z.string().nullable(),
    session_id: z.string().nullable(),
    status: contextStatusSchema,
    created_at: z.iso.datetime(),
    updated_at: z.iso.datetime(),
    deleted_at: z.iso.datetime(),
    deleted_by: actorSchema,
    /** The delete job (the dashboard's bulk delete) it was deleted by, if any. */
    delete_job: z.string().nullable(),
    /** When pruning erases it for good. */
    restorable_until: z.iso.datetime(),
    context_size: z.number().int(),
    context_preview: z.string().nullable(),
  })
  .meta({ id: 'DeletedExecutionContext' });

export const deletedListQuerySchema = z.strictObject({
  per_page: perPage,
  after: cursor,
  agent_id: identifier.optional(),
  workflow_id: identifier.optional(),
  /** RFC 3339: deleted at or after. */
  deleted_since: z.iso.datetime({ offset: true }).optional(),
  /** A key id. */
  deleted_by: identifier.optional(),
  delete_job: deleteJobId.optional(),
});

// ---- activity log --------------------------------------------------------------------------

export const auditEventSchema = z
  .object({
    id: z.string(),
    at: z.iso.datetime(),
    action: z.enum(AUDIT_ACTIONS),
    /** null for the server itself (pruning) and failed sign-ins. */
    actor: actorSchema.nullable(),
    context_id: z.string().nullable(),
    /** The context version the change made (writes), else null. */
    version: z.number().int().nullable(),
    client_ip: z.string().nullable(),
    /** Small facts about the event (never a key, a cookie or content). */
    details: z.record(z.string(), z.unknown()),
  })
  .meta({ id: 'AuditEvent' });

const actionList = z
  .union([z.string(), z.array(z.string())])
  .transform((raw) => (Array.isArray(raw) ? raw : [raw]).flatMap((s) => s.split(',')).filter(Boolean))
  .pipe(z.array(z.enum(AUDIT_ACTIONS)).min(1).max(AUDIT_ACTIONS.length));

export const auditQuerySchema = z.strictObject({
  per_page: perPage,
  after: cursor,
  /** A key id. */
  actor: identifier.optional(),
  action: actionList.optional(),
  context_id: identifier.optional(),
  since: z.iso.datetime({ offset: true }).optional(),
  until: z.iso.datetime({ offset: true }).optional(),
});
