/**
 * The /contexts route (rendered by src/app/router.tsx). This is the composition root of the
 * browse screen: features that extend it (the editor, bulk delete) pass their pieces to
 * ContextsView here — see ../README.md for the extension points.
 */
import { ContextsView } from './contexts-view';
import '../contexts.css';

export function ContextsPage() {
  return <ContextsView />;
}
