/**
 * Who is calling and whether they may: one onRequest hook for every protected route, in
 * the documented order auth (401) → role (403) → rate limit (429). It runs before Fastify
 * reads the body, so an unauthenticated 10 MiB upload is refused without being parsed.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { SESSION_COOKIE, canDelete, canRead, canWrite, type RateLimitClass, type Role } from '../../contract/constants';
import { ApiError } from '../errors';
import type { RateLimits } from '../rate-limit';
import type { KeyIdentity, KeyRing } from './keys';
import type { SessionManager } from './sessions';

/** `admin`: the accountability endpoints only admins may use (keys, deleted, activity). */
export type Permission = 'read' | 'write' | 'delete' | 'admin';

export interface RouteAccess {
  /** What the caller's role must allow. */
  permission: Permission;
  /** The rate-limit class charged; the session endpoints set none. */
  rateClass?: RateLimitClass;
}

export interface Principal extends KeyIdentity {
  via: 'key' | 'session';
}

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Set on protected routes; read by the access hook. */
    access?: RouteAccess;
  }
  interface FastifyRequest {
    /** Set by the access hook on protected routes. */
    principal?: Principal;
  }
}

const ALLOWED: Record<Permission, (role: Role) => boolean> = {
  read: canRead,
  write: canWrite,
  delete: canDelete,
  admin: (role) => role === 'admin',
};

const WHAT: Record<Permission, string> = {
  read: 'read execution contexts',
  write: 'write execution contexts',
  delete: 'delete execution contexts',
  admin: 'use the admin endpoints (keys, recently deleted, activity)',
};

const unauthorized = (message: string) =>
  new ApiError(401, 'unauthorized', message, undefined, { 'WWW-Authenticate': 'Bearer realm="api"' });

/**
 * The caller from `Authorization: Bearer <key>` or, without that header, the session
 * cookie. A malformed Authorization header is a 401 even when a cookie is present: the
 * client asked to be judged by it.
 */
export async function identify(request: FastifyRequest, ring: KeyRing, sessions: SessionManager): Promise<Principal> {
  const header = request.headers.authorization;
  if (header !== undefined) {
    const match = /^Bearer +([\x21-\x7e]{1,500}) *$/i.exec(header);
    if (!match?.[1]) throw unauthorized('the Authorization header must be "Bearer <api key>"');
    const identity = ring.identify(match[1]);
    if (!identity) throw unauthorized('unknown API key');
    return { ...identity, via: 'key' };
  }
  const token = request.cookies[SESSION_COOKIE];
  if (token) {
    const identity = await sessions.resolve(token);
    if (!identity) throw unauthorized('the session has expired or was signed out; sign in again');
    return { ...identity, via: 'session' };
  }
  throw unauthorized('missing API key: send "Authorization: Bearer <api key>" or sign in');
}

export function createAccessHook(
  ring: KeyRing,
  sessions: SessionManager,
  rateLimits: RateLimits,
  /** Told about each authenticated request (a key's last use). */
  onUse: (principal: Principal) => void = () => {},
) {
  return async function checkAccess(request: FastifyRequest, reply: FastifyReply): Promise<void> {
    const access = request.routeOptions.config.access;
    if (!access) return;

    const principal = await identify(request, ring, sessions);
    request.principal = principal;
    onUse(principal);
    if (!ALLOWED[access.permission](principal.role)) {
      throw new ApiError(403, 'forbidden', `the ${principal.role} role may not ${WHAT[access.permission]}`, {
        role: principal.role,
        required: access.permission,
      });
    }

    if (!access.rateClass) return;
    // Sessions count against the key they signed in with: the key hash is the budget.
    const decision = await rateLimits.consume(access.rateClass, principal.keyHash);
    if (!decision) return;
    if (!decision.allowed) {
      throw new ApiError(
        429,
        'rate_limited',
        `too many ${access.rateClass} requests; retry in ${decision.retryAfterSeconds ?? 1} s`,
        { class: access.rateClass, retry_after_seconds: decision.retryAfterSeconds },
        decision.headers,
      );
    }
    reply.headers(decision.headers);
  };
}
