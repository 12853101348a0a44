/**
 * Editing in the context drawer — the first-load side of the editor feature, kept small:
 * an Edit button, the close guard and a React.lazy boundary. The editor itself (Monaco,
 * react-hook-form, zod) is fetched only when someone presses Edit.
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
import { lazy, Suspense, useCallback, useEffect, useRef, useState, useSyncExternalStore, type ReactNode } from 'react';
import type { ExecutionContext } from '@contract/types';
import { AlertDialog, Button, PencilIcon, Spinner, toast } from '@/components/ui';
import { can, useRole } from '@/features/auth';
import type { ContextWithEtag } from '@/features/contexts/api/get-context';
import { clearDrafts, hasDraft } from '../lib/draft-storage';
import { useDrawerCloseGuard } from './close-guard';

const loadEditor = () => import('./context-editor');
const ContextEditor = lazy(loadEditor);

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

const useEditingState = (store: EditingStore) => useSyncExternalStore(store.subscribe, store.getSnapshot, store.getSnapshot);

/** The drawer header's Edit button: editors and admins only. */
export function EditContextButton({ store, slot }: { store: EditingStore; slot: DrawerSlot }) {
  const canEdit = can(useRole(), 'write');
  const { editingId } = useEditingState(store);
  if (!canEdit || editingId === slot.context.id) return null;
  return (
    <Button
      size="sm"
      variant="secondary"
      leadingIcon={<PencilIcon size={14} />}
      // Pressing starts the download of the editor a moment before the click completes.
      onPointerDown={() => void loadEditor()}
      onClick={() => store.start(slot.context.id)}
    >
      Edit
    </Button>
  );
}

/** The drawer's body: the editor while editing this context, the read-only viewer otherwise. */
export function EditableContextBody({ store, slot, viewer }: { store: EditingStore; slot: DrawerSlot; viewer: ReactNode }) {
  const role = useRole();
  const canEdit = can(role, 'write');
  const { editingId, session, dirty, pendingClose } = useEditingState(store);
  const id = slot.context.id;
  const editing = canEdit && editingId === id;
  const anchor = useRef<HTMLDivElement | null>(null);
  // The version on screen when Edit was pressed; later cache updates (the save flow
  // fetches the latest) must not change what the editor started from.
  const [initial, setInitial] = useState<{ session: number; value: ContextWithEtag } | null>(null);
  if (editing && initial?.session !== session) setInitial({ session, value: { context: slot.context, etag: slot.etag } });

  // An unsaved draft from before a reload reopens the editor, which restores it.
  useEffect(() => {
    if (canEdit && editingId !== id && hasDraft(id)) store.resumeDraft(id);
  }, [canEdit, editingId, id, store]);

  const { close } = slot;
  useDrawerCloseGuard(anchor, { editing, dirty, onAttempt: () => store.requestClose(close) });

  const onExit = useCallback(() => store.stop(), [store]);
  const onDirtyChange = useCallback((next: boolean) => store.setDirty(next), [store]);
  const onGone = useCallback(
    (edits: string) => {
      store.stop();
      toast.error(`Context ${id} no longer exists`, {
        description: 'It was deleted, so your edits could not be saved. It has been removed from the list.',
        duration: 20_000,
        action: { label: 'Copy my edits', onClick: () => void navigator.clipboard?.writeText(edits) },
      });
    },
    [id, store],
  );

  if (!editing) return <>{viewer}</>;
  return (
    <div ref={anchor} className="ctx-editor-host">
      <Suspense
        fallback={
          <div className="ui-state ui-state--compact">
            <Spinner label="Loading the editor…" />
          </div>
        }
      >
        <ContextEditor
          key={id}
          initial={initial?.session === session ? initial.value : { context: slot.context, etag: slot.etag }}
          role={role}
          onExit={onExit}
          onDirtyChange={onDirtyChange}
          onGone={onGone}
        />
      </Suspense>
      <AlertDialog
        open={pendingClose !== null}
        onOpenChange={(open) => {
          if (!open) store.cancelClose();
        }}
        title="Discard your unsaved edits?"
        description={`Your changes to ${id} have not been saved. Closing discards them.`}
        confirmLabel="Discard and close"
        cancelLabel="Keep editing"
        onConfirm={() => {
          const proceed = pendingClose;
          clearDrafts(id);
          store.stop();
          proceed?.();
        }}
      />
    </div>
  );
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
  const drawerActions = useCallback((slot: DrawerSlot) => <EditContextButton store={store} slot={slot} />, [store]);
  const renderDrawerBody = useCallback(
    ({ viewer, ...slot }: DrawerSlot & { viewer: ReactNode }) => <EditableContextBody store={store} slot={slot} viewer={viewer} />,
    [store],
  );
  return { drawerActions, renderDrawerBody, store };
}
