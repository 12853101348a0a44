/**
 * Editing in the context drawer — the first-load side of the editor feature, kept small:
 * the page-owned store and two React.lazy boundaries. The Edit button and the close guard
 * (./editing-slots.tsx) load with the drawer; the editor itself (Monaco, react-hook-form,
 * zod) is fetched only when someone presses Edit.
 *
 * It plugs into the browse screen through the drawer's extension points
 * (features/contexts: `drawerActions(slot)` and `renderDrawerBody(slot)`):
 *
 *   const editor = useContextEditor();
 *   <ContextsView drawerActions={editor.drawerActions} renderDrawerBody={editor.renderDrawerBody} />
 *
 * The button and the body are rendered in different places of the drawer, so they share
 * their state (which context is being edited, unsaved or not) through a small store
 * owned by the page.
 */
import { lazy, Suspense, useCallback, useEffect, useState, useSyncExternalStore, type ReactNode } from 'react';
import { can, useRole } from '@/features/auth';
import { hasDraft } from '../lib/draft-storage';
import type { ExecutionContext } from '@contract/types';

// The drawer itself is loaded lazily by the browse screen; its editing pieces follow it
// (the read-only viewer shows meanwhile, and the Edit button appears with them).
const EditContextButton = lazy(() => import('./editing-slots').then((m) => ({ default: m.EditContextButton })));
const EditableContextBody = lazy(() => import('./editing-slots').then((m) => ({ default: m.EditableContextBody })));

/** What the drawer's extension points pass (features/contexts ContextDrawerSlot). */
export interface DrawerSlot {
  context: ExecutionContext;
  etag: string | null;
  close: () => void;
}

interface EditingState {
  /** The context being edited, or null. */
  editingId: string | null;
  /** Counts edit sessions: each Edit starts from the version on screen at that moment. */
  session: number;
  dirty: boolean;
  /** A close was attempted with unsaved edits: run this once the user agrees. */
  pendingClose: (() => void) | null;
}

export type EditingStore = ReturnType<typeof createEditingStore>;

export function createEditingStore() {
  let state: EditingState = { editingId: null, session: 0, dirty: false, pendingClose: null };
  const listeners = new Set<() => void>();
  // Contexts whose stored draft already reopened the editor once in this page's life.
  const resumed = new Set<string>();
  const set = (next: Partial<EditingState>) => {
    state = { ...state, ...next };
    for (const listener of listeners) listener();
  };
  return {
    getSnapshot: () => state,
    subscribe: (listener: () => void) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    start: (id: string) => set({ editingId: id, session: state.session + 1, dirty: false, pendingClose: null }),
    stop: () => set({ editingId: null, dirty: false, pendingClose: null }),
    setDirty: (dirty: boolean) => {
      if (state.dirty !== dirty) set({ dirty });
    },
    /** Runs `proceed` now, or after the user agrees to discard unsaved edits. */
    requestClose: (proceed: () => void) => {
      if (state.editingId !== null && state.dirty) set({ pendingClose: proceed });
      else proceed();
    },
    cancelClose: () => set({ pendingClose: null }),
    /** Reopens the editor for a context with a stored draft (once per page). */
    resumeDraft: (id: string) => {
      if (resumed.has(id) || state.editingId === id) return;
      resumed.add(id);
      set({ editingId: id, session: state.session + 1, dirty: false, pendingClose: null });
    },
  };
}

export interface ContextEditorIntegration {
  /** For the drawer's `actions` extension point. */
  drawerActions: (slot: DrawerSlot) => ReactNode;
  /** For the drawer's `renderBody` extension point. */
  renderDrawerBody: (slot: DrawerSlot & { viewer: ReactNode }) => ReactNode;
  /** The page's store (tests; a close guard for other ways of leaving). */
  store: EditingStore;
}

/** The editor's pieces for the browse screen's drawer. Call once in the page. */
export function useContextEditor(): ContextEditorIntegration {
  const [store] = useState(createEditingStore);
  const drawerActions = useCallback(
    (slot: DrawerSlot) => (
      <Suspense fallback={null}>
        <EditContextButton store={store} slot={slot} />
      </Suspense>
    ),
    [store],
  );
  const renderDrawerBody = useCallback(
    ({ viewer, ...slot }: DrawerSlot & { viewer: ReactNode }) => <DrawerBody store={store} slot={slot} viewer={viewer} />,
    [store],
  );
  return { drawerActions, renderDrawerBody, store };
}

/**
 * The drawer's body: the read-only viewer, or the editor while this context is edited.
 * The viewer is rendered here, outside the lazy editor chunk, so that the chunk's arrival
 * never remounts it (which would clear a search the user is typing).
 */
function DrawerBody({ store, slot, viewer }: { store: EditingStore; slot: DrawerSlot; viewer: ReactNode }) {
  const canEdit = can(useRole(), 'write');
  const { editingId } = useSyncExternalStore(store.subscribe, store.getSnapshot, store.getSnapshot);
  const id = slot.context.id;
  // An unsaved draft from before a reload reopens the editor, which restores it.
  useEffect(() => {
    if (canEdit && editingId !== id && hasDraft(id)) store.resumeDraft(id);
  }, [canEdit, editingId, id, store]);
  if (!canEdit || editingId !== id) return viewer;
  return (
    <Suspense fallback={viewer}>
      <EditableContextBody store={store} slot={slot} viewer={viewer} />
    </Suspense>
  );
}
