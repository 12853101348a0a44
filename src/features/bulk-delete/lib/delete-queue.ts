/**
 * The bulk-delete job: deletes a list of contexts one request at a time through the delete
 * budget, and keeps an exact account of what happened to each id.
 *
 * The API has no bulk endpoint and allows 5 deletes per second and 50 per minute per key.
 * Guarantees, each tested with fake timers:
 *
 * - **Inside the limit by design.** Every request start (first try and every retry) first
 *   acquires the `RateBudget`, a sliding log over all its windows, so no second and no
 *   minute ever holds more starts than allowed — whatever the server's window alignment.
 *   At most `concurrency` (default 2) requests are in flight; that is enough to reach
 *   the budget's pace and small enough that a stop wastes nothing.
 * - **Whatever the latency.** The server counts a request when it handles it, somewhere
 *   between our start and its answer; a slow request followed by quick ones can land
 *   more requests in one server second than our starts suggest (seen on a loaded machine:
 *   two 429s in 120 deletes). So starts are also gated by an `AnswerLog`: a request may
 *   start only while fewer than `limit` requests of the window are in flight or answered
 *   within the last window. If a server window held `limit + 1` handled requests, the
 *   last of them to start would have seen the other `limit` in flight or answered after
 *   the window's start, hence inside its look-back: impossible. It costs one request
 *   time per window (about 0.1 % at 5 ms).
 * - **Another client on the same key.** A 429 pauses the whole budget for `Retry-After`
 *   and the same id is retried, without counting as a failed attempt. A success whose
 *   `RateLimit-Remaining` is 0 while our own log still has room means someone else spends
 *   the key: the budget pauses until `RateLimit-Reset`.
 * - **Per-id outcome.** 2xx deleted; 404 gone (someone deleted it first: the goal is
 *   reached, so it is not a failure); 409 in_use (kept and listed); 401/403 forbidden and
 *   the job stops (no request after it starts; everything still open is not_attempted);
 *   5xx, 408 and network failures (including a request timeout) are retried with
 *   exponential backoff and jitter up to `maxAttempts`, then failed with the last error;
 *   other 4xx answers would answer the same again, so they fail at once.
 * - **Cancel stops at once.** No request starts after `cancel()` (or the signal); waits
 *   for the budget or for a backoff end immediately. Requests already in flight are not
 *   aborted — the server may have acted on them — but finish and are recorded.
 * - **Counts always add up**: deleted + gone + in_use + failed + forbidden + cancelled +
 *   not_attempted + remaining = total, in every snapshot.
 *
 * Framework-free: `startDeleteJob` returns `{ promise, cancel, subscribe, getSnapshot }`;
 * `subscribe`/`getSnapshot` fit React's `useSyncExternalStore` (the snapshot object only
 * changes when something changed).
 */
import { DEFAULT_RATE_LIMITS, type RateLimitRule } from '@contract/constants';
import { isApiError, type RateLimitInfo } from '@/lib/api-client';
import { RateBudget, sleep, type BudgetWindow } from '@/lib/rate-budget';

/** The final outcome of one id. */
export type DeleteOutcome =
  /** 2xx: deleted by this job. */
  | 'deleted'
  /** 404: already gone (deleted by someone else). Not a failure. */
  | 'gone'
  /** 409: in use (running / waiting_for_input); kept. */
  | 'in_use'
  /** Retries exhausted, or an answer that retrying cannot change. */
  | 'failed'
  /** 401/403 for this id; the job stopped here. */
  | 'forbidden'
  /** The job was cancelled before this id got a final answer. */
  | 'cancelled'
  /** The job stopped (forbidden) before this id got a final answer. */
  | 'not_attempted';

export const DELETE_OUTCOMES: readonly DeleteOutcome[] = [
  'deleted',
  'gone',
  'in_use',
  'failed',
  'forbidden',
  'cancelled',
  'not_attempted',
];

/** A settled id, as passed to `onSettled` and kept in the report. */
export interface DeleteItemResult {
  id: string;
  outcome: DeleteOutcome;
  /** Requests sent for this id that got an answer or failed (429s excluded). */
  attempts: number;
  /** The last error's HTTP status (0: no answer) and message, for failed/forbidden/in_use. */
  status?: number;
  code?: string;
  message?: string;
}

export type DeleteJobPhase =
  /** Sending requests. */
  | 'running'
  /** Cancelled or forbidden: no new requests, waiting for those in flight. */
  | 'stopping'
  /** Everything settled; `promise` has resolved. */
  | 'finished';

export type DeleteJobStopReason = 'cancelled' | 'forbidden';

export interface DeleteJobCounts extends Record<DeleteOutcome, number> {
  total: number;
  /** Ids with a server answer: deleted + gone + in_use + failed + forbidden. */
  done: number;
  /** Ids still to settle (queued, in flight, or waiting to retry). 0 once finished. */
  remaining: number;
  /** Requests in flight right now. */
  inFlight: number;
}

export interface DeleteJobSnapshot {
  phase: DeleteJobPhase;
  stopReason: DeleteJobStopReason | null;
  /** The answer that stopped the job (401/403), for the UI to explain. */
  stopMessage: string | null;
  counts: DeleteJobCounts;
  /** Settled ids by outcome, in the order they settled. */
  groups: Readonly<Record<DeleteOutcome, readonly string[]>>;
  /** Details of the ids that did not go as planned: failed, forbidden and in_use. */
  problems: readonly DeleteItemResult[];
  /** Ids with a request in flight. */
  inFlightIds: readonly string[];
  /** Epoch ms until which the budget holds requests (server asked to wait), or null. */
  pausedUntil: number | null;
  /** Epoch ms when the job should finish at the budget's pace, or null when unknown/finished. */
  estimatedEndAt: number | null;
  startedAt: number;
  finishedAt: number | null;
}

export type DeleteOne = (
  id: string,
  signal: AbortSignal,
  /** The job's tag (X-Delete-Job): every delete of one job carries the same one. */
  job?: string,
) => Promise<void | { rateLimit?: RateLimitInfo | null }>;

export interface DeleteJobOptions {
  ids: readonly string[];
  /**
   * Deletes one context. Throws `ApiError` on a non-2xx answer. In production: the DELETE
   * call *without* `rateClass` (this job acquires the budget itself; acquiring twice would
   * halve the rate), returning the `ApiResponse` so that its `rateLimit` is honoured.
   * `signal` aborts only when the request times out.
   */
  deleteOne: DeleteOne;
  /** In production the shared `rateBudget('delete')`. */
  budget: RateBudget;
  /**
   * The budget's limits (from the session's `rate_limits.delete`; null: unlimited), used
   * only to estimate the end time. Default: the seeds' figures.
   */
  limits?: RateLimitRule | null;
  /** Requests in flight at most. Default 2. */
  concurrency?: number;
  /** Tries per id for transient failures (5xx, network). Default 4. */
  maxAttempts?: number;
  /** First backoff; doubles per attempt, with jitter. Default 500 ms. */
  backoffBaseMs?: number;
  /** Longest backoff. Default 10 s. */
  backoffMaxMs?: number;
  /** A request taking longer is aborted and counts as a transient failure. Default 30 s. */
  requestTimeoutMs?: number;
  /** 429s in a row for one id before it is given up as failed. Default 10. */
  maxRateLimitedRetries?: number;
  /** Cancels the job, like `cancel()`. */
  signal?: AbortSignal;
  /** Called once per id when it settles (e.g. to drop deleted ids from the caches at once). */
  onSettled?: (result: DeleteItemResult) => void;
  /** Random source in [0, 1) for the jitter. */
  random?: () => number;
  now?: () => number;
}

export interface DeleteJob {
  /** Resolves with the final snapshot once everything has settled. Never rejects. */
  promise: Promise<DeleteJobSnapshot>;
  /** Stops the job: no further request starts; those in flight finish and are recorded. */
  cancel: () => void;
  subscribe: (listener: () => void) => () => void;
  getSnapshot: () => DeleteJobSnapshot;
}

/** Budget windows of a rule, as `rate-limits.ts` builds them. */
export const budgetWindows = (rule: RateLimitRule | null): BudgetWindow[] =>
  rule
    ? [
        { limit: rule.perSecond, windowMs: 1000 },
        { limit: rule.perMinute, windowMs: 60_000 },
      ]
    : [];

type Classified =
  | { kind: 'settle'; outcome: 'gone' | 'in_use' | 'failed'; error: ErrorInfo }
  | { kind: 'stop'; error: ErrorInfo }
  | { kind: 'rate_limited'; error: ErrorInfo; retryAfterMs: number | undefined }
  | { kind: 'transient'; error: ErrorInfo; retryAfterMs: number | undefined };

interface ErrorInfo {
  status: number;
  code?: string;
  message: string;
}

function classify(error: unknown, timedOut: boolean): Classified {
  if (!isApiError(error)) {
    const message = timedOut ? 'The request timed out.' : error instanceof Error ? error.message : String(error);
    return { kind: 'transient', error: { status: 0, code: 'network_error', message }, retryAfterMs: undefined };
  }
  const info: ErrorInfo = { status: error.status, code: error.code, message: error.message };
  const retryAfterMs = error.retryAfterSeconds === undefined ? undefined : error.retryAfterSeconds * 1000;
  const { status } = error;
  if (status === 404) return { kind: 'settle', outcome: 'gone', error: info };
  if (status === 409) return { kind: 'settle', outcome: 'in_use', error: info };
  if (status === 401 || status === 403) return { kind: 'stop', error: info };
  if (status === 429) return { kind: 'rate_limited', error: info, retryAfterMs };
  if (status === 0 || status === 408 || status >= 500) return { kind: 'transient', error: info, retryAfterMs };
  return { kind: 'settle', outcome: 'failed', error: info };
}

/** At most this many requests are simulated for the estimate; the rest are extrapolated. */
const ESTIMATE_STEPS = 200;
/** Margin the budget adds when a window is full (RateBudget's default). */
const BUDGET_MARGIN_MS = 50;
/** Without a Retry-After, a 429 pauses the budget this long. */
const DEFAULT_RATE_LIMIT_PAUSE_MS = 1000;

/**
 * When our requests were answered (in flight: not yet, so counted as "now and later"),
 * for the latency-proof start gate described at the top of this file.
 */
class AnswerLog {
  private readonly answered: number[] = [];
  private inFlight = 0;
  private waiters: Array<() => void> = [];
  private readonly windows: BudgetWindow[];
  private readonly marginMs: number;
  private readonly now: () => number;

  constructor(windows: BudgetWindow[], marginMs: number, now: () => number) {
    this.windows = windows;
    this.marginMs = marginMs;
    this.now = now;
  }

  /** ms until a request may start; Infinity: only an answer can free a slot. */
  delayMs(at: number): number {
    let wait = 0;
    for (const { limit, windowMs } of this.windows) {
      const recent = this.answered.filter((t) => t > at - windowMs);
      const excess = recent.length + this.inFlight - limit;
      if (excess < 0) continue;
      // The answer whose leaving the window brings the count under the limit.
      const freeing = recent[excess];
      wait = Math.max(wait, freeing === undefined ? Number.POSITIVE_INFINITY : freeing + windowMs - at + this.marginMs);
    }
    return wait;
  }

  async wait(signal: AbortSignal): Promise<void> {
    for (;;) {
      signal.throwIfAborted();
      const delay = this.delayMs(this.now());
      if (delay <= 0) return;
      if (Number.isFinite(delay)) {
        await sleep(delay, signal);
        continue;
      }
      await new Promise<void>((resolve, reject) => {
        const onAbort = () => reject(signal.reason);
        signal.addEventListener('abort', onAbort, { once: true });
        this.waiters.push(() => {
          signal.removeEventListener('abort', onAbort);
          resolve();
        });
      });
    }
  }

  begin(): void {
    this.inFlight += 1;
  }

  /** The request was answered (or gave up) now; `counted` false: it never went out. */
  end(counted = true): void {
    this.inFlight = Math.max(0, this.inFlight - 1);
    if (counted) {
      const at = this.now();
      this.answered.push(at);
      const longest = Math.max(0, ...this.windows.map((w) => w.windowMs));
      while (this.answered.length > 0 && (this.answered[0] as number) <= at - longest) this.answered.shift();
    }
    for (const wake of this.waiters.splice(0)) wake();
  }
}

export function startDeleteJob(options: DeleteJobOptions): DeleteJob {
  const {
    budget,
    deleteOne,
    concurrency = 2,
    maxAttempts = 4,
    backoffBaseMs = 500,
    backoffMaxMs = 10_000,
    requestTimeoutMs = 30_000,
    maxRateLimitedRetries = 10,
    random = Math.random,
    now = () => Date.now(),
  } = options;
  const windows = budgetWindows(options.limits === undefined ? DEFAULT_RATE_LIMITS.delete : options.limits);
  const longestWindowMs = Math.max(0, ...windows.map((w) => w.windowMs));
  const answers = new AnswerLog(windows, BUDGET_MARGIN_MS, now);
  // Starts go through the answer log and the budget one worker at a time, so that two
  // workers never both pass the log's check for the same free slot.
  let startTurn: Promise<void> = Promise.resolve();
  const reserveStart = (): Promise<void> => {
    const turn = startTurn.then(async () => {
      await answers.wait(stopController.signal);
      await budget.acquire(stopController.signal);
      answers.begin();
    });
    startTurn = turn.catch(() => undefined);
    return turn;
  };
  // Duplicates would be deleted once and then answer 404: settle each id once.
  const ids = [...new Set(options.ids)];

  // Cancels every wait (budget, backoff); never passed to a request.
  const stopController = new AbortController();
  let stopReason: DeleteJobStopReason | null = null;
  let stopMessage: string | null = null;
  let finishedAt: number | null = null;
  const startedAt = now();

  let next = 0; // index of the next id no worker has taken yet
  const inFlight = new Set<string>();
  const requestStarts: number[] = []; // our own starts, for the estimate
  let latencyTotal = 0;
  let latencyCount = 0;
  const groups: Record<DeleteOutcome, string[]> = {
    deleted: [],
    gone: [],
    in_use: [],
    failed: [],
    forbidden: [],
    cancelled: [],
    not_attempted: [],
  };
  const problems: DeleteItemResult[] = [];
  const listeners = new Set<() => void>();
  let snapshot = buildSnapshot();

  function buildSnapshot(): DeleteJobSnapshot {
    const settled = DELETE_OUTCOMES.reduce((sum, outcome) => sum + groups[outcome].length, 0);
    const done = groups.deleted.length + groups.gone.length + groups.in_use.length + groups.failed.length + groups.forbidden.length;
    const remaining = ids.length - settled;
    const pausedUntil = budget.pausedUntilMs || null;
    return {
      phase: finishedAt !== null ? 'finished' : stopReason !== null ? 'stopping' : 'running',
      stopReason,
      stopMessage,
      counts: {
        total: ids.length,
        done,
        remaining,
        inFlight: inFlight.size,
        ...(Object.fromEntries(DELETE_OUTCOMES.map((outcome) => [outcome, groups[outcome].length])) as Record<DeleteOutcome, number>),
      },
      groups: Object.fromEntries(DELETE_OUTCOMES.map((outcome) => [outcome, [...groups[outcome]]])) as Record<DeleteOutcome, string[]>,
      problems: [...problems],
      inFlightIds: [...inFlight],
      pausedUntil,
      estimatedEndAt: finishedAt !== null || stopReason !== null ? null : estimateEnd(remaining),
      startedAt,
      finishedAt,
    };
  }

  /**
   * When the job should end at the budget's pace: replays our recent starts into a private
   * RateBudget with the same windows and simulates the remaining starts (bounded by the
   * concurrency and the observed request time). Ignores retries and other callers.
   */
  function estimateEnd(remaining: number): number | null {
    const at = now();
    if (remaining === 0) return at;
    const latency = latencyCount > 0 ? latencyTotal / latencyCount : 0;
    const simulated = new RateBudget({ windows, marginMs: BUDGET_MARGIN_MS, now });
    for (const start of requestStarts) if (start > at - longestWindowMs) simulated.record(start);
    // When each request slot frees up: in-flight requests end after the usual latency.
    const slots = Array.from({ length: Math.max(1, concurrency) }, (_, index) => (index < inFlight.size ? at + latency : at));
    let clock = Math.max(at, budget.pausedUntilMs);
    let end = clock;
    const toStart = remaining - inFlight.size;
    const steps = Math.min(toStart, ESTIMATE_STEPS);
    for (let step = 0; step < steps; step += 1) {
      slots.sort((a, b) => a - b);
      clock = Math.max(clock, slots[0] as number);
      clock += simulated.delayMs(clock);
      simulated.record(clock);
      slots[0] = clock + latency;
      end = Math.max(end, clock + latency);
    }
    if (toStart > steps) {
      // Beyond the simulation: the sustained pace of the tightest window.
      const interval = Math.max(latency / Math.max(1, concurrency), ...windows.map((w) => w.windowMs / w.limit));
      end += (toStart - steps) * interval;
    }
    return Math.max(end, ...slots);
  }

  function emit(): void {
    snapshot = buildSnapshot();
    for (const listener of [...listeners]) {
      try {
        listener();
      } catch (error) {
        // Surface it, but never let a subscriber break the job's account.
        queueMicrotask(() => {
          throw error;
        });
      }
    }
  }

  function settle(result: DeleteItemResult): void {
    groups[result.outcome].push(result.id);
    if (result.outcome === 'failed' || result.outcome === 'forbidden' || result.outcome === 'in_use') problems.push(result);
    try {
      options.onSettled?.(result);
    } catch {
      // A failing observer must not break the account of the job.
    }
  }

  /** The outcome of an id left open when the job stops. */
  const unfinished = (): DeleteOutcome => (stopReason === 'forbidden' ? 'not_attempted' : 'cancelled');

  function stop(reason: DeleteJobStopReason, message: string | null): void {
    if (stopReason !== null) return;
    stopReason = reason;
    stopMessage = message;
    stopController.abort(new DOMException(reason === 'cancelled' ? 'Delete job cancelled' : 'Delete job stopped', 'AbortError'));
    emit();
  }

  const cancel = (): void => stop('cancelled', null);
  if (options.signal) {
    if (options.signal.aborted) cancel();
    else options.signal.addEventListener('abort', cancel, { once: true });
  }

  const backoffMs = (attempt: number): number => {
    const full = Math.min(backoffMaxMs, backoffBaseMs * 2 ** (attempt - 1));
    // "Equal jitter": at least half the backoff, so retries never come back at once, and
    // spread over the other half, so that several clients do not retry in step.
    return full / 2 + random() * (full / 2);
  };

  /** Sends one request with a timeout; resolves to the thrown error or null. */
  async function send(id: string): Promise<{ error: unknown; timedOut: boolean }> {
    const controller = new AbortController();
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      controller.abort(new DOMException('The request timed out', 'TimeoutError'));
    }, requestTimeoutMs);
    const started = now();
    requestStarts.push(started);
    while (requestStarts.length > 0 && (requestStarts[0] as number) <= started - longestWindowMs) requestStarts.shift();
    try {
      const response = await deleteOne(id, controller.signal);
      const rateLimit = response ? response.rateLimit : null;
      if (rateLimit && rateLimit.remaining <= 0 && budget.delayMs() === 0) {
        // The server's window is spent though ours is not: another client uses the key.
        budget.pauseUntil(now() + rateLimit.resetSeconds * 1000);
      }
      return { error: null, timedOut };
    } catch (error) {
      return { error, timedOut };
    } finally {
      clearTimeout(timer);
      latencyTotal += now() - started;
      latencyCount += 1;
    }
  }

  /** Takes one id to a final outcome (or leaves it open when the job stops). */
  async function processId(id: string): Promise<void> {
    let attempts = 0;
    let rateLimited = 0;
    let last: ErrorInfo | undefined;
    const open = (): void => {
      settle({ id, outcome: unfinished(), attempts, ...last });
      emit();
    };
    for (;;) {
      try {
        await reserveStart();
      } catch {
        open();
        return;
      }
      if (stopReason !== null) {
        answers.end(false);
        open();
        return;
      }
      inFlight.add(id);
      emit();
      const { error, timedOut } = await send(id);
      answers.end();
      inFlight.delete(id);
      if (error === null) {
        settle({ id, outcome: 'deleted', attempts: attempts + 1 });
        emit();
        return;
      }
      const result = classify(error, timedOut);
      last = result.error;
      switch (result.kind) {
        case 'settle':
          settle({ id, outcome: result.outcome, attempts: attempts + 1, ...result.error });
          emit();
          return;
        case 'stop':
          settle({ id, outcome: 'forbidden', attempts: attempts + 1, ...result.error });
          stop('forbidden', result.error.message); // emits
          return;
        case 'rate_limited':
          // Not this id's fault: pause everyone, then retry it without counting an attempt.
          rateLimited += 1;
          if (rateLimited > maxRateLimitedRetries) {
            settle({ id, outcome: 'failed', attempts, ...result.error });
            emit();
            return;
          }
          budget.pauseUntil(now() + (result.retryAfterMs ?? DEFAULT_RATE_LIMIT_PAUSE_MS));
          if (stopReason !== null) {
            open();
            return;
          }
          emit();
          continue;
        case 'transient':
          attempts += 1;
          if (attempts >= maxAttempts) {
            settle({ id, outcome: 'failed', attempts, ...result.error });
            emit();
            return;
          }
          emit();
          try {
            await sleep(Math.max(backoffMs(attempts), result.retryAfterMs ?? 0), stopController.signal);
          } catch {
            open();
            return;
          }
          continue;
      }
    }
  }

  async function worker(): Promise<void> {
    while (stopReason === null && next < ids.length) {
      const id = ids[next] as string;
      next += 1;
      await processId(id);
    }
  }

  async function run(): Promise<DeleteJobSnapshot> {
    await Promise.all(Array.from({ length: Math.max(1, concurrency) }, () => worker()));
    // Ids no worker took (the job stopped first).
    for (; next < ids.length; next += 1) settle({ id: ids[next] as string, outcome: unfinished(), attempts: 0 });
    options.signal?.removeEventListener('abort', cancel);
    finishedAt = now();
    emit();
    return snapshot;
  }

  const promise = run();

  return {
    promise,
    cancel,
    subscribe(listener) {
      listeners.add(listener);
      return () => {
        listeners.delete(listener);
      };
    },
    getSnapshot: () => snapshot,
  };
}
