/**
 * Probes, no auth and no rate limit:
 * - `GET /api/health`: health. 200 `{ status: 'ok' }` while the process answers and its
 *   store was reachable at the last check; 503 `unavailable` + `Retry-After` during a
 *   database outage (issue 9). Cheap by construction: the store is asked at most once per
 *   HEALTH_CHECK_INTERVAL_MS for the whole process (every other call answers from that
 *   result), and an answer never waits longer than HEALTH_PING_TIMEOUT_MS.
 * - `GET /api/ready`: readiness, for load balancers (issue 12). 200 only when the store
 *   answers a trivial query right now and its schema is migrated (`ContextStore.ping`);
 *   otherwise 503 `unavailable` with `Retry-After`.
 */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { errorBodySchema } from '../../contract/schemas';
import { errorBody } from '../errors';
import type { ContextStore } from '../store/types';

/** The store is asked at most this often by /api/health (ms). */
export const HEALTH_CHECK_INTERVAL_MS = 1_000;
/** /api/health never waits longer than this for the store (ms). */
const HEALTH_PING_TIMEOUT_MS = 1_000;
const HEALTH_RETRY_AFTER_SECONDS = 2;

/**
 * The store's reachability, checked at most once per `intervalMs` however many probes
 * arrive: concurrent callers share one ping, later ones reuse its result until it is
 * `intervalMs` old.
 */
export class StoreReachability {
  private last: { ok: boolean; at: number } | null = null;
  private inflight: Promise<boolean> | null = null;

  constructor(
    private readonly store: Pick<ContextStore, 'ping'>,
    private readonly intervalMs = HEALTH_CHECK_INTERVAL_MS,
    private readonly timeoutMs = HEALTH_PING_TIMEOUT_MS,
  ) {}

  /** True when the store answered its most recent ping (taken now if the last is stale). */
  async reachable(): Promise<boolean> {
    if (this.last !== null && Date.now() - this.last.at < this.intervalMs) return this.last.ok;
    this.inflight ??= withTimeout(this.store.ping(), this.timeoutMs)
      .then(
        () => true,
        () => false,
      )
      .then((ok) => {
        this.last = { ok, at: Date.now() };
        this.inflight = null;
        return ok;
      });
    return this.inflight;
  }
}

export function registerHealthRoute(app: FastifyInstance, store: Pick<ContextStore, 'ping'>): void {
  const reachability = new StoreReachability(store);
  app.withTypeProvider<ZodTypeProvider>().get(
    '/api/health',
    {
      schema: {
        summary: 'Health probe: the process answers and its store is reachable (checked at most once a second)',
        tags: ['meta'],
        response: { 200: z.object({ status: z.literal('ok') }), 503: errorBodySchema },
      },
    },
    async (_request, reply) => {
      if (await reachability.reachable()) return { status: 'ok' as const };
      return reply
        .code(503)
        .header('Retry-After', String(HEALTH_RETRY_AFTER_SECONDS))
        .send(errorBody('unavailable', 'the server cannot reach its store; retry shortly'));
    },
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
