/**
 * The delete job in the app header (rendered into the frame's status slot): a small bar
 * and "Deleting 7 of 12" while it runs, "Delete finished — view report" after it ended
 * out of sight. Either reopens the dialog. Only the start and the end are announced
 * (a live region per settled id would flood a screen reader).
 */
import { IconButton, XIcon } from '@/components/ui';
import type { DeleteJobsState } from '../lib/delete-jobs';
import { formatCount } from '../lib/wording';
import { settledCount } from '../lib/wording';
import { ProgressBar } from './progress-bar';

export interface DeleteJobIndicatorProps {
  state: DeleteJobsState;
  onOpen: () => void;
  onDismiss: () => void;
}

export function DeleteJobIndicator({ state, onOpen, onDismiss }: DeleteJobIndicatorProps) {
  const { record, progressOpen } = state;
  if (!record) return null;
  const { snapshot } = record;
  const finished = snapshot.phase === 'finished';
  // Finished and seen in the dialog: nothing left to point at.
  if (finished && progressOpen) return null;
  const { counts } = snapshot;
  const settled = settledCount(snapshot);
  const removed = counts.deleted + counts.gone;
  const text = finished
    ? `Delete ${snapshot.stopReason === 'cancelled' ? 'cancelled' : 'finished'}: ${formatCount(removed)} deleted`
    : `Deleting ${formatCount(settled)} of ${formatCount(counts.total)}`;
  return (
    <div className="bd-indicator" data-finished={finished || undefined}>
      {!finished && (
        <ProgressBar
          value={settled}
          max={counts.total}
          label="Background delete progress"
          valueText={`${formatCount(settled)} of ${formatCount(counts.total)} done`}
          size="sm"
          className="bd-indicator__bar"
        />
      )}
      <button type="button" className="bd-indicator__button" onClick={onOpen}>
        {text}{' '}
        <span className="sr-only">{finished ? '— view the report' : '— show progress'}</span>
      </button>
      {finished && (
        <IconButton aria-label="Dismiss the delete report" icon={<XIcon size={12} />} size="sm" onClick={onDismiss} />
      )}
      <span className="sr-only" role="status">
        {finished ? text : `Deleting ${formatCount(counts.total)} contexts`}
      </span>
    </div>
  );
}
