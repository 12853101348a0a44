/**
 * Pretty-prints JSON text for the diff without touching a token: jsonc-parser's formatter
 * only changes whitespace between tokens, so number spellings (750727362669608961, 1.0,
 * 1E2), member order and duplicate names stay exactly as stored.
 */
import { applyEdits, format } from 'jsonc-parser';

export function prettyJsonText(text: string | null): string {
  if (text === null) return 'null';
  return applyEdits(text, format(text, undefined, { tabSize: 2, insertSpaces: true, eol: '\n' }));
}
