/**
 * The editor's pieces inside the context drawer: the header's Edit button and the body
 * (the read-only viewer, or the lazily loaded editor with its close guard). Loaded only
 * when a drawer opens (see ./context-editing.tsx), so neither these nor the Radix alert
 * dialog they use weigh on the dashboard's first load.
 */
import { lazy, Suspense, useCallback, useRef, useState, useSyncExternalStore, type ReactNode } from 'react';
import { AlertDialog, Button, PencilIcon, Spinner, toast } from '@/components/ui';
import { can, useRole } from '@/features/auth';
import type { ContextWithEtag } from '@/features/contexts/api/get-context';
import { clearDrafts } from '../lib/draft-storage';
import { useDrawerCloseGuard } from './close-guard';
import type { DrawerSlot, EditingStore } from './context-editing';

const loadEditor = () => import('./context-editor');
const ContextEditor = lazy(loadEditor);

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

