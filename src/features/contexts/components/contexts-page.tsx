/**
 * The /contexts route (rendered by src/app/router.tsx). This is the composition root of the
 * browse screen: features that extend it (the editor, bulk delete) pass their pieces to
 * ContextsView here — see ../README.md for the extension points.
 */
import { useContextEditor } from '@/features/context-editor';
import { ContextsView } from './contexts-view';
import '../contexts.css';

export function ContextsPage() {
  // The editor: "Edit" in the drawer's header, the (lazily loaded) editor in its body.
  const editor = useContextEditor();
  return <ContextsView drawerActions={editor.drawerActions} renderDrawerBody={editor.renderDrawerBody} />;
}
