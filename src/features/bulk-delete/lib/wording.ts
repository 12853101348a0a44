/**
 * The words of the bulk-delete UI, as pure functions: counts, the honest selection label,
 * the first ids of a confirmation, the typed confirmation, and the time left. Kept apart
 * from the components so that every case (exact or not, exclusions, plural) is tested.
 */
import type { DeleteJobSnapshot } from './delete-queue';
import { selectionCount, type LoadedRows, type Selection } from './selection';

/** "1,234": the same locale as the contexts table, so counts read alike everywhere. */
export const formatCount = (n: number): string => n.toLocaleString('en-US');

/** "1 context", "12 contexts". */
export const pluralContexts = (n: number): string => `${formatCount(n)} ${n === 1 ? 'context' : 'contexts'}`;

/** How many ids a confirmation lists before "and N more". */
export const FIRST_IDS_SHOWN = 10;

/** The first ids to show, and how many are left unshown. */
export function firstIds(ids: readonly string[], max = FIRST_IDS_SHOWN): { shown: string[]; more: number } {
  // Showing 10 and "and 1 more" costs a line to hide one id: show it instead.
  const limit = ids.length === max + 1 ? ids.length : max;
  return { shown: ids.slice(0, limit), more: Math.max(0, ids.length - limit) };
}

/** From this many contexts on, the admin types the number to confirm. */
export const TYPED_CONFIRM_THRESHOLD = 50;

export const needsTypedConfirmation = (count: number): boolean => count >= TYPED_CONFIRM_THRESHOLD;

/**
 * Whether the typed text is the count. Group separators are tolerated ("1,204", "1 204"),
 * anything else is not: "12O" or "120 contexts" must not pass for 120.
 */
export function typedConfirmationMatches(typed: string, count: number): boolean {
  const digits = typed.trim().replace(/[\s,.'’\u00a0\u202f_]/g, '');
  return /^\d+$/.test(digits) && Number(digits) === count;
}

export interface SelectionLabelInput<F> {
  selection: Selection<F>;
  loaded: LoadedRows;
  /** Rows the background count has seen so far (excluded ones included); null: not counting. */
  counting: { scanned: number } | null;
}

export interface SelectionLabel {
  /** What the toolbar says. */
  text: string;
  /** How many are selected (a lower bound when not exact). */
  count: number;
  exact: boolean;
}

/**
 * The selection toolbar's wording. It never claims more than it knows: until the whole
 * matching set has been counted, an all-matching selection is "at least N".
 */
export function selectionLabel<F>({ selection, loaded, counting }: SelectionLabelInput<F>): SelectionLabel {
  const { count, exact } = selectionCount(selection, loaded);
  if (selection.mode === 'explicit') return { text: `${formatCount(count)} selected`, count, exact: true };

  if (exact) {
    // The matching total: the resolved one, or (everything loaded) the loaded rows.
    const total = selection.total ?? loaded.rowIds.length;
    const text =
      count === total
        ? total === 1
          ? 'The 1 matching context selected'
          : `All ${formatCount(total)} matching selected`
        : `${formatCount(count)} of ${formatCount(total)} matching selected`;
    return { text, count, exact: true };
  }

  // A lower bound: the loaded rows not excluded, or the rows counted so far minus every
  // exclusion (each excluded id is at most one of the counted rows).
  const lower = Math.max(count, counting ? counting.scanned - selection.excluded.size : 0);
  const except = selection.excluded.size > 0 ? ` (${formatCount(selection.excluded.size)} excluded)` : '';
  return {
    text: `At least ${formatCount(lower)} matching selected${except}${counting ? ' — counting…' : ''}`,
    count: lower,
    exact: false,
  };
}

/** "less than 5 s", "about 40 s", "about 2 min 10 s", "about 1 h 5 min". */
export function formatTimeLeft(ms: number): string {
  if (!Number.isFinite(ms) || ms <= 0) return 'finishing';
  const seconds = Math.ceil(ms / 1000);
  if (seconds < 5) return 'less than 5 s left';
  if (seconds < 60) return `about ${seconds} s left`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) {
    // Round the seconds to tens: "2 min 13 s" pretends to a precision the estimate lacks.
    const rest = Math.round((seconds % 60) / 10) * 10;
    return rest === 0 || rest === 60 ? `about ${minutes + (rest === 60 ? 1 : 0)} min left` : `about ${minutes} min ${rest} s left`;
  }
  const hours = Math.floor(minutes / 60);
  const restMinutes = minutes % 60;
  return restMinutes === 0 ? `about ${hours} h left` : `about ${hours} h ${restMinutes} min left`;
}

/** "ctx_1\nctx_2": ids as copied to the clipboard, one a line (pastes into a shell or sheet). */
export const idsForClipboard = (ids: readonly string[]): string => ids.join('\n');

/** Settled ids of a snapshot (the progress bar's value): everything but what is still open. */
export const settledCount = (snapshot: DeleteJobSnapshot): number => snapshot.counts.total - snapshot.counts.remaining;

/**
 * What a delete means with the server's settings in force (SessionInfo.retention):
 * restorable by an admin for DELETED_RETENTION_DAYS, or final when that is 0.
 */
export function deletionConsequence(deletedDays: number): string {
  if (deletedDays <= 0) return 'Deletion is permanent: a deleted context cannot be restored.';
  const days = deletedDays === 1 ? '1 day' : `${formatCount(deletedDays)} days`;
  return `Deleted contexts are gone for the API at once, but an admin can restore them for ${days} (Recently deleted); after that they are erased for good.`;
}
