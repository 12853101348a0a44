/**
 * The review before a save: exactly what will change on the server, as a diff of the
 * latest version against the result. Whatever the user confirms here is what the PATCH
 * sends (with If-Match on this latest version), so the diff is never an approximation.
 */
import { Badge } from '@/components/ui';
import type { DocumentChange } from '@/lib/merge-patch';
import type { AppTheme } from '../hooks/use-document-theme';
import { changeKind, contextText, describePath, previewValue, summarizeChanges, toEditable, type SavePlan } from '../lib/save-flow';
import JsonDiffView from './json-diff-view';
import { Notice, versionLabel } from './notice';

type ReadyPlan = Extract<SavePlan, { kind: 'ready' }>;

const MAX_LISTED = 12;
const KIND_TONES = { added: 'green', removed: 'red', changed: 'blue' } as const;

export interface ReviewViewProps {
  contextId: string;
  plan: ReadyPlan;
  /** A 412 made us merge again into a newer version. */
  rebased: boolean;
  theme: AppTheme;
}

export function ReviewView({ contextId, plan, rebased, theme }: ReviewViewProps) {
  const latest = toEditable(plan.latest.context);
  const version = versionLabel(plan.latest.etag);
  const contextChanges = plan.changes.filter((c) => c.path[0] !== 'session_id');
  const sessionChange = plan.changes.find((c) => c.path[0] === 'session_id');

  return (
    <section className="ctx-review" aria-labelledby="ctx-review-title">
      <div className="ctx-review__intro">
        <h3 id="ctx-review-title" className="ctx-editor__heading">
          Review: {summarizeChanges(plan.changes)}
        </h3>
        <p className="ctx-editor__lead">
          Exactly what will change on the server, compared with the latest version of {contextId} ({version}). Nothing is
          saved until you confirm.
        </p>
      </div>
      {rebased && (
        <Notice tone="info" title={`Someone else saved ${version} while you were working`}>
          Their changes are kept and yours are merged on top of them. This is the updated result — review it again.
        </Notice>
      )}
      <ChangeList changes={plan.changes} />
      {sessionChange && (
        <p className="ctx-review__session">
          <span className="ctx-review__session-label">session_id</span>
          <code>{previewValue(sessionChange.before ?? null)}</code>
          <span aria-hidden="true">→</span>
          <span className="sr-only">becomes</span>
          <code>{previewValue(sessionChange.after ?? null)}</code>
        </p>
      )}
      {contextChanges.length > 0 ? (
        <div className="ctx-editor__frame ctx-review__diff">
          <JsonDiffView
            original={contextText(latest)}
            modified={contextText(plan.result)}
            originalLabel={`Context on the server now (${version})`}
            modifiedLabel="Context after your save"
            theme={theme}
          />
        </div>
      ) : (
        <p className="ctx-editor__lead">The context document itself does not change.</p>
      )}
    </section>
  );
}

function ChangeList({ changes }: { changes: readonly DocumentChange[] }) {
  const listed = changes.slice(0, MAX_LISTED);
  return (
    <ul className="ctx-review__changes" aria-label="Changed keys">
      {listed.map((change) => {
        const kind = changeKind(change);
        return (
          <li key={change.pointer} className="ctx-review__change">
            <Badge tone={KIND_TONES[kind]} size="sm">
              {kind}
            </Badge>
            <code className="ctx-review__path">{describePath(change.path)}</code>
          </li>
        );
      })}
      {changes.length > listed.length && <li className="ctx-review__more">and {changes.length - listed.length} more</li>}
    </ul>
  );
}
