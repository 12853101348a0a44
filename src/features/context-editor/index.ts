/**
 * The context editor's public API: first-load code only, deliberately tiny. The drawer's
 * editing pieces and the editor itself are lazy chunks behind `useContextEditor`.
 */
export {
  createEditingStore,
  useContextEditor,
  type ContextEditorIntegration,
  type DrawerSlot,
  type EditingStore,
} from './components/context-editing';
// Sign-out (src/app) warns about unsaved drafts and removes them; no dependencies.
export { clearAllDrafts, unsavedDraftIds } from './lib/draft-storage';
