/**
 * Stand-in for ../components/json-diff-view.tsx in component tests: the two texts side by
 * side, named like the real diff's sides.
 *
 *   vi.mock('../components/json-diff-view', () => import('../testing/json-diff-view-stand-in'));
 */
import type { JsonDiffViewProps } from '../components/json-diff-view';

export default function JsonDiffViewStandIn({ original, modified, originalLabel, modifiedLabel }: JsonDiffViewProps) {
  return (
    <div role="group" aria-label="Diff">
      <pre aria-label={originalLabel}>{original}</pre>
      <pre aria-label={modifiedLabel}>{modified}</pre>
    </div>
  );
}
