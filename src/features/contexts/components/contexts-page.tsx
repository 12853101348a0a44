/**
 * The /contexts route (rendered by src/app/router.tsx). This is the composition root of the
 * browse screen: features that extend it (the editor, bulk delete) pass their pieces to
 * ContextsView here — see ../README.md for the extension points.
 */
import { useCallback, type ReactNode } from 'react';
import { useBulkDelete } from '@/features/bulk-delete';
import { useContextEditor } from '@/features/context-editor';
import { DrawerTabs } from '@/features/history';
import type { ContextDrawerSlot } from './context-drawer';
import { ContextsView } from './contexts-view';
import '../contexts.css';

export function ContextsPage() {
  // The editor: "Edit" in the drawer's header, the (lazily loaded) editor in its body.
  const editor = useContextEditor();
  // Bulk delete (admins only): the selection column, its toolbar, "Delete" in the drawer.
  const bulkDelete = useBulkDelete();
  const { drawerActions: editAction } = editor;
  const { drawerAction: deleteAction } = bulkDelete;
  const drawerActions = useCallback(
    (slot: ContextDrawerSlot) => (
      <>
        {editAction(slot)}
        {deleteAction?.(slot)}
      </>
    ),
    [editAction, deleteAction],
  );
  // The History tab (issue 11) wraps whatever the editor renders, without changing it.
  const { renderDrawerBody: editorBody } = editor;
  const renderDrawerBody = useCallback(
    (slot: ContextDrawerSlot & { viewer: ReactNode }) => (
      <DrawerTabs key={slot.context.id} context={slot.context} etag={slot.etag}>
        {editorBody(slot)}
      </DrawerTabs>
    ),
    [editorBody],
  );
  return (
    <>
      <ContextsView
        leadingColumns={bulkDelete.leadingColumns}
        toolbarActions={bulkDelete.toolbarActions}
        drawerActions={drawerActions}
        renderDrawerBody={renderDrawerBody}
      />
      {bulkDelete.overlay}
    </>
  );
}
