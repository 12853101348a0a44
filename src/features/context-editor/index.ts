/**
 * The context editor's public API (first-load code only: the editor itself is a lazy
 * chunk behind `useContextEditing`).
 */
export { useContextEditing, type ContextEditing } from './components/context-editing';
export { hasDraft } from './lib/draft-storage';
