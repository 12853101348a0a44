/**
 * The confirmation of a delete (alertdialog), for a selection and for one context from the
 * drawer alike. It says exactly what will happen: how many, the first ids, how many are in
 * use and will be refused, that it is permanent — and for 50 or more the admin types the
 * number. An all-matching selection is resolved to concrete ids first; the delete button
 * stays disabled until then. "Download as JSON" saves the contexts before they go.
 */
import { useId, useState } from 'react';
import { isInUse } from '@contract/constants';
import type { ExecutionContext } from '@contract/types';
import {
  AlertDialog,
  AlertTriangleIcon,
  Button,
  ErrorState,
  Spinner,
  StatusBadge,
  TextField,
} from '@/components/ui';
import type { ResolvedSelection } from '../lib/selection';
import {
  firstIds,
  formatCount,
  needsTypedConfirmation,
  pluralContexts,
  typedConfirmationMatches,
} from '../lib/wording';
import { useBackup } from '../hooks/use-backup';
import { useResolvedRequest, type ResolvedCandidates } from '../hooks/use-resolved-request';
import type { DeleteRequest } from '../types';
import { useCurrentSession } from '@/features/auth';
import { deletionConsequence } from '../lib/wording';
import { ProgressBar } from './progress-bar';

export interface DeleteConfirmDialogProps {
  /** What to confirm; null: closed. */
  request: DeleteRequest | null;
  onClose: () => void;
  /** The admin confirmed: delete these candidates. */
  onConfirm: (resolved: ResolvedCandidates) => void;
  /** An all-matching selection was resolved (its exact count is now known). */
  onResolved?: (resolved: ResolvedSelection<{ id: string; status: ExecutionContext['status'] }>) => void;
  /** Another delete is running: confirming is not possible until it ends. */
  busy?: boolean;
}

export function DeleteConfirmDialog({ request, onClose, onConfirm, onResolved, busy = false }: DeleteConfirmDialogProps) {
  const { state, retry } = useResolvedRequest(request, onResolved);
  const session = useCurrentSession();
  const ready = state?.status === 'ready' ? state : null;
  const known = request?.kind === 'ids' ? request.known : undefined;
  const backup = useBackup(ready, known);
  const [typed, setTyped] = useState('');
  const [typedFor, setTypedFor] = useState(request);
  if (typedFor !== request) {
    setTypedFor(request);
    setTyped('');
  }
  const listId = useId();

  const count = ready?.candidates.length ?? 0;
  const inUse = ready ? ready.candidates.filter((c) => c.status !== null && isInUse(c.status)).length : 0;
  const unknown = ready ? ready.candidates.filter((c) => c.status === null).length : 0;
  const typedNeeded = needsTypedConfirmation(count);
  const typedOk = !typedNeeded || typedConfirmationMatches(typed, count);
  const backingUp = backup.state.status === 'running';

  const title = ready
    ? count === 0
      ? 'Nothing left to delete'
      : `Delete ${pluralContexts(count)}?`
    : 'Delete all matching contexts?';

  let body;
  if (!state || state.status === 'resolving') {
    const progress = state?.progress;
    body = (
      <div className="bd-confirm__resolving">
        <ProgressBar
          value={null}
          max={0}
          label="Finding the matching contexts"
          valueText={progress ? `${formatCount(progress.scanned)} found so far` : 'Starting'}
        />
        <p className="bd-confirm__note" aria-live="polite">
          <Spinner size={12} label={null} /> Finding every matching context
          {progress ? ` — ${formatCount(progress.selected)} so far` : '…'}
        </p>
        <p className="bd-confirm__hint">Delete becomes available once the exact list is known.</p>
      </div>
    );
  } else if (state.status === 'error') {
    body = (
      <ErrorState
        title="Could not list the matching contexts"
        message={`${state.message} Nothing has been deleted.`}
        onRetry={retry}
        headingLevel={3}
        compact
      />
    );
  } else {
    const { shown, more } = firstIds(state.candidates.map((c) => c.id));
    const statusOf = new Map(state.candidates.map((c) => [c.id, c.status]));
    body =
      count === 0 ? (
        <p className="bd-confirm__note">No context matches the selection any more: nothing will be deleted.</p>
      ) : (
        <div className="bd-confirm">
          {inUse < count && (
            <p className="bd-confirm__summary">
              {inUse === 0 ? (
                <>
                  <strong>{pluralContexts(count)}</strong> will be deleted.
                </>
              ) : (
                <>
                  <strong>{formatCount(count - inUse)}</strong> of {pluralContexts(count)} will be deleted.
                </>
              )}
            </p>
          )}
          {inUse > 0 && (
            <p className="bd-callout bd-callout--warning">
              <AlertTriangleIcon size={16} className="bd-callout__icon" />
              {inUse < count ? (
                <span>
                  <strong>
                    {formatCount(inUse)} {inUse === 1 ? 'is' : 'are'} in use
                  </strong>{' '}
                  (running or waiting for input): the server will refuse to delete {inUse === 1 ? 'it' : 'them'}, and{' '}
                  {inUse === 1 ? 'it stays' : 'they stay'}.
                </span>
              ) : (
                <span>
                  <strong>{count === 1 ? 'This context is in use' : `All ${formatCount(count)} are in use`}</strong> (running or
                  waiting for input): the server will refuse to delete {count === 1 ? 'it' : 'them'}. Nothing is deleted while{' '}
                  {count === 1 ? 'it is' : 'they are'} in use.
                </span>
              )}
            </p>
          )}
          {unknown > 0 && (
            <p className="bd-confirm__hint">
              {formatCount(unknown)} selected {unknown === 1 ? 'context is' : 'contexts are'} not in the loaded rows; the
              server checks whether {unknown === 1 ? 'it is' : 'they are'} in use when deleting.
            </p>
          )}
          <div className="bd-confirm__ids">
            <p id={listId} className="bd-confirm__label">
              {more > 0 ? `First ${shown.length} of ${formatCount(count)}` : count === 1 ? 'Context' : 'Contexts'}
            </p>
            <ul aria-labelledby={listId} className="bd-idlist">
              {shown.map((id) => {
                const status = statusOf.get(id) ?? null;
                return (
                  <li key={id} className="bd-idlist__item">
                    <code className="bd-idlist__id">{id}</code>
                    {status !== null && isInUse(status) && <StatusBadge status={status} size="sm" />}
                  </li>
                );
              })}
            </ul>
            {more > 0 && <p className="bd-confirm__more">and {formatCount(more)} more</p>}
          </div>
          <BackupRow state={backup.state} onStart={backup.start} count={count} />
          {typedNeeded && (
            <TextField
              label={`Type ${count} to confirm`}
              value={typed}
              onChange={(event) => setTyped(event.target.value)}
              inputMode="numeric"
              autoComplete="off"
              spellCheck={false}
              className="bd-confirm__typed"
            />
          )}
        </div>
      );
  }

  return (
    <AlertDialog
      open={request !== null}
      onOpenChange={(open) => {
        if (!open) onClose();
      }}
      title={title}
      description={deletionConsequence(session?.retention.deleted_days ?? 0)}
      confirmLabel={ready && count > 0 ? `Delete ${pluralContexts(count)}` : 'Delete'}
      confirmDisabled={!ready || count === 0 || !typedOk || backingUp || busy}
      onConfirm={() => {
        if (ready) onConfirm(ready);
      }}
    >
      {body}
      {busy && ready && <p className="bd-confirm__hint">Another delete is running; wait for it to finish.</p>}
    </AlertDialog>
  );
}

function BackupRow({ state, onStart, count }: { state: ReturnType<typeof useBackup>['state']; onStart: () => void; count: number }) {
  let status: string;
  switch (state.status) {
    case 'idle':
      status = `Save ${count === 1 ? 'this context' : `these ${formatCount(count)} contexts`} as a JSON file first.`;
      break;
    case 'running':
      status = `Fetching ${formatCount(state.fetched)} of ${formatCount(state.total)}…`;
      break;
    case 'done':
      status =
        `Saved ${pluralContexts(state.count)} to ${state.fileName}.` +
        (state.missing > 0 ? ` ${formatCount(state.missing)} no longer existed.` : '');
      break;
    case 'error':
      status = `The backup failed: ${state.message}`;
      break;
  }
  return (
    <div className="bd-backup">
      <Button size="sm" onClick={onStart} loading={state.status === 'running'}>
        {state.status === 'done' ? 'Download again' : state.status === 'error' ? 'Retry download' : 'Download as JSON'}
      </Button>
      <p className={state.status === 'error' ? 'bd-backup__status bd-backup__status--error' : 'bd-backup__status'} role="status">
        {status}
      </p>
    </div>
  );
}
