/**
 * The execution-context endpoints of ../shared/spec/api.md plus the documented extensions
 * (filters, cursor, summary view, ETag/If-Match, POST status). Requests are validated by
 * the contract's zod schemas; auth, roles and rate limits run in the access hook before.
 */
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  contextIdParamsSchema,
  createContextBodySchema,
  errorBodySchema,
  executionContextSchema,
  executionContextSummarySchema,
  listQuerySchema,
  listResponseSchema,
  updateContextBodySchema,
} from '../../contract/schemas';
import type { JsonText } from '../../contract/json/json-text';
import { searchTextOfTokens } from '../../contract/search/search-text';
import { ApiError, notFound } from '../errors';
import { contextJson, listJson } from '../http/context-json';
import { InvalidCursorError, type ContextChanges, type ContextStore, type StoredContext } from '../store/types';
import { etagOf, ifMatchAllows, parseIfMatch } from './etag';
import { writeMeta, type HistorySettings } from '../history/settings';

export const CONTEXTS_PATH = '/api/ai/execution-contexts';

const errors = (...statuses: number[]) => Object.fromEntries(statuses.map((s) => [s, errorBodySchema]));

/**
 * Responses with contexts are written as text by server/http/context-json.ts (each
 * context's stored text spliced in, issue 8), so the routes send strings; the response
 * schemas still document the shapes in the OpenAPI document.
 */
const JSON_TYPE = 'application/json; charset=utf-8';

/** The body parser keeps a context object as its exact text (server/http/json-body.ts). */
const contextText = (value: JsonText | null | undefined): string | null | undefined =>
  value === undefined ? undefined : value === null ? null : value.text;

/** The context's search text from the tokens the body parser listed (none: the store computes it). */
const searchTextOption = (value: JsonText | null | undefined): { search_text?: string } =>
  value?.tokens === undefined ? {} : { search_text: searchTextOfTokens(value.tokens) };

const preconditionFailed = (current: StoredContext) => {
  const etag = etagOf(current.version);
  return new ApiError(
    412,
    'precondition_failed',
    `execution context ${current.context.id} was changed by someone else (now ${etag}); reload it and apply your change again`,
    { current_etag: etag },
    { ETag: etag },
  );
};

/** Sends JSON text as it is (Fastify does not serialise a string sent as JSON). */
const sendJsonText = (reply: FastifyReply, text: string, status = 200) => reply.code(status).type(JSON_TYPE).send(text);

const sendStored = (reply: FastifyReply, stored: StoredContext, status = 200) =>
  sendJsonText(reply.header('ETag', etagOf(stored.version)), contextJson(stored.context), status);

export function registerContextRoutes(app: FastifyInstance, store: ContextStore, history: HistorySettings): void {
  const api = app.withTypeProvider<ZodTypeProvider>();
  const idPath = `${CONTEXTS_PATH}/:id`;

  api.get(
    CONTEXTS_PATH,
    {
      config: { access: { permission: 'read', rateClass: 'read' } },
      schema: {
        summary: 'List execution contexts, newest first',
        tags: ['execution contexts'],
        querystring: listQuerySchema,
        response: {
          200: listResponseSchema(z.union([executionContextSchema, executionContextSummarySchema])),
          ...errors(400, 401, 403, 414, 429),
        },
      },
    },
    async (request, reply) => {
      try {
        return sendJsonText(reply, listJson(await store.list(request.query)));
      } catch (error) {
        if (error instanceof InvalidCursorError) {
          throw new ApiError(400, 'invalid_query', 'after is not a cursor from this server', {
            fields: ['after'],
            issues: [{ field: 'after', message: error.message }],
          });
        }
        throw error;
      }
    },
  );

  api.get(
    idPath,
    {
      config: { access: { permission: 'read', rateClass: 'read' } },
      schema: {
        summary: 'Get one execution context',
        tags: ['execution contexts'],
        params: contextIdParamsSchema,
        response: { 200: executionContextSchema, ...errors(401, 403, 404, 429) },
      },
    },
    async (request, reply) => {
      const stored = await store.get(request.params.id);
      if (!stored) throw notFound(request.params.id);
      return sendStored(reply, stored);
    },
  );

  api.post(
    CONTEXTS_PATH,
    {
      config: { access: { permission: 'write', rateClass: 'write' } },
      schema: {
        summary: 'Create an execution context',
        tags: ['execution contexts'],
        body: createContextBodySchema,
        response: { 201: executionContextSchema, ...errors(400, 401, 403, 413, 415, 429) },
      },
    },
    async (request, reply) => {
      const { context, ...rest } = request.body;
      const stored = await store.create(
        { ...rest, context_json: contextText(context) ?? null, ...searchTextOption(context) },
        writeMeta(request, history),
      );
      reply.header('Location', `${CONTEXTS_PATH}/${encodeURIComponent(stored.context.id)}`);
      return sendStored(reply, stored, 201);
    },
  );

  api.patch(
    idPath,
    {
      config: { access: { permission: 'write', rateClass: 'write' } },
      schema: {
        summary: 'Update an execution context (context replaced as a whole, null clears)',
        tags: ['execution contexts'],
        params: contextIdParamsSchema,
        // Loose: the validated object replaces request.headers, which must keep the others.
        headers: z.looseObject({
          'if-match': z.string().optional().describe('"v<version>" from a previous ETag, or *'),
        }),
        body: updateContextBodySchema,
        response: { 200: executionContextSchema, ...errors(400, 401, 403, 404, 412, 413, 415, 429) },
      },
    },
    async (request, reply) => {
      const { id } = request.params;
      const condition = parseIfMatch(request.headers['if-match']);
      const changes: ContextChanges = {};
      if (request.body.context !== undefined) {
        changes.context_json = contextText(request.body.context);
        Object.assign(changes, searchTextOption(request.body.context));
      }
      if (request.body.session_id !== undefined) changes.session_id = request.body.session_id;

      // With a condition, or with nothing to change, the current version decides first.
      let expectedVersion: number | undefined;
      if (condition.kind !== 'none' || Object.keys(changes).length === 0) {
        const current = await store.get(id);
        if (!current) throw notFound(id);
        if (!ifMatchAllows(condition, current.version)) throw preconditionFailed(current);
        // `{}` changes nothing: the version stays, as documented.
        if (Object.keys(changes).length === 0) return sendStored(reply, current);
        if (condition.kind === 'versions') expectedVersion = current.version;
      }

      const result = await store.update(id, changes, expectedVersion, writeMeta(request, history));
      switch (result.kind) {
        case 'not_found':
          throw notFound(id);
        case 'precondition_failed':
          // Someone saved between our read and our write.
          throw preconditionFailed(result.current);
        case 'updated':
          return sendStored(reply, result.stored);
      }
    },
  );

  api.delete(
    idPath,
    {
      config: { access: { permission: 'delete', rateClass: 'delete' } },
      schema: {
        summary: 'Delete an execution context (not while running or waiting for input)',
        tags: ['execution contexts'],
        params: contextIdParamsSchema,
        response: { 204: z.null().describe('Deleted'), ...errors(401, 403, 404, 409, 429) },
      },
    },
    async (request, reply) => {
      const { id } = request.params;
      const result = await store.delete(id, writeMeta(request, history));
      switch (result.kind) {
        case 'not_found':
          throw notFound(id);
        case 'in_use':
          throw new ApiError(
            409,
            'in_use',
            `execution context ${id} is ${result.status.replaceAll('_', ' ')}: it cannot be deleted while in use`,
            { status: result.status },
          );
        case 'deleted':
          return reply.code(204).send(null);
      }
    },
  );
}
