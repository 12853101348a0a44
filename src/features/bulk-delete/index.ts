/**
 * Bulk delete's public API. The browse screen's composition root uses `useBulkDelete`;
 * the rest is exported for tests and for other screens that might list contexts.
 */
export { useBulkDelete, type BulkDelete } from './hooks/use-bulk-delete';
export { deleteJobs, useDeleteJobs } from './hooks/use-delete-jobs';
// The dialogs are not exported here: they load lazily (see hooks/use-bulk-delete.tsx), and
// a re-export would pull them into the first load.
export { ProgressBar, type ProgressBarProps } from './components/progress-bar';
export type { DeleteCandidate, DeleteRequest } from './types';
