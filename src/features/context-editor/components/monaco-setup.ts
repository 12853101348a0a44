/**
 * Monaco from the locally installed `monaco-editor` package, never from a CDN (the machine
 * this runs on may have no internet, and a CDN would be a supply-chain risk for a tool
 * that edits production state). @monaco-editor/react's loader would otherwise fetch
 * Monaco from jsDelivr; `loader.config({ monaco })` hands it our bundled copy instead.
 *
 * Import this module ONLY from the lazily loaded editor chunk: Monaco is ~1 MB gzip and
 * must never be part of the dashboard's first load.
 */
import { loader } from '@monaco-editor/react';
import * as monaco from 'monaco-editor';
// monaco-editor 0.57 exposes its files through the package's export map: no `esm/vs/`.
import EditorWorker from 'monaco-editor/editor/editor.worker?worker';
import JsonWorker from 'monaco-editor/language/json/json.worker?worker';

self.MonacoEnvironment = {
  // The JSON language service (syntax errors, folding ranges, formatting) runs in its own
  // worker so that validating a 1 MB document never blocks typing.
  getWorker: (_workerId: string, label: string) => (label === 'json' ? new JsonWorker() : new EditorWorker()),
};

loader.config({ monaco });

/** Our own theme names, so the editor's background matches the app's surfaces. */
export const EDITOR_THEMES = { light: 'ecc-light', dark: 'ecc-dark' } as const;

// Monaco themes take literal colours, not CSS variables: these mirror the surface, border
// and text tokens of src/styles/tokens.css so the editor sits in the drawer seamlessly.
monaco.editor.defineTheme(EDITOR_THEMES.light, {
  base: 'vs',
  inherit: true,
  rules: [],
  colors: {
    'editor.background': '#ffffff',
    'editorGutter.background': '#ffffff',
    'editorLineNumber.foreground': '#8c8c96',
    'editorLineNumber.activeForeground': '#18181b',
    'editor.lineHighlightBackground': '#f3f3f5',
    'editor.lineHighlightBorder': '#00000000',
    'editorWidget.background': '#ffffff',
    'editorWidget.border': '#e3e3e8',
    'focusBorder': '#4f46e5',
  },
});
monaco.editor.defineTheme(EDITOR_THEMES.dark, {
  base: 'vs-dark',
  inherit: true,
  rules: [],
  colors: {
    'editor.background': '#121214',
    'editorGutter.background': '#121214',
    'editorLineNumber.foreground': '#6b6b76',
    'editorLineNumber.activeForeground': '#ececef',
    'editor.lineHighlightBackground': '#1c1c20',
    'editor.lineHighlightBorder': '#00000000',
    'editorWidget.background': '#18181b',
    'editorWidget.border': '#26262b',
    'focusBorder': '#818cf8',
  },
});

monaco.json.jsonDefaults.setDiagnosticsOptions({
  validate: true,
  // Comments and trailing commas would be accepted by the editor but refused by
  // the parser when saving: flag them where they are.
  allowComments: false,
  trailingCommas: 'error',
  schemaValidation: 'ignore',
});
monaco.json.jsonDefaults.setModeConfiguration({
  completionItems: true,
  hovers: true,
  // Document symbols (an outline of every key) and colour swatches are recomputed by the
  // worker after each edit and posted back whole: for a 1 MB context that is a message of
  // tens of thousands of entries per pause in typing, for features a context editor does
  // not need (sticky scroll uses the indentation model instead, see json-code-editor).
  documentSymbols: false,
  colors: false,
  foldingRanges: true,
  diagnostics: true,
  selectionRanges: true,
  tokens: true,
  documentFormattingEdits: true,
  documentRangeFormattingEdits: true,
});

export { monaco };
