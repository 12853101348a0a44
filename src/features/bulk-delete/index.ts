/**
 * Bulk delete's public API. The browse screen's composition root uses `useBulkDelete`;
 * the rest is exported for tests and for other screens that might list contexts.
 */
export { useBulkDelete, type BulkDelete } from './hooks/use-bulk-delete';
export { deleteJobs, useDeleteJobs } from './hooks/use-delete-jobs';
export { DeleteConfirmDialog, type DeleteConfirmDialogProps } from './components/delete-confirm-dialog';
export { DeleteProgressDialog, type DeleteProgressDialogProps } from './components/delete-progress-dialog';
export { ProgressBar, type ProgressBarProps } from './components/progress-bar';
export type { DeleteCandidate, DeleteRequest } from './types';
