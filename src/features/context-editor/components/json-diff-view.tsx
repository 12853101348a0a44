/**
 * Read-only Monaco diff of two JSON texts: what is on the server now (left) and what will
 * be there after the save (right). Unchanged regions are folded away, so a one-key change
 * in a 1 MB context shows as a few lines.
 *
 * Tests replace this module with a stand-in (../testing/editor-stand-ins.tsx).
 */
import { DiffEditor } from '@monaco-editor/react';
import { useMemo } from 'react';
import { Spinner } from '@/components/ui/spinner';
import type { AppTheme } from '../hooks/use-document-theme';
import { EDITOR_THEMES, type monaco } from './monaco-setup';

export interface JsonDiffViewProps {
  original: string;
  modified: string;
  /** Names of the two sides, for screen readers. */
  originalLabel: string;
  modifiedLabel: string;
  theme: AppTheme;
  height?: number | string;
}

export default function JsonDiffView({ original, modified, originalLabel, modifiedLabel, theme, height = '100%' }: JsonDiffViewProps) {
  // Stable: @monaco-editor/react calls updateOptions whenever this object changes.
  const options = useMemo<monaco.editor.IDiffEditorConstructionOptions>(
    () => ({
      readOnly: true,
      originalEditable: false,
      automaticLayout: true,
      renderSideBySide: true,
      useInlineViewWhenSpaceIsLimited: true,
      renderSideBySideInlineBreakpoint: 720,
      hideUnchangedRegions: { enabled: true, contextLineCount: 3, minimumLineCount: 5, revealLineCount: 20 },
      minimap: { enabled: false },
      renderOverviewRuler: false,
      scrollBeyondLastLine: false,
      fontSize: 13,
      lineHeight: 20,
      originalAriaLabel: originalLabel,
      modifiedAriaLabel: modifiedLabel,
      diffAlgorithm: 'advanced',
      fixedOverflowWidgets: true,
    }),
    [originalLabel, modifiedLabel],
  );
  return (
    <DiffEditor
      original={original}
      modified={modified}
      language="json"
      theme={EDITOR_THEMES[theme]}
      height={height}
      loading={<Spinner label="Loading diff…" />}
      wrapperProps={{ className: 'ctx-editor__monaco', 'data-testid': 'monaco-diff' }}
      options={options}
    />
  );
}
