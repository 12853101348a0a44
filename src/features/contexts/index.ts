/**
 * The contexts feature's public API for other features (the editor, bulk delete). First-
 * load safe: no zod, no Monaco.
 */
export { contextKeys } from './api/keys';
export { removeContextsFromCaches, updateContextInCaches } from './api/cache';
export { contextQueryOptions, fetchContext, useExecutionContext, type ContextWithEtag } from './api/get-context';
export {
  contextsInfiniteQueryOptions,
  fetchContextsPage,
  resetContextsList,
  useContextsInfinite,
  type ContextRows,
  type ContextsInfiniteData,
} from './api/list-contexts';
export {
  EMPTY_FILTERS,
  parseSearch,
  serializeSearch,
  toListQuery,
  type BrowseState,
  type ContextListFilters,
} from './filters';
export {
  contextColumnHelper,
  contextTableFeatures,
  type ContextColumnDef,
  type ContextColumnMeta,
  type ContextRow,
  type ContextTableFeatures,
} from './components/columns';
export type { ContextDrawerSlot } from './components/context-drawer';
export { ContextsView, type ContextsToolbarSlot, type ContextsViewProps } from './components/contexts-view';
export { JsonViewer, type JsonViewerProps } from './components/json-viewer';
