import { DEFAULT_RATE_LIMITS } from '@contract/constants';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ApiError, type RateLimitInfo } from '@/lib/api-client';
import { RateBudget } from '@/lib/rate-budget';
import {
  budgetWindows,
  DELETE_OUTCOMES,
  startDeleteJob,
  type DeleteItemResult,
  type DeleteJob,
  type DeleteJobOptions,
  type DeleteJobSnapshot,
} from './delete-queue';

const T0 = 1_000_000;
const deleteBudget = () => new RateBudget({ windows: budgetWindows(DEFAULT_RATE_LIMITS.delete) });
const idList = (n: number) => Array.from({ length: n }, (_, i) => `ctx_${String(i + 1).padStart(3, '0')}`);

const apiError = (status: number, code: ConstructorParameters<typeof ApiError>[0]['code'], retryAfterSeconds?: number) =>
  new ApiError({ status, code, message: `server said ${status}`, retryAfterSeconds });

type Answer = 'ok' | ApiError | Error | { rateLimit: RateLimitInfo };

/**
 * A fake server: records every request start (time and id) and answers after `latencyMs`
 * with what `answer(id, nth call for this id)` says.
 */
function fakeServer(answer: (id: string, call: number) => Answer = () => 'ok', latencyMs = 100) {
  const starts: { id: string; at: number }[] = [];
  const calls = new Map<string, number>();
  const deleteOne: DeleteJobOptions['deleteOne'] = (id) => {
    starts.push({ id, at: Date.now() });
    const call = (calls.get(id) ?? 0) + 1;
    calls.set(id, call);
    return new Promise((resolve, reject) => {
      setTimeout(() => {
        const result = answer(id, call);
        if (result === 'ok') resolve();
        else if (result instanceof Error) reject(result);
        else resolve(result);
      }, latencyMs);
    });
  };
  return { deleteOne, starts, calls };
}

/** Checks the invariants on every snapshot the job publishes. */
function watch(job: DeleteJob) {
  const snapshots: DeleteJobSnapshot[] = [];
  const check = () => {
    const s = job.getSnapshot();
    expect(job.getSnapshot()).toBe(s); // stable between changes (useSyncExternalStore)
    const settled = DELETE_OUTCOMES.reduce((sum, outcome) => sum + s.counts[outcome], 0);
    expect(settled + s.counts.remaining).toBe(s.counts.total);
    expect(s.counts.done).toBe(s.counts.deleted + s.counts.gone + s.counts.in_use + s.counts.failed + s.counts.forbidden);
    expect(s.counts.inFlight).toBeLessThanOrEqual(s.counts.remaining);
    expect(s.counts.inFlight).toBe(s.inFlightIds.length);
    for (const outcome of DELETE_OUTCOMES) expect(s.groups[outcome]).toHaveLength(s.counts[outcome]);
    snapshots.push(s);
  };
  check();
  job.subscribe(check);
  return snapshots;
}

function expectWithinLimits(starts: number[]) {
  for (const t of starts) {
    expect(starts.filter((s) => s >= t && s < t + 1000).length).toBeLessThanOrEqual(5);
    expect(starts.filter((s) => s >= t && s < t + 60_000).length).toBeLessThanOrEqual(50);
  }
}

describe('startDeleteJob', () => {
  beforeEach(() => vi.useFakeTimers({ now: T0 }));
  afterEach(() => vi.useRealTimers());

  it('deletes 120 ids within 5/s and 50/min, as fast as those limits allow', async () => {
    const server = fakeServer();
    const job = startDeleteJob({ ids: idList(120), deleteOne: server.deleteOne, budget: deleteBudget() });
    const snapshots = watch(job);
    // The estimate at the start: about two minutes and three seconds (the ideal).
    const eta = (job.getSnapshot().estimatedEndAt as number) - T0;
    expect(eta).toBeGreaterThan(120_000);
    expect(eta).toBeLessThan(127_000);

    await vi.advanceTimersByTimeAsync(200_000);
    const final = await job.promise;

    const starts = server.starts.map((s) => s.at - T0);
    expect(starts).toHaveLength(120);
    expect(server.starts.map((s) => s.id)).toEqual(idList(120)); // in order, once each
    expectWithinLimits(starts);
    // The ideal: 50 in the first 10 s, the 51st once the first leaves the minute, the
    // 101st after two minutes, then 19 more at 5/s (≥ 123 s for the 120th). Each second's
    // batch waits for the answers (100 ms here), not the starts, of the one before — the
    // latency-proof gate — so the first 50 take a little over 10 s; the minute window,
    // which decides the total, loses only one answer time.
    expect(starts[49]).toBeLessThan(11_000);
    expect(starts[50]).toBeGreaterThanOrEqual(60_000);
    expect(starts[50]).toBeLessThan(61_000);
    expect(starts[119]).toBeGreaterThanOrEqual(123_000);
    expect(starts[119]).toBeLessThan(125_000);
    // At most 2 requests in flight at any time.
    expect(Math.max(...snapshots.map((s) => s.counts.inFlight))).toBeLessThanOrEqual(2);

    expect(final.phase).toBe('finished');
    expect(final.counts).toMatchObject({ total: 120, done: 120, deleted: 120, remaining: 0, failed: 0 });
    expect(final.groups.deleted).toEqual(idList(120));
    expect((final.finishedAt as number) - T0).toBeLessThan(125_000);
    expect(final.estimatedEndAt).toBeNull();
    expect(job.getSnapshot()).toBe(final);
  });

  it('stays inside the limits where the server counts, however the latency varies', async () => {
    // The server counts a request when it handles it: here, just before answering. Every
    // 7th request is slow (900 ms), so quick ones overtake it; counting starts alone
    // would let a server second hold 6 (the slow one plus 5 quick ones).
    const handled: number[] = [];
    let n = 0;
    const deleteOne: DeleteJobOptions['deleteOne'] = () => {
      const latency = n++ % 7 === 0 ? 900 : 5;
      return new Promise((resolve) =>
        setTimeout(() => {
          handled.push(Date.now() - T0);
          resolve();
        }, latency),
      );
    };
    const job = startDeleteJob({ ids: idList(60), deleteOne, budget: deleteBudget() });
    await vi.advanceTimersByTimeAsync(130_000);
    const final = await job.promise;
    expect(final.counts.deleted).toBe(60);
    expect(handled).toHaveLength(60);
    expectWithinLimits(handled);
  });

  it('on 429 pauses every request for Retry-After and retries the same id without counting an attempt', async () => {
    const server = fakeServer((id, call) => (id === 'ctx_003' && call === 1 ? apiError(429, 'rate_limited', 3) : 'ok'));
    const settled: DeleteItemResult[] = [];
    const job = startDeleteJob({
      ids: idList(8),
      deleteOne: server.deleteOne,
      budget: deleteBudget(),
      maxAttempts: 1, // a counted attempt would fail the id at once
      onSettled: (r) => settled.push(r),
    });
    watch(job);
    await vi.advanceTimersByTimeAsync(300);
    // ctx_003 started at 100 ms and got its 429 at 200 ms; ctx_004 had started at 100 ms.
    expect(job.getSnapshot().pausedUntil).toBe(T0 + 200 + 3000);
    await vi.advanceTimersByTimeAsync(20_000);
    const final = await job.promise;

    const answeredAt = T0 + 200;
    const during = server.starts.filter((s) => s.at > answeredAt && s.at < answeredAt + 3000);
    expect(during).toEqual([]);
    const retry = server.starts.filter((s) => s.id === 'ctx_003');
    expect(retry).toHaveLength(2);
    expect((retry[1] as { at: number }).at).toBeGreaterThanOrEqual(answeredAt + 3000);
    expect(final.counts).toMatchObject({ deleted: 8, failed: 0 });
    expect(settled.find((r) => r.id === 'ctx_003')).toEqual({ id: 'ctx_003', outcome: 'deleted', attempts: 1 });
    expect(settled.map((r) => r.id).sort()).toEqual(idList(8));
    expectWithinLimits(server.starts.map((s) => s.at));
  });

  it('gives up an id that is rate-limited again and again', async () => {
    const server = fakeServer((id) => (id === 'ctx_001' ? apiError(429, 'rate_limited', 1) : 'ok'));
    const job = startDeleteJob({ ids: idList(2), deleteOne: server.deleteOne, budget: deleteBudget(), maxRateLimitedRetries: 2 });
    await vi.advanceTimersByTimeAsync(10_000);
    const final = await job.promise;
    expect(server.calls.get('ctx_001')).toBe(3);
    expect(final.groups.failed).toEqual(['ctx_001']);
    expect(final.problems[0]).toMatchObject({ id: 'ctx_001', outcome: 'failed', status: 429, attempts: 0 });
  });

  it('cancel stops further requests at once; in-flight ones finish and are recorded', async () => {
    const server = fakeServer(() => 'ok', 300);
    const job = startDeleteJob({ ids: idList(20), deleteOne: server.deleteOne, budget: deleteBudget() });
    const snapshots = watch(job);
    await vi.advanceTimersByTimeAsync(400); // 2 answered at 300 ms, 2 more in flight
    expect(server.starts).toHaveLength(4);
    job.cancel();
    expect(job.getSnapshot().phase).toBe('stopping');
    expect(job.getSnapshot().stopReason).toBe('cancelled');
    await vi.advanceTimersByTimeAsync(10_000);
    const final = await job.promise;
    expect(server.starts).toHaveLength(4); // nothing started after cancel
    expect(final.phase).toBe('finished');
    expect(final.groups.deleted).toEqual(idList(4)); // the two in flight were recorded
    expect(final.groups.cancelled).toEqual(idList(20).slice(4));
    expect(final.counts).toMatchObject({ done: 4, cancelled: 16, remaining: 0, not_attempted: 0 });
    expect(snapshots.map((s) => s.phase)).toContain('stopping');
    job.cancel(); // harmless afterwards
    expect(job.getSnapshot()).toBe(final);
  });

  it('cancels through an AbortSignal, also while an id waits for its backoff', async () => {
    const controller = new AbortController();
    const server = fakeServer((id) => (id === 'ctx_001' ? apiError(503, 'unexpected_response') : 'ok'));
    const job = startDeleteJob({
      ids: idList(3),
      deleteOne: server.deleteOne,
      budget: deleteBudget(),
      concurrency: 1,
      backoffBaseMs: 5000,
      signal: controller.signal,
    });
    await vi.advanceTimersByTimeAsync(200); // ctx_001 failed once, now in backoff
    controller.abort();
    const final = await job.promise; // resolves without waiting out the backoff
    expect(Date.now() - T0).toBe(200);
    expect(server.starts).toHaveLength(1);
    expect(final.groups.cancelled).toEqual(idList(3));
    expect(final.counts.failed).toBe(0);
  });

  it('does not start at all with an aborted signal', async () => {
    const server = fakeServer();
    const controller = new AbortController();
    controller.abort();
    const job = startDeleteJob({ ids: idList(3), deleteOne: server.deleteOne, budget: deleteBudget(), signal: controller.signal });
    const final = await job.promise;
    expect(server.starts).toEqual([]);
    expect(final.counts).toMatchObject({ cancelled: 3, done: 0 });
  });

  it('classifies 404 as gone, 409 as in use (kept and listed), and stops on 403', async () => {
    const answers: Record<string, Answer> = {
      ctx_002: apiError(404, 'not_found'),
      ctx_003: apiError(409, 'in_use'),
      ctx_005: apiError(403, 'forbidden'),
    };
    const server = fakeServer((id) => answers[id] ?? 'ok');
    const job = startDeleteJob({ ids: idList(9), deleteOne: server.deleteOne, budget: deleteBudget(), concurrency: 1 });
    watch(job);
    await vi.advanceTimersByTimeAsync(10_000);
    const final = await job.promise;
    expect(server.starts.map((s) => s.id)).toEqual(idList(5)); // nothing after the 403
    expect(final.groups).toEqual({
      deleted: ['ctx_001', 'ctx_004'],
      gone: ['ctx_002'],
      in_use: ['ctx_003'],
      failed: [],
      forbidden: ['ctx_005'],
      cancelled: [],
      not_attempted: ['ctx_006', 'ctx_007', 'ctx_008', 'ctx_009'],
    });
    expect(final.stopReason).toBe('forbidden');
    expect(final.stopMessage).toBe('server said 403');
    expect(final.problems).toEqual([
      { id: 'ctx_003', outcome: 'in_use', attempts: 1, status: 409, code: 'in_use', message: 'server said 409' },
      { id: 'ctx_005', outcome: 'forbidden', attempts: 1, status: 403, code: 'forbidden', message: 'server said 403' },
    ]);
    expect(final.counts).toMatchObject({ done: 5, deleted: 2, gone: 1, in_use: 1, forbidden: 1, not_attempted: 4, failed: 0 });
  });

  it('on 403 lets the request in flight finish and records it', async () => {
    const server = fakeServer((id) => (id === 'ctx_001' ? apiError(403, 'forbidden') : 'ok'), 100);
    const slow: DeleteJobOptions['deleteOne'] = (id, signal) =>
      id === 'ctx_002' ? new Promise((resolve) => setTimeout(resolve, 500)) : server.deleteOne(id, signal);
    const job = startDeleteJob({ ids: idList(6), deleteOne: slow, budget: deleteBudget() });
    await vi.advanceTimersByTimeAsync(1000);
    const final = await job.promise;
    expect(final.groups.forbidden).toEqual(['ctx_001']);
    expect(final.groups.deleted).toEqual(['ctx_002']);
    expect(final.groups.not_attempted).toEqual(idList(6).slice(2));
    expect(server.starts.map((s) => s.id)).toEqual(['ctx_001']);
  });

  it('retries a transient 500 with exponential backoff, then succeeds', async () => {
    const server = fakeServer((id, call) => (id === 'ctx_001' && call <= 2 ? apiError(500, 'internal_error') : 'ok'));
    const job = startDeleteJob({
      ids: ['ctx_001'],
      deleteOne: server.deleteOne,
      budget: deleteBudget(),
      backoffBaseMs: 1000,
      random: () => 0.5,
    });
    await vi.advanceTimersByTimeAsync(10_000);
    const final = await job.promise;
    const at = server.starts.map((s) => s.at - T0);
    // Answers come 100 ms after each start; equal jitter at 0.5: 750 ms, then 1500 ms.
    expect(at).toEqual([0, 850, 2450]);
    expect(final.groups.deleted).toEqual(['ctx_001']);
    expect(final.problems).toEqual([]);
  });

  it('reports a persistent failure after maxAttempts with the last error; network errors are retried too', async () => {
    const server = fakeServer((id, call) => {
      if (id === 'ctx_001') return apiError(500, 'internal_error');
      if (id === 'ctx_002') return call === 1 ? new TypeError('Failed to fetch') : 'ok';
      if (id === 'ctx_003') return apiError(0, 'network_error');
      return apiError(400, 'invalid_query'); // answering the same again: not retried
    });
    const job = startDeleteJob({ ids: idList(4), deleteOne: server.deleteOne, budget: deleteBudget(), maxAttempts: 3 });
    watch(job);
    await vi.advanceTimersByTimeAsync(60_000);
    const final = await job.promise;
    expect(server.calls.get('ctx_001')).toBe(3);
    expect(server.calls.get('ctx_002')).toBe(2);
    expect(server.calls.get('ctx_003')).toBe(3);
    expect(server.calls.get('ctx_004')).toBe(1);
    expect(final.groups.deleted).toEqual(['ctx_002']);
    expect([...final.groups.failed].sort()).toEqual(['ctx_001', 'ctx_003', 'ctx_004']);
    expect(final.problems.find((p) => p.id === 'ctx_001')).toEqual({
      id: 'ctx_001',
      outcome: 'failed',
      attempts: 3,
      status: 500,
      code: 'internal_error',
      message: 'server said 500',
    });
    expect(final.problems.find((p) => p.id === 'ctx_004')).toMatchObject({ attempts: 1, status: 400 });
  });

  it('aborts a request that takes too long and retries it', async () => {
    let calls = 0;
    const deleteOne: DeleteJobOptions['deleteOne'] = (_id, signal) => {
      calls += 1;
      if (calls > 1) return Promise.resolve();
      return new Promise((_resolve, reject) => signal.addEventListener('abort', () => reject(signal.reason)));
    };
    const job = startDeleteJob({ ids: ['ctx_001'], deleteOne, budget: deleteBudget(), requestTimeoutMs: 2000 });
    await vi.advanceTimersByTimeAsync(10_000);
    const final = await job.promise;
    expect(calls).toBe(2);
    expect(final.groups.deleted).toEqual(['ctx_001']);
  });

  it('pauses for RateLimit-Reset when the server window is spent by another client', async () => {
    const server = fakeServer((id) => (id === 'ctx_001' ? { rateLimit: { limit: 50, remaining: 0, resetSeconds: 20 } } : 'ok'));
    const job = startDeleteJob({ ids: idList(3), deleteOne: server.deleteOne, budget: deleteBudget(), concurrency: 1 });
    await vi.advanceTimersByTimeAsync(30_000);
    await job.promise;
    const at = server.starts.map((s) => s.at - T0);
    expect(at[0]).toBe(0);
    expect(at[1]).toBeGreaterThanOrEqual(100 + 20_000);
  });

  it('settles each id once, even when listed twice, and handles an empty list', async () => {
    const server = fakeServer();
    const settled: string[] = [];
    const job = startDeleteJob({
      ids: ['a', 'b', 'a'],
      deleteOne: server.deleteOne,
      budget: deleteBudget(),
      onSettled: (r) => settled.push(r.id),
    });
    await vi.advanceTimersByTimeAsync(1000);
    expect((await job.promise).counts.total).toBe(2);
    expect(settled).toEqual(['a', 'b']);
    const empty = startDeleteJob({ ids: [], deleteOne: server.deleteOne, budget: deleteBudget() });
    expect((await empty.promise).counts).toMatchObject({ total: 0, remaining: 0, done: 0 });
  });

  it('keeps every snapshot consistent through a mixed run, and unsubscribes', async () => {
    const server = fakeServer((id, call) => {
      const n = Number(id.slice(4));
      if (n % 7 === 0) return apiError(409, 'in_use');
      if (n % 5 === 0) return apiError(404, 'not_found');
      if (n % 11 === 0 && call === 1) return apiError(429, 'rate_limited', 2);
      if (n % 3 === 0 && call < 3) return apiError(502, 'unexpected_response');
      if (n === 13) return apiError(500, 'internal_error');
      return 'ok';
    });
    const job = startDeleteJob({ ids: idList(60), deleteOne: server.deleteOne, budget: deleteBudget(), maxAttempts: 3 });
    const snapshots = watch(job);
    let extra = 0;
    const unsubscribe = job.subscribe(() => (extra += 1));
    unsubscribe();
    await vi.advanceTimersByTimeAsync(200_000);
    const final = await job.promise;
    expect(extra).toBe(0);
    expect(snapshots.length).toBeGreaterThan(100);
    expect(final.counts.remaining).toBe(0);
    expect(final.counts.done).toBe(60);
    expect(final.groups.failed).toEqual(['ctx_013']);
    expect(final.counts.in_use).toBe(8);
    expectWithinLimits(server.starts.map((s) => s.at));
    // An estimate while running, none once stopped or finished.
    for (const s of snapshots) expect(s.estimatedEndAt === null).toBe(s.phase !== 'running');
  });
});
