/**
 * "Recently deleted" (admins): contexts deleted within DELETED_RETENTION_DAYS, newest
 * deletion first, filters in the URL (`agent_id`, `workflow_id`, `deleted_since`,
 * `deleted_by`, `delete_job`). Restore one, the selected ones or all of one delete job
 * (paced by the write budget, with progress and a per-id report), or erase for good.
 */
import { useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import type { DeletedContext } from '@contract/accountability-types';
import { Page, PageHeader } from '@/components/layout';
import {
  AlertDialog,
  Badge,
  Button,
  Checkbox,
  Dialog,
  EmptyState,
  ErrorState,
  RelativeTime,
  Spinner,
  TextField,
  describeError,
  toast,
} from '@/components/ui';
import { contextKeys } from '@/features/contexts/api/keys';
import '@/styles/admin-pages.css';
import { eraseDeleted } from '../api/erase-deleted';
import { historyKeys } from '../api/keys';
import { fetchDeleted, useDeletedContexts } from '../api/list-deleted';
import { restoreDeleted } from '../api/restore-deleted';
import { runRestores, type RestoreProgress } from '../lib/restore-run';
import { toRfc3339 } from '../lib/url-filters';
import { useUrlFilters } from '../lib/use-url-filters';
import { RestoreReport } from './restore-report';

const FILTERS = ['agent_id', 'workflow_id', 'deleted_since', 'deleted_by', 'delete_job'] as const;

/** Every id of one delete job (all pages). */
async function idsOfJob(job: string): Promise<string[]> {
  const ids: string[] = [];
  let after: string | undefined;
  do {
    const page = await fetchDeleted({ delete_job: job }, after);
    ids.push(...page.data.map((row) => row.id));
    after = page.next_cursor ?? undefined;
  } while (after !== undefined);
  return ids;
}

export function RecentlyDeletedPage() {
  const [filters, setFilters] = useUrlFilters(FILTERS);
  const query = {
    ...(filters.agent_id ? { agent_id: filters.agent_id } : {}),
    ...(filters.workflow_id ? { workflow_id: filters.workflow_id } : {}),
    ...(toRfc3339(filters.deleted_since) ? { deleted_since: toRfc3339(filters.deleted_since) } : {}),
    ...(filters.deleted_by ? { deleted_by: filters.deleted_by } : {}),
    ...(filters.delete_job ? { delete_job: filters.delete_job } : {}),
  };
  const deleted = useDeletedContexts(query);
  const queryClient = useQueryClient();
  const [selected, setSelected] = useState<ReadonlySet<string>>(new Set());
  const [run, setRun] = useState<{ progress: RestoreProgress; running: boolean } | null>(null);

  const rows: DeletedContext[] = deleted.data?.pages.flatMap((page) => page.data) ?? [];

  const restoreIds = async (ids: string[]) => {
    if (ids.length === 0) return;
    setRun({ progress: { done: 0, total: ids.length, outcomes: new Map() }, running: true });
    const result = await runRestores(ids, restoreDeleted, (progress) => setRun({ progress, running: true }));
    setRun({ progress: result, running: false });
    setSelected(new Set());
    await queryClient.invalidateQueries({ queryKey: historyKeys.deleted() });
    await queryClient.invalidateQueries({ queryKey: contextKeys.lists() });
  };

  const eraseIds = async (ids: string[]) => {
    let erased = 0;
    for (const id of ids) {
      try {
        await eraseDeleted(id);
        erased += 1;
      } catch (error) {
        toast.error(`Could not erase ${id}`, { description: describeError(error).message });
      }
    }
    toast.success(`${erased} context${erased === 1 ? '' : 's'} erased for good`);
    setSelected(new Set());
    await queryClient.invalidateQueries({ queryKey: historyKeys.deleted() });
  };

  const apply = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const data = new FormData(event.currentTarget);
    setFilters(Object.fromEntries(FILTERS.map((name) => [name, String(data.get(name) ?? '')])));
  };

  const toggle = (id: string, on: boolean) =>
    setSelected((current) => {
      const next = new Set(current);
      if (on) next.add(id);
      else next.delete(id);
      return next;
    });

  // A new form (inputs reset to the URL's values) whenever the filters change.
  const formKey = JSON.stringify(filters); // fidelity-ok: the filter strings, no context
  return (
    <Page>
      <PageHeader
        title="Recently deleted"
        description="Deleted contexts stay restorable here for the retention period, then they are erased for good. For the API they are gone."
        actions={
          filters.delete_job ? (
            <Button variant="primary" onClick={() => void idsOfJob(filters.delete_job ?? '').then(restoreIds)}>
              Restore all of this job
            </Button>
          ) : undefined
        }
      />
      <form className="admin-filters" aria-label="Deleted context filters" onSubmit={apply} key={formKey}>
        <TextField label="Agent id" name="agent_id" defaultValue={filters.agent_id ?? ''} />
        <TextField label="Workflow id" name="workflow_id" defaultValue={filters.workflow_id ?? ''} />
        <TextField label="Deleted since" name="deleted_since" type="date" defaultValue={filters.deleted_since ?? ''} />
        <TextField label="Deleted by (key id)" name="deleted_by" defaultValue={filters.deleted_by ?? ''} />
        <TextField label="Delete job" name="delete_job" defaultValue={filters.delete_job ?? ''} />
        <Button type="submit">Apply filters</Button>
      </form>
      <div className="admin-filters" role="group" aria-label="Selection">
        <Button disabled={selected.size === 0} onClick={() => void restoreIds([...selected])}>
          Restore selected ({selected.size})
        </Button>
        <AlertDialog
          trigger={
            <Button variant="danger" disabled={selected.size === 0}>
              Delete permanently ({selected.size})
            </Button>
          }
          title={`Erase ${selected.size} context${selected.size === 1 ? '' : 's'} for good?`}
          description="Their content and every version are erased now and cannot be restored. The activity log keeps that it happened."
          confirmLabel="Erase for good"
          onConfirm={() => eraseIds([...selected])}
        />
      </div>
      {deleted.isPending ? (
        <Spinner label="Loading deleted contexts" />
      ) : deleted.isError ? (
        <ErrorState error={deleted.error} onRetry={() => void deleted.refetch()} retrying={deleted.isFetching} />
      ) : rows.length === 0 ? (
        <EmptyState title="Nothing recently deleted matches" description="Deleted contexts appear here while they can be restored." />
      ) : (
        <>
          <table className="data-table">
            <caption className="sr-only">Recently deleted contexts</caption>
            <thead>
              <tr>
                <th scope="col">
                  <span className="sr-only">Select</span>
                </th>
                <th scope="col">ID</th>
                <th scope="col">Agent</th>
                <th scope="col">Deleted</th>
                <th scope="col">By</th>
                <th scope="col">Restorable until</th>
                <th scope="col">
                  <span className="sr-only">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {rows.map((row) => (
                <tr key={row.id}>
                  <td>
                    <Checkbox
                      label={`Select ${row.id}`}
                      hideLabel
                      checked={selected.has(row.id)}
                      onChange={(event) => toggle(row.id, event.target.checked)}
                    />
                  </td>
                  <th scope="row">
                    <code>{row.id}</code>
                  </th>
                  <td>{row.agent_id ?? '—'}</td>
                  <td>
                    <RelativeTime date={row.deleted_at} />
                    {row.delete_job && (
                      <Button size="sm" variant="ghost" onClick={() => setFilters({ delete_job: row.delete_job ?? '' })}>
                        Show its job
                      </Button>
                    )}
                  </td>
                  <td>
                    {row.deleted_by.name} <Badge tone="neutral">{row.deleted_by.role}</Badge>
                  </td>
                  <td>
                    <RelativeTime date={row.restorable_until} />
                  </td>
                  <td>
                    <Button size="sm" onClick={() => void restoreIds([row.id])}>
                      Restore <span className="sr-only">{row.id}</span>
                    </Button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          {deleted.hasNextPage && (
            <Button onClick={() => void deleted.fetchNextPage()} loading={deleted.isFetchingNextPage}>
              Load more
            </Button>
          )}
        </>
      )}
      <Dialog
        open={run !== null}
        onOpenChange={(open) => {
          if (!open && run && !run.running) setRun(null);
        }}
        title={run?.running ? 'Restoring…' : 'Restore finished'}
      >
        {run && <RestoreReport progress={run.progress} running={run.running} />}
      </Dialog>
    </Page>
  );
}
