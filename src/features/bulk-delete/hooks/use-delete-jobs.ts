/**
 * The tab's delete-job store (one per tab, see lib/delete-jobs.ts) and its React hook.
 * Module-level on purpose: the job outlives the dialog, the drawer and re-renders.
 */
import { useSyncExternalStore } from 'react';
import { rateBudget } from '@/lib/rate-limits';
import { deleteContext } from '../api/delete-context';
import { DeleteJobsStore, type DeleteJobsState } from '../lib/delete-jobs';

export const deleteJobs = new DeleteJobsStore({
  deleteOne: (id, signal, job) => deleteContext(id, signal, job),
  // Read at each start: the session configures the budgets once it knows the key's limits.
  budget: () => rateBudget('delete'),
});

export function useDeleteJobs(): DeleteJobsState {
  return useSyncExternalStore(deleteJobs.subscribe, deleteJobs.getSnapshot, deleteJobs.getSnapshot);
}
