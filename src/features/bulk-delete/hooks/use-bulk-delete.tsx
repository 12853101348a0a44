/**
 * Bulk delete, as the browse screen's composition root plugs it in:
 *
 *   const bulkDelete = useBulkDelete();
 *   <ContextsView
 *     leadingColumns={bulkDelete.leadingColumns}
 *     toolbarActions={bulkDelete.toolbarActions}
 *     drawerActions={(slot) => <>{…}{bulkDelete.drawerAction?.(slot)}</>}
 *   />
 *   {bulkDelete.overlay}
 *
 * For anyone but an admin every piece is empty: no checkbox column, no toolbar, no
 * drawer action, no dialogs. The server refuses their deletes anyway (403); the UI
 * does not offer what would fail.
 *
 * The selection belongs to this screen (it clears when the filters change); the delete
 * job belongs to the tab (lib/delete-jobs.ts) and outlives both.
 */
import { useQueryClient } from '@tanstack/react-query';
import { Suspense, lazy, useCallback, useEffect, useEffectEvent, useLayoutEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import { DEFAULT_RATE_LIMITS } from '@contract/constants';
import { HeaderStatus } from '@/components/layout';
import { Button, TrashIcon, toast } from '@/components/ui';
import { useCan, useCurrentSession } from '@/features/auth';
import { removeContextsFromCaches } from '@/features/contexts/api/cache';
import { contextKeys } from '@/features/contexts/api/keys';
import type { ContextColumnDef } from '@/features/contexts/components/columns';
import type { ContextDrawerSlot } from '@/features/contexts/components/context-drawer';
import type { ContextsToolbarSlot } from '@/features/contexts/components/contexts-view';
import { serializeSearch, type ContextListFilters } from '@/features/contexts/filters';
import { useContextFilters } from '@/features/contexts/hooks/use-context-filters';
import { DeleteJobIndicator } from '../components/delete-job-indicator';
import { createSelectionColumn } from '../components/selection-column';
import { SelectionToolbar } from '../components/selection-toolbar';
import { SelectionStore } from '../lib/selection-store';
import { formatCount, pluralContexts } from '../lib/wording';
import type { DeleteRequest } from '../types';
import type { ResolvedCandidates } from './use-resolved-request';
import '../bulk-delete.css';
import { deleteJobs, useDeleteJobs } from './use-delete-jobs';

export interface BulkDelete {
  /** The selection checkbox column (empty for non-admins); stable. */
  leadingColumns: ContextColumnDef[];
  toolbarActions: ((slot: ContextsToolbarSlot) => ReactNode) | undefined;
  /** The drawer's "Delete" button; undefined for non-admins. */
  drawerAction: ((slot: ContextDrawerSlot) => ReactNode) | undefined;
  /** Dialogs and the header indicator; render it once next to the view. */
  overlay: ReactNode;
}

const NO_COLUMNS: ContextColumnDef[] = [];

/*
 * The dialogs (and the Radix dialog code under them) are only needed once an admin acts,
 * so they are kept out of the first load: fetched when the first row is selected or a
 * delete is asked for, and rendered only while open.
 */
const loadConfirmDialog = () => import('../components/delete-confirm-dialog');
const loadProgressDialog = () => import('../components/delete-progress-dialog');
const DeleteConfirmDialog = lazy(() => loadConfirmDialog().then((m) => ({ default: m.DeleteConfirmDialog })));
const DeleteProgressDialog = lazy(() => loadProgressDialog().then((m) => ({ default: m.DeleteProgressDialog })));
const prefetchDialogs = () => {
  void loadConfirmDialog();
  void loadProgressDialog();
};

/** The selection's scope: the filters as the URL writes them (canonical). */
const scopeOf = (filters: ContextListFilters) => serializeSearch({ filters, contextId: null });

export function useBulkDelete(): BulkDelete {
  const isAdmin = useCan('delete');
  const queryClient = useQueryClient();
  // null is a real value (deletes not limited), not "unknown": only a missing session
  // falls back to the seeds' figures.
  const session = useCurrentSession();
  const limits = session ? session.rate_limits.delete : DEFAULT_RATE_LIMITS.delete;
  const { filters, contextId, closeContext } = useContextFilters();
  const scope = scopeOf(filters);
  const [store] = useState(() => new SelectionStore<ContextListFilters>(scope));
  const jobs = useDeleteJobs();
  const running = jobs.record !== null && jobs.record.snapshot.phase !== 'finished';
  const [request, setRequest] = useState<DeleteRequest | null>(null);

  // Before paint: a list already cached for the new filters must never show, even for a
  // frame, checkboxes ticked under the old ones.
  useLayoutEffect(() => store.reconcileScope(scope), [store, scope]);
  useEffect(() => () => store.dispose(), [store]);

  // The drawer shows a context the job just deleted: it closes. Its detail entry is put
  // back for the closing animation, so the drawer neither blanks nor refetches a 404.
  const closingId = useRef<string | null>(null);
  const onRemoved = useEffectEvent((ids: readonly string[]) => {
    store.removeIds(ids);
    if (contextId !== null && ids.includes(contextId)) {
      closingId.current = contextId;
      closeContext();
    }
  });
  useEffect(() => deleteJobs.onRemoved((ids) => onRemoved(ids)), []);
  useEffect(() => {
    const id = closingId.current;
    if (id !== null && contextId !== id) {
      closingId.current = null;
      queryClient.removeQueries({ queryKey: contextKeys.detail(id), exact: true });
    }
  }, [contextId, queryClient]);

  const removeFromCaches = useCallback(
    (ids: readonly string[]) => {
      const keep = closingId.current;
      const detail = keep !== null && ids.includes(keep) ? queryClient.getQueryData(contextKeys.detail(keep)) : undefined;
      removeContextsFromCaches(queryClient, ids);
      if (keep !== null && detail !== undefined) queryClient.setQueryData(contextKeys.detail(keep), detail);
    },
    [queryClient],
  );

  const confirm = useCallback(
    (current: DeleteRequest, resolved: ResolvedCandidates) => {
      const ids = resolved.candidates.map((c) => c.id);
      // "All matching" becomes the concrete ids being deleted: what stays selected
      // afterwards is exactly what was not deleted (in use, failed, not attempted).
      if (current.origin === 'selection' && store.selection.mode === 'all_matching') store.selectExactly(ids);
      deleteJobs.start({ ids, origin: current.origin, limits, removeFromCaches });
      setRequest(null);
    },
    [store, limits, removeFromCaches],
  );

  // A job that ends while its dialog is closed says so in a toast (and the header).
  const finishedKey = jobs.record?.snapshot.phase === 'finished' ? jobs.record.key : null;
  const announceFinish = useEffectEvent(() => {
    const record = jobs.record;
    if (!record || jobs.progressOpen) return;
    const { counts } = record.snapshot;
    const removed = counts.deleted + counts.gone;
    const kept = counts.total - removed;
    const description = kept === 0 ? undefined : `${formatCount(kept)} not deleted — see the report.`;
    const action = { label: 'View report', onClick: () => deleteJobs.openProgress() };
    if (kept === 0) toast.success(`Deleted ${pluralContexts(removed)}`, { id: 'bulk-delete', description, action });
    else toast.warning(`Deleted ${formatCount(removed)} of ${pluralContexts(counts.total)}`, { id: 'bulk-delete', description, action });
  });
  useEffect(() => {
    if (finishedKey !== null) announceFinish();
  }, [finishedKey]);

  const leadingColumns = useMemo(() => (isAdmin ? [createSelectionColumn(store)] : NO_COLUMNS), [isAdmin, store]);

  const toolbarActions = useMemo(
    () =>
      isAdmin
        ? (slot: ContextsToolbarSlot) => (
            <SelectionToolbar
              store={store}
              rows={slot.rows}
              filters={slot.filters}
              hasMore={slot.hasMore}
              onDelete={setRequest}
              deleting={running}
            />
          )
        : undefined,
    [isAdmin, store, running],
  );

  const drawerAction = useMemo(
    () =>
      isAdmin
        ? (slot: ContextDrawerSlot) => (
            <Button
              size="sm"
              variant="secondary"
              className="bd-drawer-delete"
              leadingIcon={<TrashIcon size={14} />}
              disabled={running}
              title={running ? 'A delete is running; wait for it to finish.' : undefined}
              onClick={() =>
                setRequest({
                  kind: 'ids',
                  origin: 'drawer',
                  candidates: [{ id: slot.context.id, status: slot.context.status }],
                  filters: null,
                  lastIndex: null,
                  known: new Map([[slot.context.id, slot.context]]),
                })
              }
            >
              Delete
            </Button>
          )
        : undefined,
    [isAdmin, running],
  );

  // Warm the dialogs' chunk at the first touch of the selection (the confirmation follows);
  // import() is cached, so later changes cost nothing.
  useEffect(() => (isAdmin ? store.subscribe(prefetchDialogs) : undefined), [isAdmin, store]);

  const overlay = isAdmin ? (
    <>
      {request !== null && (
        <Suspense fallback={null}>
          <DeleteConfirmDialog
            request={request}
            onClose={() => setRequest(null)}
            onConfirm={(resolved) => {
              confirm(request, resolved);
            }}
            onResolved={(resolved) => {
              if (request.kind === 'all_matching') store.applyCount(request.selection.filters, [...resolved.ids, ...resolved.excludedFound]);
            }}
            busy={running}
          />
        </Suspense>
      )}
      {jobs.record !== null && (
        <Suspense fallback={null}>
          <DeleteProgressDialog
            record={jobs.record}
            open={jobs.progressOpen}
            onClose={() => (running ? deleteJobs.closeProgress() : deleteJobs.dismiss())}
            onCancel={() => deleteJobs.cancel()}
            onRetryFailed={() => deleteJobs.retryFailed()}
            limits={limits}
          />
        </Suspense>
      )}
      <HeaderStatus>
        <DeleteJobIndicator state={jobs} onOpen={() => deleteJobs.openProgress()} onDismiss={() => deleteJobs.dismiss()} />
      </HeaderStatus>
    </>
  ) : null;

  return { leadingColumns, toolbarActions, drawerAction, overlay };
}
