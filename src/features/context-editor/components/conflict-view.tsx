/**
 * Both the user and someone else changed the same keys: list each one with the three
 * values (as it was, yours, theirs) and let the user pick a side per key. There is no
 * default choice — nothing is decided for the user — and the review comes only once every
 * conflict is settled.
 */
import { stringifyJson } from '@contract/json/lossless-json';
import type { JsonValue } from '@contract/types';
import { Button } from '@/components/ui';
import type { ConflictChoice, MergeConflict } from '@/lib/merge-patch';
import { describePath } from '../lib/save-flow';
import { Notice, versionLabel } from './notice';

/** Long values are cut in the list; the review diff shows the full result. */
const MAX_VALUE_CHARS = 1200;

export interface ConflictViewProps {
  conflicts: readonly MergeConflict[];
  choices: Readonly<Record<string, ConflictChoice>>;
  onChoose: (pointer: string, choice: ConflictChoice) => void;
  onChooseAll: (choice: ConflictChoice) => void;
  /** ETag of the version the user started from, and of the latest one. */
  baseEtag: string | null;
  latestEtag: string;
  rebased: boolean;
}

export function ConflictView({ conflicts, choices, onChoose, onChooseAll, baseEtag, latestEtag, rebased }: ConflictViewProps) {
  const settled = conflicts.filter((c) => choices[c.pointer] !== undefined).length;
  const count = conflicts.length === 1 ? '1 conflict' : `${conflicts.length} conflicts`;
  return (
    <section className="ctx-conflicts" aria-labelledby="ctx-conflicts-title">
      <div className="ctx-review__intro">
        <h3 id="ctx-conflicts-title" className="ctx-editor__heading">
          Resolve {count}
        </h3>
        <p className="ctx-editor__lead">
          {rebased ? 'Someone saved again while you were reviewing' : 'Someone else saved this context while you were editing'}{' '}
          ({versionLabel(baseEtag)} → {versionLabel(latestEtag)}) and changed the same {conflicts.length === 1 ? 'key' : 'keys'}{' '}
          differently. Choose which value to keep for each; all other changes — theirs and yours — are merged.
        </p>
      </div>
      <div className="ctx-conflicts__bulk">
        <span className="ctx-conflicts__progress" role="status">
          {settled} of {conflicts.length} settled
        </span>
        <Button size="sm" onClick={() => onChooseAll('mine')}>
          Keep all mine
        </Button>
        <Button size="sm" onClick={() => onChooseAll('theirs')}>
          Keep all theirs
        </Button>
      </div>
      <ol className="ctx-conflicts__list">
        {conflicts.map((conflict) => (
          <ConflictItem
            key={conflict.pointer}
            conflict={conflict}
            choice={choices[conflict.pointer]}
            onChoose={(choice) => onChoose(conflict.pointer, choice)}
            latestEtag={latestEtag}
          />
        ))}
      </ol>
      {settled < conflicts.length && (
        <Notice tone="warning" role="status">
          Settle every conflict to review the merged result.
        </Notice>
      )}
    </section>
  );
}

function ConflictItem({
  conflict,
  choice,
  onChoose,
  latestEtag,
}: {
  conflict: MergeConflict;
  choice: ConflictChoice | undefined;
  onChoose: (choice: ConflictChoice) => void;
  latestEtag: string;
}) {
  const name = describePath(conflict.path);
  const radioName = `conflict-${conflict.pointer}`;
  return (
    <li className="ctx-conflict">
      <fieldset className="ctx-conflict__fieldset">
        <legend className="ctx-conflict__legend">
          <code>{name}</code>
        </legend>
        <div className="ctx-conflict__values">
          <ValueBlock label="Before" value={conflict.base} />
          <ValueBlock label="Yours" value={conflict.mine} chosen={choice === 'mine'} />
          <ValueBlock label={`Theirs (${versionLabel(latestEtag)})`} value={conflict.theirs} chosen={choice === 'theirs'} />
        </div>
        <div className="ctx-conflict__choices">
          <label className="ctx-choice">
            <input type="radio" name={radioName} checked={choice === 'mine'} onChange={() => onChoose('mine')} />
            Keep mine
          </label>
          <label className="ctx-choice">
            <input type="radio" name={radioName} checked={choice === 'theirs'} onChange={() => onChoose('theirs')} />
            Keep theirs
          </label>
        </div>
      </fieldset>
    </li>
  );
}

function ValueBlock({ label, value, chosen = false }: { label: string; value: JsonValue | undefined; chosen?: boolean }) {
  // The lossless writer: each side's numbers exactly, so the choice is made on real values.
  const text = value === undefined ? null : stringifyJson(value, 2);
  const shown = text !== null && text.length > MAX_VALUE_CHARS ? `${text.slice(0, MAX_VALUE_CHARS)}\n…` : text;
  return (
    <div className="ctx-conflict__value" data-chosen={chosen || undefined}>
      <span className="ctx-conflict__value-label">{label}</span>
      {shown === null ? (
        <span className="ctx-conflict__absent">(not present)</span>
      ) : (
        <pre className="ctx-conflict__pre">{shown}</pre>
      )}
    </div>
  );
}
