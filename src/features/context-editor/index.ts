/**
 * The context editor's public API (first-load code only: the editor itself is a lazy
 * chunk behind these components).
 */
export {
  createEditingStore,
  EditableContextBody,
  EditContextButton,
  useContextEditor,
  type ContextEditorIntegration,
  type DrawerSlot,
  type EditingStore,
} from './components/context-editing';
export { hasDraft } from './lib/draft-storage';
