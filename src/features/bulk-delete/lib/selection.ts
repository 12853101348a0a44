/**
 * The bulk-delete selection: exact, across pages, and honest about what it knows.
 *
 * Two modes:
 * - `explicit`: a set of ids the admin ticked (row checkbox, shift-click range, header
 *   checkbox over the loaded rows).
 * - `all_matching`: "every context that matches these filters", including rows not loaded
 *   yet, minus the ids the admin unticked afterwards (`excluded`). The list endpoint has no
 *   total count, so the count is only exact once the whole list is loaded or the
 *   selection has been resolved; until then it is a lower bound and `selectionCount` says
 *   so (`exact: false`), and the UI must word it that way ("at least 340, counting…").
 *
 * Nothing is deleted from an `all_matching` selection directly: `resolveSelection` pages
 * through the list (cursor, so rows created or deleted meanwhile neither repeat nor vanish
 * between pages) and turns it into concrete ids, which the confirmation shows and the
 * delete job receives.
 *
 * Every function is pure and returns a new selection (or the same one when nothing
 * changed), so the state fits `useState`/`useReducer` as is. `scope` identifies the list
 * the selection was made on (e.g. the canonical filters query string): when the filters
 * change, `reconcileScope` clears the selection and reports it, for the visible notice.
 */
import { isInUse, type ContextStatus } from '@contract/constants';
import type { ListResponse } from '@contract/types';

export interface ExplicitSelection {
  readonly mode: 'explicit';
  readonly scope: string;
  readonly ids: ReadonlySet<string>;
  /** The last row clicked without shift: where a shift-click range starts. */
  readonly anchor: string | null;
}

export interface AllMatchingSelection<F = unknown> {
  readonly mode: 'all_matching';
  readonly scope: string;
  /** The filters as they were when "Select all matching" was chosen. */
  readonly filters: F;
  readonly excluded: ReadonlySet<string>;
  /** How many contexts match (excluded ones included), once known; null: not known yet. */
  readonly total: number | null;
  readonly anchor: string | null;
}

export type Selection<F = unknown> = ExplicitSelection | AllMatchingSelection<F>;

/** The loaded rows of the list, in display order. */
export interface LoadedRows {
  readonly rowIds: readonly string[];
  /** Whether the server has rows after the last loaded page. */
  readonly hasMore: boolean;
}

export interface SelectionCount {
  count: number;
  /** false: `count` is a lower bound; the rest of the matching rows are not counted yet. */
  exact: boolean;
}

export type HeaderCheckboxState = 'checked' | 'unchecked' | 'indeterminate';

const EMPTY_IDS: ReadonlySet<string> = new Set();

export const emptySelection = (scope = ''): ExplicitSelection => ({ mode: 'explicit', scope, ids: EMPTY_IDS, anchor: null });

/** Nothing selected, same scope. */
export const clearSelection = <F>(selection: Selection<F>): ExplicitSelection => emptySelection(selection.scope);

export const isSelected = <F>(selection: Selection<F>, id: string): boolean =>
  selection.mode === 'explicit' ? selection.ids.has(id) : !selection.excluded.has(id);

/** True when the selection is known to hold nothing (delete actions disabled). */
export function isSelectionEmpty<F>(selection: Selection<F>, loaded: LoadedRows): boolean {
  const { count, exact } = selectionCount(selection, loaded);
  return count === 0 && exact;
}

/** Selects or deselects `ids` (the anchor stays). */
export function setSelected<F>(selection: Selection<F>, ids: Iterable<string>, selected: boolean): Selection<F> {
  // In all-matching mode, "selected" means "not excluded".
  const current = selection.mode === 'explicit' ? selection.ids : selection.excluded;
  const add = selection.mode === 'explicit' ? selected : !selected;
  const next = new Set(current);
  for (const id of ids) {
    if (add) next.add(id);
    else next.delete(id);
  }
  if (next.size === current.size && [...next].every((id) => current.has(id))) return selection;
  return selection.mode === 'explicit' ? { ...selection, ids: next } : { ...selection, excluded: next };
}

/** A plain click on a row's checkbox: flips it and makes it the anchor for shift-clicks. */
export function toggle<F>(selection: Selection<F>, id: string): Selection<F> {
  return { ...setSelected(selection, [id], !isSelected(selection, id)), anchor: id };
}

/**
 * A shift-click on a row's checkbox: every row from the anchor to this one (either
 * direction, both ends included, in the loaded order) takes the state the clicked row
 * gets. Without a usable anchor (none yet, or its row is no longer loaded) it is a plain
 * toggle. The clicked row becomes the new anchor, so ranges can be chained.
 */
export function toggleRange<F>(selection: Selection<F>, id: string, rowIds: readonly string[]): Selection<F> {
  const from = selection.anchor === null ? -1 : rowIds.indexOf(selection.anchor);
  const to = rowIds.indexOf(id);
  if (from === -1 || to === -1) return toggle(selection, id);
  const range = rowIds.slice(Math.min(from, to), Math.max(from, to) + 1);
  return { ...setSelected(selection, range, !isSelected(selection, id)), anchor: id };
}

/** The header checkbox: its state over the loaded rows. */
export function headerCheckboxState<F>(selection: Selection<F>, rowIds: readonly string[]): HeaderCheckboxState {
  let selected = 0;
  for (const id of rowIds) if (isSelected(selection, id)) selected += 1;
  if (selected === 0) return 'unchecked';
  return selected === rowIds.length ? 'checked' : 'indeterminate';
}

/**
 * A click on the header checkbox: when every loaded row is selected it clears the whole
 * selection (including an all-matching one: "uncheck all" means nothing is selected);
 * otherwise it selects every loaded row.
 */
export function toggleAllLoaded<F>(selection: Selection<F>, rowIds: readonly string[]): Selection<F> {
  if (headerCheckboxState(selection, rowIds) === 'checked') return clearSelection(selection);
  return setSelected(selection, rowIds, true);
}

/** "Select all matching": every context matching `filters`, none excluded yet. */
export const selectAllMatching = <F>(selection: Selection<F>, filters: F): AllMatchingSelection<F> => ({
  mode: 'all_matching',
  scope: selection.scope,
  filters,
  excluded: EMPTY_IDS,
  total: null,
  anchor: selection.anchor,
});

/**
 * How many contexts are selected. In all-matching mode the count is exact once the total
 * is known (resolved, or every page loaded); before that it counts the loaded, not
 * excluded rows, and says it is a lower bound.
 */
export function selectionCount<F>(selection: Selection<F>, loaded: LoadedRows): SelectionCount {
  if (selection.mode === 'explicit') return { count: selection.ids.size, exact: true };
  if (selection.total !== null) return { count: Math.max(0, selection.total - selection.excluded.size), exact: true };
  const loadedSelected = loaded.rowIds.filter((id) => !selection.excluded.has(id)).length;
  return { count: loadedSelected, exact: !loaded.hasMore };
}

/** The selected rows among the loaded ones, in list order (explicit mode: the whole selection). */
export const selectedRows = <R extends { id: string }, F>(selection: Selection<F>, rows: readonly R[]): R[] =>
  rows.filter((row) => isSelected(selection, row.id));

/**
 * Keeps the selection when `scope` (the filters) is unchanged; otherwise clears it, and
 * `cleared` tells whether anything was selected (show the notice only then).
 */
export function reconcileScope<F>(selection: Selection<F>, scope: string): { selection: Selection<F>; cleared: boolean } {
  if (selection.scope === scope) return { selection, cleared: false };
  const hadSomething = selection.mode === 'all_matching' || selection.ids.size > 0;
  return { selection: emptySelection(scope), cleared: hadSomething };
}

// ---------------------------------------------------------------------------------------
// Resolution to concrete ids
// ---------------------------------------------------------------------------------------

/** What the resolution needs of a row (the list's summary rows fit). */
export interface SelectableRow {
  id: string;
  status: ContextStatus;
}

/**
 * One page of the list after `after` (null: the first page). In production it is the
 * list call with the selection's filters and `rateClass: 'read'`, so that resolving a large
 * selection waits for the shared read budget instead of tripping the server's limit.
 */
export type FetchPage<R extends SelectableRow> = (after: string | null, signal?: AbortSignal) => Promise<ListResponse<R>>;

export interface ResolveProgress {
  pages: number;
  /** Rows seen so far (excluded ones included). */
  scanned: number;
  /** Rows selected so far. */
  selected: number;
  /** Selected rows that are in use so far. */
  inUse: number;
}

export interface ResolvedSelection<R extends SelectableRow> {
  /** The selected rows, in list order. */
  rows: R[];
  ids: string[];
  /** How many contexts matched (excluded ones included). */
  total: number;
  /** The excluded ids that still match (the others were deleted meanwhile). */
  excludedFound: string[];
  /** Selected rows in use (running / waiting_for_input): DELETE will answer 409. */
  inUse: number;
  pages: number;
}

export interface ResolveOptions<R extends SelectableRow> {
  fetchPage: FetchPage<R>;
  signal?: AbortSignal;
  onProgress?: (progress: ResolveProgress) => void;
}

/**
 * Turns an all-matching selection into concrete ids by walking the list with the cursor,
 * leaving out the excluded ids. Rejects with the signal's reason when aborted, and with an
 * Error when the server's paging is inconsistent (it never returns a partial list as if
 * it were the whole).
 */
export async function resolveSelection<R extends SelectableRow, F>(
  selection: AllMatchingSelection<F>,
  { fetchPage, signal, onProgress }: ResolveOptions<R>,
): Promise<ResolvedSelection<R>> {
  const rows: R[] = [];
  const excludedFound: string[] = [];
  const seen = new Set<string>();
  const cursors = new Set<string>();
  let after: string | null = null;
  let pages = 0;
  let inUse = 0;
  for (;;) {
    signal?.throwIfAborted();
    const page: ListResponse<R> = await fetchPage(after, signal);
    // Also when the fetcher ignored the signal: a cancelled resolution yields nothing.
    signal?.throwIfAborted();
    pages += 1;
    for (const row of page.data) {
      if (seen.has(row.id)) continue; // the cursor should prevent it; never count a row twice
      seen.add(row.id);
      if (selection.excluded.has(row.id)) {
        excludedFound.push(row.id);
      } else {
        rows.push(row);
        if (isInUse(row.status)) inUse += 1;
      }
    }
    onProgress?.({ pages, scanned: seen.size, selected: rows.length, inUse });
    if (!page.has_more) break;
    if (page.next_cursor === null) throw new Error('The list said it has more rows but gave no cursor to fetch them.');
    if (cursors.has(page.next_cursor)) throw new Error('The list returned the same cursor twice.');
    cursors.add(page.next_cursor);
    after = page.next_cursor;
  }
  return { rows, ids: rows.map((row) => row.id), total: seen.size, excludedFound, inUse, pages };
}

/** The selection with the resolution's exact total (and only exclusions that still match). */
export const applyResolution = <F, R extends SelectableRow>(
  selection: AllMatchingSelection<F>,
  resolved: ResolvedSelection<R>,
): AllMatchingSelection<F> => ({ ...selection, total: resolved.total, excluded: new Set(resolved.excludedFound) });

// ---------------------------------------------------------------------------------------
// Confirmation
// ---------------------------------------------------------------------------------------

export interface InUseSummary {
  total: number;
  /** running / waiting_for_input: the server will refuse these (409). */
  inUse: number;
  deletable: number;
}

/** For the confirmation: how many selected contexts are in use and will be refused. */
export function countInUse(rows: Iterable<{ status: ContextStatus }>): InUseSummary {
  let total = 0;
  let inUse = 0;
  for (const row of rows) {
    total += 1;
    if (isInUse(row.status)) inUse += 1;
  }
  return { total, inUse, deletable: total - inUse };
}
