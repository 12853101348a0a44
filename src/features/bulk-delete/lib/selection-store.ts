/**
 * The selection of one browse screen as an external store, around the pure model of
 * `selection.ts`. Why a store and not `useState`: every row's checkbox subscribes to its
 * own id (`useSyncExternalStore`), so ticking one row re-renders one checkbox, not 10,000
 * rows of a virtualized table — and the table's column definitions can stay constant.
 *
 * It also runs the background count of an all-matching selection: "Select all matching"
 * walks the list with the cursor (through the caller's fetcher, i.e. the read budget) so
 * that the toolbar can go from "at least 300 — counting…" to "all 1,204". The count is
 * cancelled as soon as the selection stops being that all-matching selection.
 */
import {
  clearSelection,
  emptySelection,
  reconcileScope,
  resolveSelection,
  selectAllMatching,
  setSelected,
  toggle,
  toggleAllLoaded,
  toggleRange,
  type AllMatchingSelection,
  type FetchPage,
  type Selection,
  type SelectableRow,
} from './selection';

export interface SelectionState<F> {
  selection: Selection<F>;
  /** The background count of an all-matching selection, while it runs. */
  counting: { scanned: number; pages: number } | null;
  /** The last count failed (the label stays "at least"); its message. */
  countError: string | null;
  /** The selection was cleared because the filters changed (for the notice); until dismissed. */
  clearedByFilters: boolean;
}

export class SelectionStore<F> {
  private state: SelectionState<F>;
  private readonly listeners = new Set<() => void>();
  private countController: AbortController | null = null;
  /** Ids the last completed count found selected: deletes of these lower the exact total. */
  private countedIds: ReadonlySet<string> = new Set();

  constructor(scope = '') {
    this.state = { selection: emptySelection(scope), counting: null, countError: null, clearedByFilters: false };
  }

  readonly subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  };

  readonly getSnapshot = (): SelectionState<F> => this.state;

  get selection(): Selection<F> {
    return this.state.selection;
  }

  private set(patch: Partial<SelectionState<F>>): void {
    const next = { ...this.state, ...patch };
    if (Object.keys(patch).every((key) => next[key as keyof SelectionState<F>] === this.state[key as keyof SelectionState<F>])) return;
    if (next.selection !== this.state.selection && next.selection.mode !== 'all_matching') this.stopCounting(next);
    this.state = next;
    for (const listener of [...this.listeners]) listener();
  }

  private stopCounting(next: SelectionState<F>): void {
    this.countController?.abort();
    this.countController = null;
    next.counting = null;
    next.countError = null;
  }

  /** Applies a pure change of `selection.ts`; a new choice hides the filters notice. */
  update(change: (selection: Selection<F>) => Selection<F>): void {
    const selection = change(this.state.selection);
    if (selection === this.state.selection) return;
    this.set({ selection, clearedByFilters: false });
  }

  toggle(id: string): void {
    this.update((s) => toggle(s, id));
  }

  toggleRange(id: string, rowIds: readonly string[]): void {
    this.update((s) => toggleRange(s, id, rowIds));
  }

  toggleAllLoaded(rowIds: readonly string[]): void {
    this.update((s) => toggleAllLoaded(s, rowIds));
  }

  clear(): void {
    this.update(clearSelection);
  }

  /** Replaces the selection with exactly these ids (e.g. the concrete ids of a delete). */
  selectExactly(ids: Iterable<string>): void {
    this.update((s) => setSelected(emptySelection(s.scope), ids, true));
  }

  /**
   * Keeps the selection while the filters (`scope`) stay the same; otherwise clears it and
   * raises the notice if anything was selected.
   */
  reconcileScope(scope: string): void {
    const { selection, cleared } = reconcileScope(this.state.selection, scope);
    if (selection === this.state.selection) return;
    this.set({ selection, clearedByFilters: cleared || this.state.clearedByFilters });
  }

  dismissNotice(): void {
    this.set({ clearedByFilters: false });
  }

  /**
   * Contexts that no longer exist (deleted, or gone): out of an explicit selection; out of
   * an all-matching one's exclusions, and out of its exact total when the count had them.
   */
  removeIds(ids: Iterable<string>): void {
    const removed = [...ids];
    const current = this.state.selection;
    if (current.mode === 'explicit') {
      this.set({ selection: setSelected(current, removed, false) });
      return;
    }
    let { total } = current;
    const excluded = new Set(current.excluded);
    for (const id of removed) {
      if (total !== null && (this.countedIds.has(id) || excluded.has(id))) total -= 1;
      excluded.delete(id);
    }
    if (total === current.total && excluded.size === current.excluded.size) return;
    this.set({ selection: { ...current, total, excluded } });
  }

  /**
   * "Select all matching": selects every context matching `filters` and starts counting
   * them with `fetchPage` (the list with those filters, through the read budget).
   */
  selectAllMatching<R extends SelectableRow>(filters: F, fetchPage: FetchPage<R>): void {
    const selection = selectAllMatching(this.state.selection, filters);
    this.countController?.abort();
    const controller = new AbortController();
    this.countController = controller;
    this.countedIds = new Set();
    this.set({ selection, counting: { scanned: 0, pages: 0 }, countError: null, clearedByFilters: false });
    void this.count(selection, fetchPage, controller);
  }

  private async count<R extends SelectableRow>(
    start: AllMatchingSelection<F>,
    fetchPage: FetchPage<R>,
    controller: AbortController,
  ): Promise<void> {
    // Counting is about the matching set: exclusions are applied afterwards, so that the
    // admin can keep unticking rows while it runs.
    const counted = { ...start, excluded: new Set<string>() };
    try {
      const resolved = await resolveSelection(counted, {
        fetchPage,
        signal: controller.signal,
        onProgress: (progress) => {
          if (this.countController === controller) this.set({ counting: { scanned: progress.scanned, pages: progress.pages } });
        },
      });
      if (this.countController !== controller) return;
      this.countController = null;
      this.applyCount(start.filters, resolved.ids);
      this.set({ counting: null, countError: null });
    } catch (error) {
      if (controller.signal.aborted || this.countController !== controller) return;
      this.countController = null;
      this.set({ counting: null, countError: error instanceof Error ? error.message : String(error) });
    }
  }

  /**
   * The exact matching set of an all-matching selection with `filters` (every id matching,
   * excluded or not), from the background count or from the confirmation's walk. Ignored
   * when the selection has changed to something else meanwhile.
   */
  applyCount(filters: F, matchingIds: readonly string[]): void {
    const current = this.state.selection;
    if (current.mode !== 'all_matching' || current.filters !== filters) return;
    const matching = new Set(matchingIds);
    this.countedIds = matching;
    // Exclusions of rows that no longer match would make the count too low: drop them.
    const excluded = new Set([...current.excluded].filter((id) => matching.has(id)));
    this.set({ selection: { ...current, total: matching.size, excluded } });
  }

  /** Stops the background count (the screen unmounts). */
  dispose(): void {
    this.countController?.abort();
    this.countController = null;
  }
}
