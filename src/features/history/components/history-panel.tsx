/**
 * The drawer's History tab: the context's versions as a timeline (who, when, what, size),
 * a diff of the chosen version against the current one or its predecessor (the editor's
 * Monaco diff, lazily loaded), and — for editors — "Restore this version", reviewed in a
 * dialog and sent with If-Match like a save (412: someone saved meanwhile; review again).
 */
import { useQueryClient } from '@tanstack/react-query';
import { lazy, Suspense, useState } from 'react';
import type { VersionAction } from '@contract/accountability';
import type { VersionEntry } from '@contract/accountability-types';
import type { ExecutionContext } from '@contract/types';
import { Badge, Button, Dialog, EmptyState, ErrorState, RelativeTime, Spinner, describeError, toast } from '@/components/ui';
import { can, useRole } from '@/features/auth';
import { contextKeys } from '@/features/contexts/api/keys';
import { useDocumentTheme } from '@/features/context-editor/hooks/use-document-theme';
import { isApiError } from '@/lib/api-client';
import '@/styles/admin-pages.css';
import { useVersion } from '../api/get-version';
import { historyKeys } from '../api/keys';
import { useVersions } from '../api/list-versions';
import { useRestoreVersion } from '../api/restore-version';
import { prettyJsonText } from '../lib/pretty-json-text';

const JsonDiffView = lazy(() => import('@/features/context-editor/components/json-diff-view'));

const ACTION_LABELS: Record<VersionAction, string> = {
  create: 'Created',
  update: 'Updated',
  delete: 'Deleted',
  restore: 'Restored',
};

const formatSize = (bytes: number): string =>
  bytes < 1024 ? `${bytes} B` : bytes < 1024 * 1024 ? `${(bytes / 1024).toFixed(1)} KB` : `${(bytes / 1024 / 1024).toFixed(1)} MB`;

const versionOf = (etag: string | null): number | null => {
  const match = etag === null ? null : /^"v(\d+)"$/.exec(etag);
  return match ? Number(match[1]) : null;
};

export interface HistoryPanelProps {
  context: ExecutionContext;
  etag: string | null;
}

type Compare = 'current' | 'previous';

function VersionDiff({ id, version, against, againstLabel }: { id: string; version: number; against: number | null; againstLabel: string }) {
  const theme = useDocumentTheme();
  const chosen = useVersion(id, version);
  const base = useVersion(id, against);
  if (chosen.isError || base.isError) return <ErrorState error={chosen.error ?? base.error} compact headingLevel={3} />;
  if (!chosen.data || (against !== null && !base.data)) return <Spinner label="Loading the versions…" />;
  const original = against === null ? '' : prettyJsonText(base.data?.contextText ?? null);
  return (
    <div className="history-diff" style={{ height: 360 }}>
      <Suspense fallback={<Spinner label="Loading the diff…" />}>
        <JsonDiffView
          original={original}
          modified={prettyJsonText(chosen.data.contextText)}
          originalLabel={againstLabel}
          modifiedLabel={`Version ${version}`}
          theme={theme}
        />
      </Suspense>
    </div>
  );
}

export function HistoryPanel({ context, etag }: HistoryPanelProps) {
  const id = context.id;
  const versions = useVersions(id);
  const canRestore = can(useRole(), 'write');
  const [selected, setSelected] = useState<number | null>(null);
  const [compare, setCompare] = useState<Compare>('current');
  const [reviewing, setReviewing] = useState<number | null>(null);
  const restore = useRestoreVersion();
  const queryClient = useQueryClient();
  const current = versionOf(etag);

  if (versions.isPending) return <Spinner label="Loading the history…" />;
  if (versions.isError) return <ErrorState error={versions.error} onRetry={() => void versions.refetch()} compact headingLevel={3} />;
  const entries: VersionEntry[] = versions.data.pages.flatMap((page) => page.data);
  if (entries.length === 0) {
    return <EmptyState compact headingLevel={3} title="No history" description="No version of this context is kept (history is off, or its versions were pruned)." />;
  }
  const hasCurrent = current !== null && entries.some((entry) => entry.version === current);
  const predecessor = (version: number): number | null => {
    const older = entries.filter((entry) => entry.version < version);
    return older.length > 0 ? Math.max(...older.map((entry) => entry.version)) : null;
  };
  const shown = selected ?? entries[0]?.version ?? null;
  const against = compare === 'current' && hasCurrent ? current : shown === null ? null : predecessor(shown);

  const confirmRestore = async (version: number) => {
    if (etag === null) return;
    try {
      await restore.mutateAsync({ id, version, ifMatch: etag });
      toast.success(`Version ${version} restored`, { description: `${id} is now as it was in version ${version}.` });
      setReviewing(null);
    } catch (error) {
      if (isApiError(error) && error.status === 412) {
        // Someone saved meanwhile: load what is current now and let the user review again.
        await queryClient.invalidateQueries({ queryKey: contextKeys.detail(id) });
        await queryClient.invalidateQueries({ queryKey: historyKeys.versionList(id) });
        toast.error('The context changed meanwhile', {
          description: 'Someone saved it after you opened it. Review the restore against the current version again.',
        });
      } else {
        toast.error('Could not restore the version', { description: describeError(error).message });
      }
      setReviewing(null);
    }
  };

  return (
    <div className="history-panel">
      <ol className="history-list" aria-label="Versions">
        {entries.map((entry) => (
          <li key={entry.version} className="history-list__item" aria-current={entry.version === shown ? 'true' : undefined}>
            <div className="history-list__meta">
              <strong>v{entry.version}</strong> {ACTION_LABELS[entry.action]} by {entry.actor.name}{' '}
              <Badge tone="neutral">{entry.actor.role}</Badge> · <RelativeTime date={entry.at} /> · {formatSize(entry.context_size)}
              {entry.version === current && (
                <>
                  {' '}
                  <Badge tone="blue">current</Badge>
                </>
              )}
            </div>
            <Button size="sm" variant="ghost" aria-pressed={entry.version === shown} onClick={() => setSelected(entry.version)}>
              Show changes <span className="sr-only">of version {entry.version}</span>
            </Button>
            {canRestore && entry.version !== current && entry.action !== 'delete' && (
              <Button size="sm" onClick={() => setReviewing(entry.version)}>
                Restore this version <span className="sr-only">({entry.version})</span>
              </Button>
            )}
          </li>
        ))}
      </ol>
      {versions.hasNextPage && (
        <Button size="sm" onClick={() => void versions.fetchNextPage()} loading={versions.isFetchingNextPage}>
          Older versions
        </Button>
      )}
      {shown !== null && (
        <section aria-label={`Changes of version ${shown}`}>
          <div role="radiogroup" aria-label="Compare with" className="admin-filters">
            <label>
              <input type="radio" name="compare" checked={compare === 'current'} disabled={!hasCurrent} onChange={() => setCompare('current')} />{' '}
              Current version
            </label>
            <label>
              <input type="radio" name="compare" checked={compare === 'previous'} onChange={() => setCompare('previous')} /> Previous
              version
            </label>
          </div>
          <VersionDiff
            id={id}
            version={shown}
            against={against}
            againstLabel={against === null ? 'Nothing (first version)' : `Version ${against}${against === current ? ' (current)' : ''}`}
          />
        </section>
      )}
      <Dialog
        open={reviewing !== null}
        onOpenChange={(open) => {
          if (!open) setReviewing(null);
        }}
        size="lg"
        title={`Restore version ${reviewing ?? ''}?`}
        description={`The context and session id become what they were in version ${reviewing ?? ''}, as a new version. Below: current (left) → after the restore (right).`}
        footer={
          <>
            <Button variant="ghost" onClick={() => setReviewing(null)}>
              Cancel
            </Button>
            <Button variant="primary" loading={restore.isPending} onClick={() => reviewing !== null && void confirmRestore(reviewing)}>
              Restore version {reviewing ?? ''}
            </Button>
          </>
        }
      >
        {reviewing !== null && (
          <VersionDiff id={id} version={reviewing} against={hasCurrent ? current : null} againstLabel="Current version" />
        )}
      </Dialog>
    </div>
  );
}
