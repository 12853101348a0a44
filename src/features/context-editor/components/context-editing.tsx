/**
 * Editing inside the context drawer — the first-load side of the editor feature. It is
 * deliberately small: an Edit button, the close guard, and a React.lazy boundary. The
 * editor itself (Monaco, react-hook-form, zod) is fetched only when someone presses Edit.
 *
 * The drawer uses it like this:
 *
 *   const editing = useContextEditing(detail);          // detail: ContextWithEtag | undefined
 *   <Drawer
 *     onOpenChange={(open) => !open && editing.requestClose(close)}
 *     actions={<>{editing.editButton}{deleteButton}</>}
 *   >
 *     {editing.isEditing ? editing.editor : <ReadOnlyJson />}
 *   </Drawer>
 *   {editing.dialog}
 */
import { lazy, Suspense, useCallback, useState, type ReactNode } from 'react';
import { AlertDialog, Button, PencilIcon, Spinner } from '@/components/ui';
import { can, useRole } from '@/features/auth';
import type { ContextWithEtag } from '@/features/contexts/api/get-context';
import { clearDrafts, hasDraft } from '../lib/draft-storage';

const loadEditor = () => import('./context-editor');
const ContextEditor = lazy(loadEditor);

/**
 * When the last Escape keydown went to the code editor (ms since the epoch). Escape in
 * Monaco closes its own widgets (find, suggestions); the drawer must not close with them.
 * Radix's dismiss handler listens on the document in the capture phase, so the editor
 * cannot stop the event first; instead a window-level capture listener (which runs before
 * the document's) notes it, and the close guard ignores that close request.
 */
let editorEscapeAt = 0;
if (typeof window !== 'undefined') {
  window.addEventListener(
    'keydown',
    (event) => {
      if (event.key === 'Escape' && event.target instanceof Element && event.target.closest('.ctx-editor .monaco-editor, .ctx-editor .monaco-diff-editor')) {
        editorEscapeAt = Date.now();
      }
    },
    { capture: true },
  );
}
const escapeWasForEditor = () => Date.now() - editorEscapeAt < 100;

export interface ContextEditing {
  /** Whether the signed-in role may edit (editors and admins). */
  canEdit: boolean;
  isEditing: boolean;
  /** The drawer's "Edit" button; null for viewers and while editing. */
  editButton: ReactNode;
  /** The editor (lazy), to show instead of the read-only view while editing. */
  editor: ReactNode;
  /**
   * The drawer's close guard: runs `proceed` at once, or — with unsaved edits — after the
   * user agrees to discard them.
   */
  requestClose: (proceed: () => void) => void;
  /** The "discard unsaved edits?" dialog; render it next to the drawer. */
  dialog: ReactNode;
  /** Unsaved edits exist. */
  dirty: boolean;
}

interface EditingState {
  id: string | null;
  editing: boolean;
  dirty: boolean;
  /** The version shown when Edit was pressed, kept if the detail goes away (deleted). */
  snapshot: ContextWithEtag | null;
}

export function useContextEditing(detail: ContextWithEtag | undefined): ContextEditing {
  const role = useRole();
  const canEdit = can(role, 'write');
  const id = detail?.context.id ?? null;
  const [state, setState] = useState<EditingState>({ id: null, editing: false, dirty: false, snapshot: null });
  const [pendingClose, setPendingClose] = useState<(() => void) | null>(null);

  // Another context in the drawer: start over. An unsaved draft of it (from before a
  // reload) reopens the editor, which restores the draft and says so.
  if (id !== null && state.id !== id) {
    const resume = canEdit && hasDraft(id);
    setState({ id, editing: resume, dirty: false, snapshot: resume && detail ? detail : null });
  }

  const startEditing = useCallback(() => {
    if (!detail) return;
    setState((s) => ({ ...s, editing: true, dirty: false, snapshot: detail }));
  }, [detail]);

  const exitEditing = useCallback(() => setState((s) => ({ ...s, editing: false, dirty: false, snapshot: null })), []);
  const onDirtyChange = useCallback((dirty: boolean) => setState((s) => (s.dirty === dirty ? s : { ...s, dirty })), []);

  const requestClose = useCallback(
    (proceed: () => void) => {
      if (state.editing && escapeWasForEditor()) return;
      if (state.editing && state.dirty) {
        // A function in state must be wrapped, or React would call it as an updater.
        setPendingClose(() => proceed);
        return;
      }
      proceed();
    },
    [state.editing, state.dirty],
  );

  const shown = detail ?? state.snapshot;
  // A role without write access (signed out, or changed) never shows the editor.
  // While the detail is gone (deleted: removed from the cache) the editor stays, showing
  // why it cannot save.
  const isEditing = state.editing && canEdit && shown !== null && (id === null || state.id === id);

  const editButton =
    canEdit && detail && !isEditing ? (
      <Button
        size="sm"
        variant="secondary"
        leadingIcon={<PencilIcon size={14} />}
        // Pressing starts the download a moment before the click completes.
        onPointerDown={() => void loadEditor()}
        onClick={startEditing}
      >
        Edit
      </Button>
    ) : null;

  const editor =
    isEditing && shown ? (
      <Suspense
        fallback={
          <div className="ui-state ui-state--compact">
            <Spinner label="Loading the editor…" />
            <span aria-hidden="true">Loading the editor…</span>
          </div>
        }
      >
        <ContextEditor key={shown.context.id} initial={shown} role={role} onExit={exitEditing} onDirtyChange={onDirtyChange} />
      </Suspense>
    ) : null;

  const dialog = (
    <AlertDialog
      open={pendingClose !== null}
      onOpenChange={(open) => {
        if (!open) setPendingClose(null);
      }}
      title="Discard your unsaved edits?"
      description={`Your changes to ${state.id ?? 'this context'} have not been saved. Closing discards them.`}
      confirmLabel="Discard and close"
      cancelLabel="Keep editing"
      onConfirm={() => {
        const proceed = pendingClose;
        if (state.id) clearDrafts(state.id);
        exitEditing();
        setPendingClose(null);
        proceed?.();
      }}
    />
  );

  return { canEdit, isEditing, editButton, editor, requestClose, dialog, dirty: state.editing && state.dirty };
}
