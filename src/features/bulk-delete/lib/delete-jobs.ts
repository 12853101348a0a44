/**
 * The tab's bulk-delete job, outside React: it must keep going when the dialog closes, when
 * the drawer closes, and whatever the screen re-renders. One job at a time per tab — the
 * delete budget is per key, so a second job would only halve the pace of both.
 *
 * The store holds the running (or last finished) job's record and whether its progress
 * dialog is open; the header indicator and the dialog read it with useSyncExternalStore.
 * While a job runs, leaving the page asks first (beforeunload).
 *
 * Every id that stops existing (deleted, or already gone) is announced at once to the
 * removal listeners (the screen: drop it from the selection, close the drawer showing
 * it) and then to the job's `removeFromCaches` (the rows vanish from every loaded page).
 * Listeners run first so that the drawer is closed in the same render in which its
 * context leaves the cache, and never refetches a context that no longer exists.
 */
import type { RateLimitRule } from '@contract/constants';
import type { RateBudget } from '@/lib/rate-budget';
import { startDeleteJob, type DeleteItemResult, type DeleteJob, type DeleteJobSnapshot, type DeleteOne } from './delete-queue';

/** Where a delete was asked for: the selection toolbar or the drawer of one context. */
export type DeleteOrigin = 'selection' | 'drawer';

export interface StartDeleteOptions {
  ids: readonly string[];
  origin: DeleteOrigin;
  /** The session's delete limits (for the time estimate); null: unlimited. */
  limits: RateLimitRule | null;
  /** Drops ids from the query caches (the contexts feature's removeContextsFromCaches). */
  removeFromCaches: (ids: readonly string[]) => void;
}

export interface DeleteJobRecord {
  /** Increases with every job: a new key means a new job (React keys, effects). */
  key: number;
  origin: DeleteOrigin;
  ids: readonly string[];
  snapshot: DeleteJobSnapshot;
  /** A retry of an earlier job's failed ids. */
  isRetry: boolean;
  /** Sent with each of its deletes (X-Delete-Job); names the job in "Recently deleted". */
  tag: string;
}

export interface DeleteJobsState {
  record: DeleteJobRecord | null;
  /** The progress / report dialog is showing. */
  progressOpen: boolean;
}

export interface DeleteJobsDeps {
  deleteOne: DeleteOne;
  /** The tab's delete budget, read at each start (the session may have resized it). */
  budget: () => RateBudget;
  /** Extra options for the queue (tests: fast backoff). */
  queueOptions?: { maxAttempts?: number; backoffBaseMs?: number; backoffMaxMs?: number; random?: () => number };
  /** Where to ask before leaving the page; null: nowhere (tests of the store). */
  window?: Pick<Window, 'addEventListener' | 'removeEventListener'> | null;
}

export type RemovalListener = (ids: readonly string[]) => void;

const isRunning = (record: DeleteJobRecord | null): boolean => record !== null && record.snapshot.phase !== 'finished';

export class DeleteJobsStore {
  private state: DeleteJobsState = { record: null, progressOpen: false };
  private readonly listeners = new Set<() => void>();
  private readonly removalListeners = new Set<RemovalListener>();
  private job: DeleteJob | null = null;
  private unsubscribeJob: (() => void) | null = null;
  private lastStart: Omit<StartDeleteOptions, 'ids'> | null = null;
  private nextKey = 1;
  private readonly deps: DeleteJobsDeps;

  constructor(deps: DeleteJobsDeps) {
    this.deps = deps;
  }

  readonly subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  };

  readonly getSnapshot = (): DeleteJobsState => this.state;

  get running(): boolean {
    return isRunning(this.state.record);
  }

  /** Hears about every id that stopped existing, as soon as it settles. */
  onRemoved(listener: RemovalListener): () => void {
    this.removalListeners.add(listener);
    return () => {
      this.removalListeners.delete(listener);
    };
  }

  private set(patch: Partial<DeleteJobsState>): void {
    this.state = { ...this.state, ...patch };
    for (const listener of [...this.listeners]) listener();
  }

  /** Starts deleting `ids` and opens the progress dialog. Refused while another job runs. */
  start(options: StartDeleteOptions, isRetry = false): void {
    if (this.running) throw new Error('A delete is already running in this tab.');
    this.unsubscribeJob?.();
    const { ids, origin, limits, removeFromCaches } = options;
    this.lastStart = { origin, limits, removeFromCaches };

    const onSettled = (result: DeleteItemResult) => {
      if (result.outcome !== 'deleted' && result.outcome !== 'gone') return;
      const removed = [result.id];
      for (const listener of [...this.removalListeners]) {
        try {
          listener(removed);
        } catch (error) {
          // A broken listener must not keep the rows in the caches.
          queueMicrotask(() => {
            throw error;
          });
        }
      }
      removeFromCaches(removed);
    };

    const tag = `job_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 10)}`;
    const deleteOne = this.deps.deleteOne;
    const job = startDeleteJob({
      ids,
      deleteOne: (id, signal) => deleteOne(id, signal, tag),
      budget: this.deps.budget(),
      limits,
      onSettled,
      ...this.deps.queueOptions,
    });
    this.job = job;
    const key = this.nextKey++;
    const record = (): DeleteJobRecord => ({ key, origin, ids: [...new Set(ids)], snapshot: job.getSnapshot(), isRetry, tag });
    this.unsubscribeJob = job.subscribe(() => {
      if (this.job !== job) return;
      this.set({ record: record() });
      if (job.getSnapshot().phase === 'finished') this.guardUnload(false);
    });
    this.guardUnload(true);
    this.set({ record: record(), progressOpen: true });
    if (job.getSnapshot().phase === 'finished') this.guardUnload(false);
  }

  /** Stops the running job: no request starts after this; those in flight finish. */
  cancel(): void {
    if (this.running) this.job?.cancel();
  }

  /** Deletes the last job's failed ids again (same origin and limits). */
  retryFailed(): void {
    const record = this.state.record;
    if (!record || this.running || !this.lastStart) return;
    const failed = record.snapshot.groups.failed;
    if (failed.length === 0) return;
    this.start({ ...this.lastStart, ids: failed }, true);
  }

  openProgress(): void {
    if (this.state.record) this.set({ progressOpen: true });
  }

  closeProgress(): void {
    this.set({ progressOpen: false });
  }

  /** Forgets a finished job (its report and the header indicator). */
  dismiss(): void {
    if (this.running) return;
    this.unsubscribeJob?.();
    this.unsubscribeJob = null;
    this.job = null;
    this.set({ record: null, progressOpen: false });
  }

  /** Tests: cancels and forgets everything. */
  reset(): void {
    this.job?.cancel();
    this.unsubscribeJob?.();
    this.unsubscribeJob = null;
    this.job = null;
    this.lastStart = null;
    this.guardUnload(false);
    this.removalListeners.clear();
    this.state = { record: null, progressOpen: false };
    for (const listener of [...this.listeners]) listener();
  }

  private guarding = false;

  private readonly onBeforeUnload = (event: BeforeUnloadEvent): void => {
    // Browsers show their own wording; both calls are needed across browsers.
    event.preventDefault();
    event.returnValue = '';
  };

  private guardUnload(on: boolean): void {
    const target = this.deps.window === undefined ? (typeof window === 'undefined' ? null : window) : this.deps.window;
    if (!target || on === this.guarding) return;
    this.guarding = on;
    if (on) target.addEventListener('beforeunload', this.onBeforeUnload);
    else target.removeEventListener('beforeunload', this.onBeforeUnload);
  }
}
