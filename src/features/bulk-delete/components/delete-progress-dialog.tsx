/**
 * The running delete and, once it ends, its report — one dialog, so that the report takes
 * the place of the progress the admin was watching.
 *
 * Closing it while the job runs does not stop anything: the job lives in the tab's store,
 * the header shows its progress and reopens this dialog. Cancel stops further requests at
 * once (those in flight finish and are reported).
 */
import { lazy, Suspense } from 'react';
import type { RateLimitRule } from '@contract/constants';
import { Button, CopyButton, Dialog } from '@/components/ui';
import type { DeleteJobSnapshot } from '../lib/delete-queue';
import type { DeleteJobRecord } from '../lib/delete-jobs';
import { formatCount, formatTimeLeft, idsForClipboard, pluralContexts, settledCount } from '../lib/wording';
import { secondClock, useClock } from '@/lib/clock';
import { ProgressBar } from './progress-bar';

/** "Undo" (issue 11) loads only when a report shows: it is not part of the first load. */
const UndoDelete = lazy(() => import('@/features/history/components/undo-delete').then((m) => ({ default: m.UndoDelete })));

export interface DeleteProgressDialogProps {
  record: DeleteJobRecord | null;
  open: boolean;
  /** The dialog asks to close (Escape, ×, "Run in background", "Done"). */
  onClose: () => void;
  onCancel: () => void;
  onRetryFailed: () => void;
  /** The session's delete limits, to explain the pace; null: unlimited. */
  limits: RateLimitRule | null;
}


/** One group of the report, in display order. */
interface ReportGroup {
  key: string;
  title: string;
  /** Who the copy button copies, for its accessible name: "deleted ids". */
  noun: string;
  ids: readonly string[];
  tone: 'success' | 'neutral' | 'warning' | 'danger';
  explanation: string;
}

export function reportGroups(snapshot: DeleteJobSnapshot): ReportGroup[] {
  const { groups } = snapshot;
  const notAttempted = [...groups.cancelled, ...groups.not_attempted];
  const groupsInOrder: ReportGroup[] = [
    { key: 'deleted', title: 'Deleted', noun: 'deleted', ids: groups.deleted, tone: 'success', explanation: 'Deleted by this job.' },
    {
      key: 'gone',
      title: 'Already gone',
      noun: 'already gone',
      ids: groups.gone,
      tone: 'neutral',
      explanation: 'Someone else deleted these first (404). Nothing is left to do.',
    },
    {
      key: 'in_use',
      title: 'In use (kept)',
      noun: 'in use',
      ids: groups.in_use,
      tone: 'warning',
      explanation: 'Running or waiting for input: the server refused to delete them (409). They are still there.',
    },
    {
      key: 'failed',
      title: 'Failed',
      noun: 'failed',
      ids: groups.failed,
      tone: 'danger',
      explanation: 'These could not be deleted, even after retries. They are still there.',
    },
    {
      key: 'forbidden',
      title: 'Not allowed',
      noun: 'not allowed',
      ids: groups.forbidden,
      tone: 'danger',
      explanation: 'The server refused this key (401/403), so the job stopped here.',
    },
    {
      key: 'not_attempted',
      title: 'Not attempted',
      noun: 'not attempted',
      ids: notAttempted,
      tone: 'neutral',
      explanation: 'The job stopped before these were sent. They are still there.',
    },
  ];
  return groupsInOrder.filter((group) => group.ids.length > 0);
}

function titleOf(record: DeleteJobRecord): string {
  const { snapshot, isRetry } = record;
  const { counts } = snapshot;
  if (snapshot.phase !== 'finished') {
    if (snapshot.phase === 'stopping') return 'Stopping the delete…';
    return isRetry ? `Retrying ${pluralContexts(counts.total)}` : `Deleting ${pluralContexts(counts.total)}`;
  }
  if (snapshot.stopReason === 'cancelled') return 'Delete cancelled';
  if (snapshot.stopReason === 'forbidden') return 'Delete stopped: not allowed';
  const removed = counts.deleted + counts.gone;
  return removed === counts.total
    ? `${pluralContexts(counts.total)} deleted`
    : `${formatCount(removed)} of ${pluralContexts(counts.total)} deleted`;
}

const paceText = (limits: RateLimitRule | null) =>
  limits ? `at most ${limits.perSecond} per second and ${limits.perMinute} per minute, as the API allows` : 'one after another';

export function DeleteProgressDialog({ record, open, onClose, onCancel, onRetryFailed, limits }: DeleteProgressDialogProps) {
  const running = record !== null && record.snapshot.phase !== 'finished';
  const now = useClock(secondClock, open && running);
  if (!record) return null;
  const { snapshot } = record;
  const { counts } = snapshot;
  const finished = snapshot.phase === 'finished';

  const description = finished
    ? snapshot.stopReason === 'forbidden'
      ? `The server answered: ${snapshot.stopMessage ?? 'not allowed'}. Nothing more was sent.`
      : 'Each context’s outcome is listed below; copy the ids of any group.'
    : `Requests go out ${paceText(limits)}. You can close this window: the delete goes on and its progress stays in the header.`;

  const footer = finished ? (
    <>
      {counts.failed > 0 && (
        <Button onClick={onRetryFailed}>Retry failed ({formatCount(counts.failed)})</Button>
      )}
      <Button variant="primary" onClick={onClose}>
        Done
      </Button>
    </>
  ) : (
    <>
      <Button variant="danger" onClick={onCancel} disabled={snapshot.phase === 'stopping'}>
        {snapshot.phase === 'stopping' ? 'Stopping…' : 'Cancel delete'}
      </Button>
      <Button onClick={onClose}>Run in background</Button>
    </>
  );

  return (
    <Dialog
      open={open}
      onOpenChange={(next) => {
        if (!next) onClose();
      }}
      title={titleOf(record)}
      description={description}
      footer={footer}
      size="lg"
      closeLabel={finished ? 'Close the report' : 'Close (the delete goes on)'}
      className="bd-progress-dialog"
    >
      <JobProgress snapshot={snapshot} now={now} />
      {finished && (
        <Suspense fallback={null}>
          <UndoDelete key={record.key} ids={snapshot.groups.deleted} />
        </Suspense>
      )}
      {finished && <Report snapshot={snapshot} />}
    </Dialog>
  );
}

/** The bar, the counts and the time left. */
export function JobProgress({ snapshot, now }: { snapshot: DeleteJobSnapshot; now: number }) {
  const { counts } = snapshot;
  const settled = settledCount(snapshot);
  const finished = snapshot.phase === 'finished';
  const pausedFor = snapshot.pausedUntil !== null ? snapshot.pausedUntil - now : 0;
  let timing: string;
  if (finished) {
    const seconds = Math.max(0, ((snapshot.finishedAt ?? now) - snapshot.startedAt) / 1000);
    timing = `Took ${seconds < 10 ? seconds.toFixed(1) : Math.round(seconds)} s.`;
  } else if (snapshot.phase === 'stopping') {
    timing = `Waiting for ${counts.inFlight === 1 ? 'the request' : `${counts.inFlight} requests`} in flight.`;
  } else if (pausedFor > 500) {
    timing = `The server asked to wait: resuming in ${Math.ceil(pausedFor / 1000)} s.`;
  } else if (snapshot.estimatedEndAt !== null) {
    timing = `${capitalize(formatTimeLeft(snapshot.estimatedEndAt - now))}.`;
  } else {
    timing = 'Estimating the time left…';
  }
  const items: Array<[string, number, string]> = [
    ['Deleted', counts.deleted + counts.gone, 'success'],
    ['Refused (in use)', counts.in_use, 'warning'],
    ['Failed', counts.failed + counts.forbidden, 'danger'],
    [finished ? 'Not attempted' : 'Remaining', finished ? counts.cancelled + counts.not_attempted : counts.remaining, 'neutral'],
  ];
  return (
    <div className="bd-job">
      <div className="bd-job__bar">
        <ProgressBar
          value={settled}
          max={counts.total}
          label="Delete progress"
          valueText={`${formatCount(settled)} of ${formatCount(counts.total)} done`}
        />
        <span className="bd-job__fraction" aria-hidden="true">
          {formatCount(settled)} / {formatCount(counts.total)}
        </span>
      </div>
      <dl className="bd-counts">
        {items.map(([label, value, tone]) => (
          <div key={label} className={`bd-counts__item bd-counts__item--${tone}`} data-empty={value === 0 || undefined}>
            <dt>{label}</dt>
            <dd>{formatCount(value)}</dd>
          </div>
        ))}
      </dl>
      <p className="bd-job__timing">{timing}</p>
    </div>
  );
}

const capitalize = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);

function Report({ snapshot }: { snapshot: DeleteJobSnapshot }) {
  const groups = reportGroups(snapshot);
  const reasons = new Map(snapshot.problems.map((p) => [p.id, p.message]));
  return (
    <div className="bd-report">
      {groups.map((group) => {
        const headingId = `bd-report-${group.key}`;
        return (
          <section key={group.key} className={`bd-report__group bd-report__group--${group.tone}`} aria-labelledby={headingId}>
            <header className="bd-report__head">
              <h3 id={headingId} className="bd-report__title">
                {group.title} <span className="bd-report__count">{formatCount(group.ids.length)}</span>
              </h3>
              <CopyButton
                text={idsForClipboard(group.ids)}
                label={`Copy the ${formatCount(group.ids.length)} ${group.noun} ${group.ids.length === 1 ? 'id' : 'ids'}`}
                variant="ghost"
                size="sm"
              >
                Copy ids
              </CopyButton>
            </header>
            <p className="bd-report__explanation">{group.explanation}</p>
            <ul className="bd-idlist bd-idlist--scroll" aria-label={`${group.title} ids`}>
              {group.ids.map((id) => (
                <li key={id} className="bd-idlist__item">
                  <code className="bd-idlist__id">{id}</code>
                  {group.key === 'failed' && reasons.get(id) && <span className="bd-idlist__reason">{reasons.get(id)}</span>}
                </li>
              ))}
            </ul>
          </section>
        );
      })}
    </div>
  );
}
