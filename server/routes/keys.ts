/**
 * Named API keys (issue 11), admin only: list (never a key or a hash), create (the key is
 * shown once, in the 201), revoke (its sessions end at once; the last admin key cannot be
 * revoked: 409). The work is in server/auth/key-admin.ts; this file maps it to HTTP.
 */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  createKeyBodySchema,
  createdKeySchema,
  keyIdParamsSchema,
  keyListSchema,
} from '../../contract/accountability-schemas';
import { errorBodySchema } from '../../contract/schemas';
import type { KeyAdmin } from '../auth/key-admin';
import { ApiError } from '../errors';
import { keyInfo } from '../history/json';
import { actorOf } from '../history/settings';

export const KEYS_PATH = '/api/keys';

const errors = (...statuses: number[]) => Object.fromEntries(statuses.map((s) => [s, errorBodySchema]));

export function registerKeyRoutes(app: FastifyInstance, keys: KeyAdmin): void {
  const api = app.withTypeProvider<ZodTypeProvider>();

  api.get(
    KEYS_PATH,
    {
      config: { access: { permission: 'admin', rateClass: 'read' } },
      schema: {
        summary: 'List the API keys (names, roles, origins; never the keys)',
        tags: ['keys'],
        response: { 200: keyListSchema, ...errors(401, 403, 429) },
      },
    },
    async () => ({ data: (await keys.list()).map(keyInfo) }),
  );

  api.post(
    KEYS_PATH,
    {
      config: { access: { permission: 'admin', rateClass: 'write' } },
      schema: {
        summary: 'Create a named API key (the key is in this answer only)',
        tags: ['keys'],
        body: createKeyBodySchema,
        response: { 201: createdKeySchema, ...errors(400, 401, 403, 413, 415, 429) },
      },
    },
    async (request, reply) => {
      const { record, key } = await keys.create(request.body.name, request.body.role, actorOf(request), request.ip);
      reply.header('Location', `${KEYS_PATH}/${encodeURIComponent(record.id)}`);
      return reply.code(201).send({ ...keyInfo(record), key });
    },
  );

  api.delete(
    `${KEYS_PATH}/:id`,
    {
      config: { access: { permission: 'admin', rateClass: 'delete' } },
      schema: {
        summary: 'Revoke an API key (its sessions end at once)',
        tags: ['keys'],
        params: keyIdParamsSchema,
        response: { 204: z.null().describe('Revoked'), ...errors(401, 403, 404, 409, 429) },
      },
    },
    async (request, reply) => {
      const result = await keys.revoke(request.params.id, actorOf(request), request.ip);
      switch (result.kind) {
        case 'not_found':
          throw new ApiError(404, 'not_found', 'no such API key (or it was already revoked)');
        case 'last_admin':
          throw new ApiError(409, 'conflict', 'this is the last admin key: create another admin key before revoking it', {
            reason: 'last_admin_key',
          });
        case 'revoked':
          return reply.code(204).send(null);
      }
    },
  );
}
