/**
 * "Download as JSON" in the confirmation: fetches the candidates in full (read budget) and
 * saves them as a file, with progress; cancelled when the dialog closes.
 */
import { useEffect, useRef, useState } from 'react';
import type { ExecutionContext } from '@contract/types';
import { describeError } from '@/components/ui';
import { EMPTY_FILTERS } from '@/features/contexts/filters';
import { BACKUP_PAGE_SIZE, fetchContextOrNull, fetchFullContextsPage } from '../api/backup-contexts';
import { backupDocument, backupFileName, backupText, collectBackup, saveJsonFile } from '../lib/backup';
import type { ResolvedCandidates } from './use-resolved-request';

export type BackupState =
  | { status: 'idle' }
  | { status: 'running'; fetched: number; total: number }
  | { status: 'done'; fileName: string; count: number; missing: number }
  | { status: 'error'; message: string };

export function useBackup(
  resolved: ResolvedCandidates | null,
  known: ReadonlyMap<string, ExecutionContext> | undefined,
): { state: BackupState; start: () => void } {
  const [state, setState] = useState<BackupState>({ status: 'idle' });
  const controller = useRef<AbortController | null>(null);
  const [forResolved, setForResolved] = useState(resolved);
  if (forResolved !== resolved) {
    // Other candidates: the earlier file no longer describes them.
    setForResolved(resolved);
    setState({ status: 'idle' });
  }

  useEffect(
    () => () => {
      controller.current?.abort();
    },
    [resolved],
  );

  const start = () => {
    if (!resolved || state.status === 'running') return;
    controller.current?.abort();
    const current = new AbortController();
    controller.current = current;
    const ids = resolved.candidates.map((c) => c.id);
    const { filters } = resolved;
    setState({ status: 'running', fetched: 0, total: ids.length });
    collectBackup({
      ids,
      known,
      lastIndex: filters === null ? null : resolved.lastIndex,
      pageSize: BACKUP_PAGE_SIZE,
      // Without filters lastIndex is null and no page is walked.
      fetchPage: (after, signal) => fetchFullContextsPage(filters ?? EMPTY_FILTERS, after, signal),
      fetchOne: fetchContextOrNull,
      signal: current.signal,
      onProgress: ({ fetched, total }) => {
        if (!current.signal.aborted) setState({ status: 'running', fetched, total });
      },
    }).then(
      (backup) => {
        if (current.signal.aborted) return;
        const now = new Date();
        const fileName = backupFileName(now, backup.contexts.length);
        saveJsonFile(fileName, backupText(backupDocument(backup, now)));
        setState({ status: 'done', fileName, count: backup.contexts.length, missing: backup.missing.length });
      },
      (error: unknown) => {
        if (!current.signal.aborted) setState({ status: 'error', message: describeError(error).message });
      },
    );
  };

  return { state, start };
}
