/**
 * The dashboard's sign-in: POST exchanges a key for an HttpOnly session cookie, GET says
 * who the caller is (cookie or Bearer) and which rate limits apply, DELETE signs out.
 * These calls are not charged to the read budget; failed sign-ins are limited per address.
 */
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { SESSION_COOKIE } from '../../contract/constants';
import { errorBodySchema, sessionInfoSchema, signInBodySchema } from '../../contract/schemas';
import type { SessionInfo } from '../../contract/types';
import { identify } from '../auth/access';
import type { KeyIdentity, KeyRing } from '../auth/keys';
import type { HistorySettings } from '../history/settings';
import type { ContextStore } from '../store/types';
import type { SessionManager } from '../auth/sessions';
import { ApiError } from '../errors';
import type { RateLimits, SignInLimiter } from '../rate-limit';

export const SESSION_PATH = '/api/session';

export interface SessionRouteDeps {
  ring: KeyRing;
  sessions: SessionManager;
  rateLimits: RateLimits;
  signInLimiter: SignInLimiter;
  /** Sign-ins are recorded in the activity log (issue 11). */
  store: ContextStore;
  history: HistorySettings;
}

const errors = (...statuses: number[]) => Object.fromEntries(statuses.map((s) => [s, errorBodySchema]));

export function registerSessionRoutes(app: FastifyInstance, deps: SessionRouteDeps): void {
  const api = app.withTypeProvider<ZodTypeProvider>();
  const info = (identity: KeyIdentity): SessionInfo => ({
    role: identity.role,
    key: { id: identity.keyId, name: identity.name },
    retention: { deleted_days: deps.history.deletedDays, history_days: deps.history.historyDays },
    rate_limits: deps.rateLimits.sessionLimits(),
  });
  const clearCookie = (reply: FastifyReply) => {
    const { maxAge: _maxAge, ...attributes } = deps.sessions.cookieOptions();
    reply.clearCookie(SESSION_COOKIE, attributes);
  };

  const tooManyFailures = (retryAfterSeconds: number) =>
    new ApiError(
      429,
      'rate_limited',
      `too many failed sign-ins from this address; retry in ${retryAfterSeconds} s`,
      { retry_after_seconds: retryAfterSeconds },
      { 'Retry-After': String(retryAfterSeconds) },
    );

  api.post(
    SESSION_PATH,
    {
      // Refuse a blocked address before reading its body.
      onRequest: async (request) => {
        const wait = await deps.signInLimiter.blockedFor(request.ip);
        if (wait !== null) throw tooManyFailures(wait);
      },
      schema: {
        summary: 'Sign in with an API key (sets the HttpOnly session cookie)',
        tags: ['session'],
        body: signInBodySchema,
        response: { 200: sessionInfoSchema, ...errors(400, 401, 413, 415, 429) },
      },
    },
    async (request, reply) => {
      const identity = deps.ring.identify(request.body.api_key);
      if (!identity) {
        await deps.signInLimiter.recordFailure(request.ip);
        // Who tried is unknown; the address is what there is. Never the presented key.
        await deps.store.recordEvent({ action: 'session.sign_in_failed', actor: null, client_ip: request.ip });
        throw new ApiError(401, 'unauthorized', 'unknown API key');
      }
      // A previous session of this browser ends with the new sign-in.
      const previous = request.cookies[SESSION_COOKIE];
      if (previous) await deps.sessions.destroy(previous);
      const token = await deps.sessions.create(identity);
      await deps.store.recordEvent({
        action: 'session.signed_in',
        actor: { key_id: identity.keyId, name: identity.name, role: identity.role },
        client_ip: request.ip,
      });
      reply.setCookie(SESSION_COOKIE, token, deps.sessions.cookieOptions());
      return info(identity);
    },
  );

  api.get(
    SESSION_PATH,
    {
      schema: {
        summary: 'The caller’s role and rate limits (cookie or Bearer)',
        tags: ['session'],
        response: { 200: sessionInfoSchema, ...errors(401) },
      },
    },
    async (request) => info(await identify(request, deps.ring, deps.sessions)),
  );

  api.delete(
    SESSION_PATH,
    {
      schema: {
        summary: 'Sign out (ends the session and clears the cookie)',
        tags: ['session'],
        response: { 204: z.null().describe('Signed out') },
      },
    },
    async (request, reply) => {
      const token = request.cookies[SESSION_COOKIE];
      if (token) await deps.sessions.destroy(token);
      clearCookie(reply);
      return reply.code(204).send(null);
    },
  );
}
