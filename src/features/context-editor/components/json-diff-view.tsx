/**
 * Read-only Monaco diff of two JSON texts: what is on the server now (left) and what will
 * be there after the save (right). Unchanged regions are folded away, so a one-key change
 * in a 1 MB context shows as a few lines.
 *
 * Disposal order: @monaco-editor/react 4.7 disposes the two text models *before* the diff
 * widget when it unmounts, and the widget then throws "TextModel got disposed before
 * DiffEditorWidget model got reset" (an uncaught page error after every save, which
 * unmounts this view). So the library is told to keep both models
 * (`keepCurrentOriginalModel` / `keepCurrentModifiedModel`): it disposes only the widget,
 * and this component disposes the models itself once the widget is gone.
 *
 * Tests replace this module with a stand-in (../testing/editor-stand-ins.tsx).
 */
import { DiffEditor, type DiffOnMount } from '@monaco-editor/react';
import { useEffect, useMemo, useRef } from 'react';
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
  // The models the widget shows, disposed by us after the widget (see the module comment).
  const models = useRef<monaco.editor.ITextModel[]>([]);
  const handleMount: DiffOnMount = (editor) => {
    const model = editor.getModel();
    if (model) models.current = [model.original, model.modified];
  };
  useEffect(
    () => () => {
      const owned = models.current;
      models.current = [];
      // The library disposes the widget in its own cleanup of this same commit; a task
      // later it is certainly gone and nothing refers to the models any more.
      setTimeout(() => {
        for (const model of owned) if (!model.isDisposed()) model.dispose();
      }, 0);
    },
    [],
  );
  return (
    <DiffEditor
      onMount={handleMount}
      keepCurrentOriginalModel
      keepCurrentModifiedModel
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
