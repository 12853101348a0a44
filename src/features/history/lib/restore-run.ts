/**
 * Restores many deleted contexts one after another (each waits for the tab's write budget,
 * so a large undo never exceeds the rate limit), reporting progress and, at the end, what
 * happened to each id: restored, already back (409), gone for good (404) or failed.
 */
import { isApiError } from '@/lib/api-client';

export type RestoreOutcome = 'restored' | 'exists' | 'gone' | 'failed';

export interface RestoreProgress {
  done: number;
  total: number;
  outcomes: Map<string, RestoreOutcome>;
}

/** Runs `restore` for every id in order; stops early when `signal` aborts. */
export async function runRestores(
  ids: readonly string[],
  restore: (id: string, signal?: AbortSignal) => Promise<unknown>,
  onProgress: (progress: RestoreProgress) => void,
  signal?: AbortSignal,
): Promise<RestoreProgress> {
  const outcomes = new Map<string, RestoreOutcome>();
  const progress = (): RestoreProgress => ({ done: outcomes.size, total: ids.length, outcomes: new Map(outcomes) });
  for (const id of ids) {
    if (signal?.aborted) break;
    try {
      await restore(id, signal);
      outcomes.set(id, 'restored');
    } catch (error) {
      if (signal?.aborted) break;
      outcomes.set(id, isApiError(error) && error.status === 409 ? 'exists' : isApiError(error) && error.status === 404 ? 'gone' : 'failed');
    }
    onProgress(progress());
  }
  return progress();
}

/** Ids per outcome, in the order they were run. */
export function groupOutcomes(outcomes: Map<string, RestoreOutcome>): Record<RestoreOutcome, string[]> {
  const groups: Record<RestoreOutcome, string[]> = { restored: [], exists: [], gone: [], failed: [] };
  for (const [id, outcome] of outcomes) groups[outcome].push(id);
  return groups;
}
