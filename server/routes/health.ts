/**
 * Probes, no auth and no rate limit:
 * - `GET /api/health`: liveness. The process answers HTTP; touches nothing else, so it
 *   stays the cheapest request the server has (tests and process managers poll it).
 * - `GET /api/ready`: readiness, for load balancers. 200 only when the store answers a
 *   trivial query and its schema is migrated (`ContextStore.ping`); otherwise 503
 *   `unavailable` with `Retry-After`, so a balancer sends traffic to other instances.
 */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { errorBodySchema } from '../../contract/schemas';
import { errorBody } from '../errors';
import type { ContextStore } from '../store/types';

export function registerHealthRoute(app: FastifyInstance): void {
  app.withTypeProvider<ZodTypeProvider>().get(
    '/api/health',
    {
      schema: {
        summary: 'Liveness probe (the process answers; the store is not asked)',
        tags: ['meta'],
        response: { 200: z.object({ status: z.literal('ok') }) },
      },
    },
    async () => ({ status: 'ok' as const }),
  );
}

export interface ReadyRouteOptions {
  /** A ping slower than this counts as a failure (ms). A balancer's probe must not hang. */
  timeoutMs?: number;
  /** Sent as `Retry-After` with a 503 (whole seconds). */
  retryAfterSeconds?: number;
}

const READY_TIMEOUT_MS = 2_000;
const READY_RETRY_AFTER_SECONDS = 5;

/** Rejects after `ms` unless `promise` settles first; the timer never keeps the process up. */
function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`the store did not answer within ${ms} ms`)), ms);
    timer.unref();
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/**
 * `GET /api/ready` → 200 `{ status: 'ready' }`, or 503 `{ error: { code: 'unavailable' } }`
 * + `Retry-After` when `store.ping()` rejects or takes longer than `timeoutMs`. The reason
 * goes to the log only: the probe is unauthenticated and a driver's message may name hosts.
 */
export function registerReadyRoute(app: FastifyInstance, store: ContextStore, options: ReadyRouteOptions = {}): void {
  const timeoutMs = options.timeoutMs ?? READY_TIMEOUT_MS;
  const retryAfter = options.retryAfterSeconds ?? READY_RETRY_AFTER_SECONDS;
  app.withTypeProvider<ZodTypeProvider>().get(
    '/api/ready',
    {
      schema: {
        summary: 'Readiness probe (the store answers and is migrated)',
        tags: ['meta'],
        response: { 200: z.object({ status: z.literal('ready') }), 503: errorBodySchema },
      },
    },
    async (request, reply) => {
      try {
        await withTimeout(store.ping(), timeoutMs);
        return { status: 'ready' as const };
      } catch (error) {
        request.log.warn({ err: error }, 'readiness check failed: the store is not available');
        return reply
          .code(503)
          .header('Retry-After', String(retryAfter))
          .send(errorBody('unavailable', 'the server cannot reach its store; retry shortly'));
      }
    },
  );
}
