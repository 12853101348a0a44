/**
 * The selection's toolbar, in the browse toolbar's actions slot: what is selected (worded
 * honestly: exact, or "at least … counting…"), "Select all matching", "Delete…" and
 * "Clear selection" — and the notice when a filter change cleared the selection.
 */
import { useMemo, useSyncExternalStore } from 'react';
import { Button, IconButton, InfoIcon, TrashIcon, XIcon } from '@/components/ui';
import { fetchContextsPage } from '@/features/contexts/api/list-contexts';
import type { ContextRow } from '@/features/contexts/components/columns';
import type { ContextListFilters } from '@/features/contexts/filters';
import { isSelectionEmpty, type LoadedRows } from '../lib/selection';
import type { SelectionStore } from '../lib/selection-store';
import { formatCount, selectionLabel } from '../lib/wording';
import type { DeleteCandidate, DeleteRequest } from '../types';

export interface SelectionToolbarProps {
  store: SelectionStore<ContextListFilters>;
  /** Every loaded row, in table order. */
  rows: readonly ContextRow[];
  filters: ContextListFilters;
  hasMore: boolean;
  /** "Delete…": opens the confirmation. */
  onDelete: (request: DeleteRequest) => void;
  /** A delete job is running (one at a time). */
  deleting: boolean;
}

/** The confirmation request for the current selection. */
export function requestForSelection(
  store: SelectionStore<ContextListFilters>,
  rows: readonly ContextRow[],
  filters: ContextListFilters,
): DeleteRequest {
  const { selection } = store;
  if (selection.mode === 'all_matching') return { kind: 'all_matching', origin: 'selection', selection };
  // In table order, then any selected id no longer among the loaded rows (status unknown).
  const candidates: DeleteCandidate[] = [];
  let lastIndex = -1;
  rows.forEach((row, index) => {
    if (!selection.ids.has(row.id)) return;
    candidates.push({ id: row.id, status: row.status });
    lastIndex = index;
  });
  const loaded = new Set(candidates.map((c) => c.id));
  for (const id of selection.ids) if (!loaded.has(id)) candidates.push({ id, status: null });
  return { kind: 'ids', origin: 'selection', candidates, filters, lastIndex: lastIndex < 0 ? null : lastIndex };
}

export function SelectionToolbar({ store, rows, filters, hasMore, onDelete, deleting }: SelectionToolbarProps) {
  const state = useSyncExternalStore(store.subscribe, store.getSnapshot);
  const { selection, counting, countError, clearedByFilters } = state;
  const loaded: LoadedRows = useMemo(() => ({ rowIds: rows.map((r) => r.id), hasMore }), [rows, hasMore]);
  const empty = isSelectionEmpty(selection, loaded);

  if (empty && !clearedByFilters) return null;
  if (empty) {
    return (
      <p className="bd-notice" role="status">
        <InfoIcon size={14} className="bd-notice__icon" />
        Selection cleared: the filters changed.
        <IconButton
          aria-label="Dismiss the notice"
          icon={<XIcon size={12} />}
          size="sm"
          showTooltip={false}
          onClick={() => store.dismissNotice()}
        />
      </p>
    );
  }

  const label = selectionLabel({ selection, loaded, counting: counting ? { scanned: counting.scanned } : null });
  const allLoadedSelected = selection.mode === 'explicit' && rows.length > 0 && rows.every((r) => selection.ids.has(r.id));
  const offerAllMatching = selection.mode === 'explicit' && (hasMore || !allLoadedSelected);
  return (
    <div className="bd-selection" role="group" aria-label="Selection">
      <p className="bd-selection__count" role="status" title={countError ? `Counting failed: ${countError}` : undefined}>
        {label.text}
      </p>
      {offerAllMatching && (
        <Button
          size="sm"
          variant="ghost"
          onClick={() => store.selectAllMatching(filters, (after, signal) => fetchContextsPage(filters, after, signal))}
        >
          {hasMore ? 'Select all matching' : `Select all ${formatCount(rows.length)} matching`}
        </Button>
      )}
      <Button
        size="sm"
        variant="danger"
        leadingIcon={<TrashIcon size={14} />}
        disabled={deleting}
        title={deleting ? 'A delete is running; wait for it to finish.' : undefined}
        onClick={() => onDelete(requestForSelection(store, rows, filters))}
      >
        Delete…
      </Button>
      <Button size="sm" variant="ghost" onClick={() => store.clear()}>
        Clear selection
      </Button>
    </div>
  );
}
