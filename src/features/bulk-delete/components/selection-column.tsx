/**
 * The selection checkbox column, put in front of the browse table through its
 * `leadingColumns` extension point.
 *
 * Each checkbox subscribes to its own id in the selection store, so a click re-renders one
 * checkbox, not the table; the column definition itself never changes (the table rebuilds
 * its models when `columns` changes identity). The whole cell is the click target (a
 * label): the table opens the drawer on clicks outside interactive elements, and a
 * near-miss of a 16 px box must select, not open.
 */
import { useSyncExternalStore, type ChangeEvent, type MouseEvent } from 'react';
import { contextColumnHelper, type ContextColumnDef } from '@/features/contexts/components/columns';
import type { ContextListFilters } from '@/features/contexts/filters';
import { headerCheckboxState, isSelected } from '../lib/selection';
import type { SelectionStore } from '../lib/selection-store';

export const SELECTION_COLUMN_ID = 'select';

type Store = SelectionStore<ContextListFilters>;

const wasShiftClick = (event: ChangeEvent<HTMLInputElement>): boolean =>
  'shiftKey' in event.nativeEvent && (event.nativeEvent as globalThis.MouseEvent).shiftKey;

// Shift-click would also extend the page's text selection across the rows in between.
const keepTextSelection = (event: MouseEvent) => {
  if (event.shiftKey) event.preventDefault();
};

function RowCheckbox({ store, id, rowIds }: { store: Store; id: string; rowIds: () => readonly string[] }) {
  const checked = useSyncExternalStore(store.subscribe, () => isSelected(store.getSnapshot().selection, id));
  return (
    <label className="bd-check" onMouseDown={keepTextSelection}>
      <input
        type="checkbox"
        className="ui-checkbox__control"
        aria-label={`Select ${id}`}
        checked={checked}
        onChange={(event) => (wasShiftClick(event) ? store.toggleRange(id, rowIds()) : store.toggle(id))}
      />
    </label>
  );
}

function HeaderCheckbox({ store, rowIds }: { store: Store; rowIds: readonly string[] }) {
  const state = useSyncExternalStore(store.subscribe, () => headerCheckboxState(store.getSnapshot().selection, rowIds));
  const label =
    state === 'checked' ? 'Deselect all (clears the selection)' : `Select all ${rowIds.length === 1 ? 'loaded row' : 'loaded rows'}`;
  return (
    <label className="bd-check bd-check--header">
      <input
        type="checkbox"
        className="ui-checkbox__control"
        aria-label={label}
        title={label}
        disabled={rowIds.length === 0}
        checked={state === 'checked'}
        ref={(node) => {
          // `indeterminate` exists only as a DOM property (announced as "mixed").
          if (node) node.indeterminate = state === 'indeterminate';
        }}
        onChange={() => store.toggleAllLoaded(rowIds)}
      />
    </label>
  );
}

/** The column for a selection store; build it once per store (memoize it). */
export function createSelectionColumn(store: Store): ContextColumnDef {
  return contextColumnHelper.display({
    id: SELECTION_COLUMN_ID,
    enableHiding: false,
    meta: { width: '44px', minWidth: 44, label: 'Select', className: 'bd-select-cell' },
    header: (ctx) => <HeaderCheckbox store={store} rowIds={ctx.table.getRowModel().rows.map((row) => row.id)} />,
    // The loaded rows in display order are read at click time, for a shift-click range.
    cell: (ctx) => <RowCheckbox store={store} id={ctx.row.id} rowIds={() => ctx.table.getRowModel().rows.map((row) => row.id)} />,
  }) as ContextColumnDef;
}
