/**
 * "Undo" in the bulk-delete report (admins, when deleted contexts stay restorable): restores
 * the ids the job deleted through POST …/deleted-execution-contexts/{id}/restore, one after
 * another at the write budget's pace, with progress and a per-id report. Honest undo: the
 * deletes happened, and this puts each context back (same id, same content).
 */
import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Button } from '@/components/ui';
import { useCurrentSession } from '@/features/auth';
import { contextKeys } from '@/features/contexts/api/keys';
import { historyKeys } from '../api/keys';
import { restoreDeleted } from '../api/restore-deleted';
import { runRestores, type RestoreProgress } from '../lib/restore-run';
import { RestoreReport } from './restore-report';

export function UndoDelete({ ids }: { ids: readonly string[] }) {
  const session = useCurrentSession();
  const queryClient = useQueryClient();
  const [run, setRun] = useState<{ progress: RestoreProgress; running: boolean } | null>(null);
  if (session?.role !== 'admin' || session.retention.deleted_days <= 0 || ids.length === 0) return null;

  const start = async () => {
    setRun({ progress: { done: 0, total: ids.length, outcomes: new Map() }, running: true });
    const result = await runRestores(ids, restoreDeleted, (progress) => setRun({ progress, running: true }));
    setRun({ progress: result, running: false });
    await queryClient.invalidateQueries({ queryKey: contextKeys.lists() });
    await queryClient.invalidateQueries({ queryKey: historyKeys.deleted() });
  };

  if (run) {
    return (
      <section aria-label="Undo">
        <RestoreReport progress={run.progress} running={run.running} />
      </section>
    );
  }
  return (
    <Button onClick={() => void start()}>
      Undo: restore {ids.length === 1 ? 'the deleted context' : `the ${ids.length} deleted contexts`}
    </Button>
  );
}
