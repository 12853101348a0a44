/**
 * Version history, recently deleted contexts and the activity log (issue 11). Thin: the
 * store does the work in one transaction per write (change + version + audit event); these
 * handlers validate, call it and map results to HTTP.
 *
 * - GET  /api/ai/execution-contexts/:id/versions                 viewer+, newest first
 * - GET  /api/ai/execution-contexts/:id/versions/:version        viewer+, exact text
 * - POST /api/ai/execution-contexts/:id/versions/:version/restore editor+, If-Match → 412
 * - GET  /api/ai/deleted-execution-contexts                      admin
 * - POST /api/ai/deleted-execution-contexts/:id/restore          admin → 201 (404 pruned, 409 exists)
 * - DELETE /api/ai/deleted-execution-contexts/:id                admin, erases it and its versions
 * - GET  /api/audit-events                                       admin
 */
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  auditEventSchema,
  auditQuerySchema,
  contextVersionSchema,
  deletedContextSchema,
  deletedListQuerySchema,
  versionEntrySchema,
  versionListQuerySchema,
  versionParamsSchema,
} from '../../contract/accountability-schemas';
import { contextIdParamsSchema, errorBodySchema, executionContextSchema } from '../../contract/schemas';
import { ApiError, notFound } from '../errors';
import { contextJson } from '../http/context-json';
import { auditEntry, deletedEntry, versionEntry, versionJson } from '../history/json';
import { DAY_MS, actorOf, writeMeta, type HistorySettings } from '../history/settings';
import { InvalidCursorError, type ContextStore, type StoredContext } from '../store/types';
import { CONTEXTS_PATH } from './execution-contexts';
import { etagOf, ifMatchAllows, parseIfMatch } from './etag';

export const DELETED_PATH = '/api/ai/deleted-execution-contexts';
export const AUDIT_PATH = '/api/audit-events';

const errors = (...statuses: number[]) => Object.fromEntries(statuses.map((s) => [s, errorBodySchema]));
const page = <Item extends z.ZodType>(item: Item) =>
  z.object({ data: z.array(item), has_more: z.boolean(), next_cursor: z.string().nullable() });

const JSON_TYPE = 'application/json; charset=utf-8';

/** Sends JSON text as it is (the typed reply would want the schema's object). */
const sendText = (reply: FastifyReply, text: string) => reply.type(JSON_TYPE).send(text);

const sendStored = (reply: FastifyReply, stored: StoredContext, status: number) =>
  reply.code(status).header('ETag', etagOf(stored.version)).type(JSON_TYPE).send(contextJson(stored.context));

/** The store's cursor errors as the list endpoints' 400. */
async function withCursor<T>(run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    if (error instanceof InvalidCursorError) {
      throw new ApiError(400, 'invalid_query', 'after is not a cursor from this server', {
        fields: ['after'],
        issues: [{ field: 'after', message: error.message }],
      });
    }
    throw error;
  }
}

const dateMs = (value: string | undefined): number | undefined => (value === undefined ? undefined : Date.parse(value));

const preconditionFailed = (current: StoredContext) => {
  const etag = etagOf(current.version);
  return new ApiError(
    412,
    'precondition_failed',
    `execution context ${current.context.id} was changed by someone else (now ${etag}); review the restore again`,
    { current_etag: etag },
    { ETag: etag },
  );
};

export function registerHistoryRoutes(app: FastifyInstance, store: ContextStore, settings: HistorySettings): void {
  const api = app.withTypeProvider<ZodTypeProvider>();
  const versionsPath = `${CONTEXTS_PATH}/:id/versions`;

  api.get(
    versionsPath,
    {
      config: { access: { permission: 'read', rateClass: 'read' } },
      schema: {
        summary: 'Versions of a context, newest first',
        tags: ['history'],
        params: contextIdParamsSchema,
        querystring: versionListQuerySchema,
        response: { 200: page(versionEntrySchema), ...errors(400, 401, 403, 404, 429) },
      },
    },
    async (request) => {
      const { id } = request.params;
      const result = await withCursor(() => store.listVersions(id, request.query.per_page, request.query.after));
      if (result === null) throw notFound(id);
      return { data: result.data.map(versionEntry), has_more: result.next_cursor !== null, next_cursor: result.next_cursor };
    },
  );

  api.get(
    `${versionsPath}/:version`,
    {
      config: { access: { permission: 'read', rateClass: 'read' } },
      schema: {
        summary: 'One version whole, its context exactly as it was written',
        tags: ['history'],
        params: versionParamsSchema,
        response: { 200: contextVersionSchema, ...errors(401, 403, 404, 429) },
      },
    },
    async (request, reply) => {
      const { id, version } = request.params;
      const row = await store.getVersion(id, version);
      if (row === null) throw new ApiError(404, 'not_found', `execution context ${id} has no version ${version} (or it was pruned)`);
      return sendText(reply, versionJson(row));
    },
  );

  api.post(
    `${versionsPath}/:version/restore`,
    {
      config: { access: { permission: 'write', rateClass: 'write' } },
      schema: {
        summary: "Make a version's context and session_id current again (a new version, action restore)",
        tags: ['history'],
        params: versionParamsSchema,
        headers: z.looseObject({
          'if-match': z.string().optional().describe('"v<version>" of the current context, or *'),
        }),
        response: { 200: executionContextSchema, ...errors(401, 403, 404, 412, 429) },
      },
    },
    async (request, reply) => {
      const { id, version } = request.params;
      const condition = parseIfMatch(request.headers['if-match']);
      let expected: number | undefined;
      if (condition.kind !== 'none') {
        const current = await store.get(id);
        if (!current) throw notFound(id);
        if (!ifMatchAllows(condition, current.version)) throw preconditionFailed(current);
        if (condition.kind === 'versions') expected = current.version;
      }
      const result = await store.restoreVersion(id, version, writeMeta(request, settings), expected);
      switch (result.kind) {
        case 'not_found':
          throw notFound(id);
        case 'version_not_found':
          throw new ApiError(404, 'not_found', `execution context ${id} has no version ${version} (or it was pruned)`);
        case 'precondition_failed':
          throw preconditionFailed(result.current);
        case 'restored':
          return sendStored(reply, result.stored, 200);
      }
    },
  );

  api.get(
    DELETED_PATH,
    {
      config: { access: { permission: 'admin', rateClass: 'read' } },
      schema: {
        summary: 'Recently deleted contexts (restorable), newest deletion first',
        tags: ['history'],
        querystring: deletedListQuerySchema,
        response: { 200: page(deletedContextSchema), ...errors(400, 401, 403, 429) },
      },
    },
    async (request) => {
      const q = request.query;
      const result = await withCursor(() =>
        store.listDeleted({
          per_page: q.per_page,
          after: q.after,
          agent_id: q.agent_id,
          workflow_id: q.workflow_id,
          deleted_since: dateMs(q.deleted_since),
          deleted_by: q.deleted_by,
          delete_job: q.delete_job,
        }),
      );
      const retentionMs = settings.deletedDays * DAY_MS;
      return {
        data: result.data.map((row) => deletedEntry(row, retentionMs)),
        has_more: result.next_cursor !== null,
        next_cursor: result.next_cursor,
      };
    },
  );

  api.post(
    `${DELETED_PATH}/:id/restore`,
    {
      config: { access: { permission: 'admin', rateClass: 'write' } },
      schema: {
        summary: 'Restore a recently deleted context with its id and content',
        tags: ['history'],
        params: contextIdParamsSchema,
        response: { 201: executionContextSchema, ...errors(401, 403, 404, 409, 429) },
      },
    },
    async (request, reply) => {
      const { id } = request.params;
      const result = await store.undelete(id, writeMeta(request, settings));
      switch (result.kind) {
        case 'not_found':
          throw new ApiError(404, 'not_found', `no deleted execution context ${id} (never deleted, restored, or erased)`);
        case 'exists':
          throw new ApiError(409, 'conflict', `an execution context ${id} exists again; it cannot be restored over`, {
            reason: 'exists',
          });
        case 'restored':
          reply.header('Location', `${CONTEXTS_PATH}/${encodeURIComponent(id)}`);
          return sendStored(reply, result.stored, 201);
      }
    },
  );

  api.delete(
    `${DELETED_PATH}/:id`,
    {
      config: { access: { permission: 'admin', rateClass: 'delete' } },
      schema: {
        summary: 'Erase a deleted context and all its versions now',
        tags: ['history'],
        params: contextIdParamsSchema,
        response: { 204: z.null().describe('Erased'), ...errors(401, 403, 404, 429) },
      },
    },
    async (request, reply) => {
      const { id } = request.params;
      if (!(await store.erase(id, actorOf(request), request.ip))) {
        throw new ApiError(404, 'not_found', `no deleted execution context ${id}`);
      }
      return reply.code(204).send(null);
    },
  );

  api.get(
    AUDIT_PATH,
    {
      config: { access: { permission: 'admin', rateClass: 'read' } },
      schema: {
        summary: 'The activity log, newest first',
        tags: ['history'],
        querystring: auditQuerySchema,
        response: { 200: page(auditEventSchema), ...errors(400, 401, 403, 429) },
      },
    },
    async (request) => {
      const q = request.query;
      const result = await withCursor(() =>
        store.listEvents({
          per_page: q.per_page,
          after: q.after,
          actor: q.actor,
          action: q.action,
          context_id: q.context_id,
          since: dateMs(q.since),
          until: dateMs(q.until),
        }),
      );
      return { data: result.data.map(auditEntry), has_more: result.next_cursor !== null, next_cursor: result.next_cursor };
    },
  );
}
