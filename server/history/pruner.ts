/**
 * Background pruning of history (issue 11), never on a request's path: every
 * `pruneIntervalMs` (and shortly after start) versions older than HISTORY_RETENTION_DAYS or
 * beyond HISTORY_MAX_VERSIONS per context are dropped, and deleted contexts older than
 * DELETED_RETENTION_DAYS are erased (each with a `context.erased` event, no content).
 */
import type { PruneLimits, PruneReport } from '../store/accountability-types';
import type { ContextStore } from '../store/types';
import { DAY_MS, type HistorySettings } from './settings';

/** The limits in force at `now`. */
export function pruneLimits(settings: HistorySettings, now: number): PruneLimits {
  return {
    // 0 days keeps no history: every version is old enough to go.
    versionsBefore: settings.historyDays === 0 ? Number.MAX_SAFE_INTEGER : now - settings.historyDays * DAY_MS,
    maxVersions: settings.maxVersions,
    // 0 days: deletes are final, nothing is kept to erase later — but erase leftovers.
    deletedBefore: now - settings.deletedDays * DAY_MS,
  };
}

/** One pruning pass. */
export function pruneOnce(store: ContextStore, settings: HistorySettings, now: Date = new Date()): Promise<PruneReport> {
  return store.prune(pruneLimits(settings, now.getTime()), now);
}

export interface Pruner {
  /** Resolves when a pass running now has finished. */
  stop(): Promise<void>;
}

/** Starts the timer; passes never overlap, failures are logged and retried next time. */
export function startPruner(
  store: ContextStore,
  settings: HistorySettings,
  log: { info(obj: object, msg: string): void; error(obj: object, msg: string): void },
  firstDelayMs = 5_000,
): Pruner {
  let running: Promise<void> | null = null;
  let stopped = false;
  const pass = () => {
    if (running !== null || stopped) return;
    running = pruneOnce(store, settings)
      .then((report) => {
        if (report.versions > 0 || report.erased.length > 0) {
          log.info({ versions: report.versions, erased: report.erased.length }, 'history pruned');
        }
      })
      .catch((error: unknown) => log.error({ err: error }, 'history pruning failed; retrying at the next interval'))
      .finally(() => {
        running = null;
      });
  };
  const first = setTimeout(pass, firstDelayMs);
  const timer = setInterval(pass, settings.pruneIntervalMs);
  first.unref();
  timer.unref();
  return {
    async stop() {
      stopped = true;
      clearTimeout(first);
      clearInterval(timer);
      await running;
    },
  };
}
