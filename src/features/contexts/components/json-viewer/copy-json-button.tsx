/**
 * "Copy JSON" for a possibly huge value. Pretty-printing a 2 MB context on every open would
 * cost a long task for a click that may never come, so the text is built when clicked —
 * with the lossless writer: exactly the text the viewer shows (numbers as stored).
 */
import { stringifyJson } from '@contract/json/lossless-json';
import type { JsonValue } from '@contract/types';
import { CopyButton } from '@/components/ui';

export function CopyJsonButton({ value }: { value: JsonValue }) {
  return (
    <CopyButton text={() => stringifyJson(value, 2)} label="Copy JSON" variant="secondary">
      Copy JSON
    </CopyButton>
  );
}
