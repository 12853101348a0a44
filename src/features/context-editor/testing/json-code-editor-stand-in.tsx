/**
 * Stand-in for ../components/json-code-editor.tsx in component tests (Monaco needs a real
 * browser). Same props and handle, backed by a textarea: uncontrolled like Monaco, it
 * reports changes with a text getter, saves on Ctrl/Cmd+S and calls onReady on mount.
 *
 *   vi.mock('../components/json-code-editor', () => import('../testing/json-code-editor-stand-in'));
 */
import { useEffect, useImperativeHandle, useRef } from 'react';
import type { JsonCodeEditorProps } from '../components/json-code-editor';

export default function JsonCodeEditorStandIn({
  defaultValue,
  ariaLabel,
  onChange,
  onSave,
  onReady,
  readOnly,
  autoFocus,
  ref,
}: JsonCodeEditorProps) {
  const textarea = useRef<HTMLTextAreaElement | null>(null);
  useImperativeHandle(
    ref,
    () => ({
      focus: () => textarea.current?.focus(),
      revealPosition: (line, column) => {
        const el = textarea.current;
        if (!el) return;
        const lines = el.value.split('\n');
        const offset = lines.slice(0, line - 1).reduce((sum, l) => sum + l.length + 1, 0) + column - 1;
        el.focus();
        el.setSelectionRange(offset, offset);
      },
      getText: () => textarea.current?.value ?? defaultValue,
      setText: (text) => {
        if (textarea.current) textarea.current.value = text;
      },
    }),
    [defaultValue],
  );
  useEffect(() => {
    if (autoFocus) textarea.current?.focus();
    onReady?.();
  }, [autoFocus, onReady]);
  return (
    <textarea
      ref={textarea}
      aria-label={ariaLabel}
      defaultValue={defaultValue}
      readOnly={readOnly}
      onChange={(event) => {
        const el = event.currentTarget;
        onChange(() => el.value, el.value.length);
      }}
      onKeyDown={(event) => {
        if ((event.ctrlKey || event.metaKey) && event.key.toLowerCase() === 's') {
          // Like Monaco's keybinding service: handled here, not bubbled further.
          event.preventDefault();
          event.stopPropagation();
          onSave?.();
        }
      }}
    />
  );
}
