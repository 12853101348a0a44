/** Progress and per-id outcome of a paced restore (Recently deleted and the bulk-delete Undo). */
import type { RestoreProgress } from '../lib/restore-run';
import { groupOutcomes } from '../lib/restore-run';

const GROUP_TITLES = {
  restored: 'Restored',
  exists: 'Already exist again (not restored)',
  gone: 'No longer restorable (erased or pruned)',
  failed: 'Failed (try again)',
} as const;

export function RestoreReport({ progress, running }: { progress: RestoreProgress; running: boolean }) {
  const groups = groupOutcomes(progress.outcomes);
  return (
    <div className="restore-report">
      <progress aria-label="Restore progress" max={progress.total} value={progress.done} />
      <p role="status">
        {running ? `Restoring… ${progress.done} of ${progress.total}` : `Restored ${groups.restored.length} of ${progress.total}`}
      </p>
      {!running &&
        (Object.keys(GROUP_TITLES) as Array<keyof typeof GROUP_TITLES>).map((key) =>
          groups[key].length === 0 || key === 'restored' ? null : (
            <section key={key} aria-label={GROUP_TITLES[key]}>
              <h3>
                {GROUP_TITLES[key]} ({groups[key].length})
              </h3>
              <ul>
                {groups[key].map((id) => (
                  <li key={id}>
                    <code>{id}</code>
                  </li>
                ))}
              </ul>
            </section>
          ),
        )}
    </div>
  );
}
