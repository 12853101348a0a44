/**
 * Monaco as the JSON editor of a context document. Uncontrolled on purpose: the model owns
 * the text (a controlled `value` that round-trips through React state drops keystrokes
 * under fast typing, see the toolchain notes), and the parent reads the text only when it
 * needs it, through `getText` — building a 1 MB string on every keystroke would cost more
 * than the keystroke itself.
 *
 * Tests replace this module with a textarea stand-in that has the same props
 * (../testing/editor-stand-ins.tsx): Monaco cannot run in jsdom.
 */
import Editor, { type OnMount, type OnValidate } from '@monaco-editor/react';
import { useEffect, useImperativeHandle, useMemo, useRef, type Ref } from 'react';
import { Spinner } from '@/components/ui/spinner';
import type { AppTheme } from '../hooks/use-document-theme';
import { EDITOR_THEMES, monaco } from './monaco-setup';

export interface EditorMarker {
  message: string;
  line: number;
  column: number;
  severity: 'error' | 'warning';
}

export interface JsonCodeEditorHandle {
  focus(): void;
  /** Moves the cursor to a position and scrolls it into view (for "line 12, column 5"). */
  revealPosition(line: number, column: number): void;
  getText(): string;
  /** Replaces the whole text as one undoable edit. */
  setText(text: string): void;
}

export interface JsonCodeEditorProps {
  /** The initial text; afterwards the editor's model owns it. */
  defaultValue: string;
  /** Model URI path; distinct per document so undo histories never mix. */
  path: string;
  ariaLabel: string;
  theme: AppTheme;
  /** Called on every change with a getter for the text (read it lazily) and its length. */
  onChange: (getText: () => string, length: number) => void;
  /** The JSON language service's diagnostics for the text. */
  onMarkers?: (markers: EditorMarker[]) => void;
  /** Ctrl/Cmd+S inside the editor. */
  onSave?: () => void;
  /** The editor is mounted and accepts input. */
  onReady?: () => void;
  readOnly?: boolean;
  /** Focus the editor once it is mounted (it opens because the user asked to edit). */
  autoFocus?: boolean;
  /** Where the cursor starts (1-based), e.g. inside the empty patch object. */
  initialPosition?: { line: number; column: number };
  height?: number | string;
  ref?: Ref<JsonCodeEditorHandle>;
}

export default function JsonCodeEditor({
  defaultValue,
  path,
  ariaLabel,
  theme,
  onChange,
  onMarkers,
  onSave,
  onReady,
  readOnly = false,
  autoFocus = false,
  initialPosition,
  height = '100%',
  ref,
}: JsonCodeEditorProps) {
  const editorRef = useRef<monaco.editor.IStandaloneCodeEditor | null>(null);
  // Callbacks through refs: Monaco listeners are registered once at mount and must always
  // call the latest props without re-registering.
  const latest = useRef({ onChange, onMarkers, onSave, onReady });
  useEffect(() => {
    latest.current = { onChange, onMarkers, onSave, onReady };
  });

  useImperativeHandle(
    ref,
    () => ({
      focus: () => editorRef.current?.focus(),
      revealPosition: (line, column) => {
        const editor = editorRef.current;
        if (!editor) return;
        editor.setPosition({ lineNumber: line, column });
        editor.revealPositionInCenterIfOutsideViewport({ lineNumber: line, column });
        editor.focus();
      },
      getText: () => editorRef.current?.getValue() ?? defaultValue,
      setText: (text) => {
        const editor = editorRef.current;
        const model = editor?.getModel();
        if (!editor || !model) return;
        editor.pushUndoStop();
        editor.executeEdits('ecc', [{ range: model.getFullModelRange(), text }]);
        editor.pushUndoStop();
      },
    }),
    [defaultValue],
  );

  // Stable: @monaco-editor/react calls editor.updateOptions whenever this object changes.
  const options = useMemo<monaco.editor.IStandaloneEditorConstructionOptions>(
    () => ({
      ariaLabel,
      readOnly,
      automaticLayout: true,
      minimap: { enabled: false },
      scrollBeyondLastLine: false,
      fontSize: 13,
      lineHeight: 20,
      tabSize: 2,
      insertSpaces: true,
      folding: true,
      // Hovers and suggestion lists may extend past the drawer's edges.
      fixedOverflowWidgets: true,
      renderLineHighlight: 'line',
      // Indentation, not the language's outline: cheap at any size (see monaco-setup).
      stickyScroll: { enabled: true, defaultModel: 'indentationModel' },
      padding: { top: 8, bottom: 8 },
    }),
    [ariaLabel, readOnly],
  );

  const handleMount: OnMount = (editor) => {
    editorRef.current = editor;
    if (initialPosition) editor.setPosition({ lineNumber: initialPosition.line, column: initialPosition.column });
    if (autoFocus) editor.focus();
    const getText = () => editor.getValue();
    editor.onDidChangeModelContent(() => latest.current.onChange(getText, editor.getModel()?.getValueLength() ?? 0));
    // An editor action (not addCommand): actions are per editor, commands are global to
    // the page and would fire in whichever editor was created last.
    editor.addAction({
      id: 'ecc.save',
      label: 'Save context',
      keybindings: [monaco.KeyMod.CtrlCmd | monaco.KeyCode.KeyS],
      run: () => latest.current.onSave?.(),
    });
    latest.current.onReady?.();
  };

  const handleValidate: OnValidate = (markers) => {
    latest.current.onMarkers?.(
      markers
        .filter((m) => m.severity >= monaco.MarkerSeverity.Warning)
        .map((m) => ({
          message: m.message,
          line: m.startLineNumber,
          column: m.startColumn,
          severity: m.severity >= monaco.MarkerSeverity.Error ? 'error' : 'warning',
        })),
    );
  };

  return (
    <Editor
      defaultValue={defaultValue}
      defaultLanguage="json"
      path={path}
      theme={EDITOR_THEMES[theme]}
      height={height}
      loading={<Spinner label="Loading editor…" />}
      onMount={handleMount}
      onValidate={handleValidate}
      wrapperProps={{ className: 'ctx-editor__monaco', 'data-testid': 'monaco-editor' }}
      options={options}
    />
  );
}
