/**
 * "Copy JSON" for a possibly huge value. Pretty-printing a 2 MB context on every open would
 * cost a long task for a click that may never come, so the text is built when clicked.
 */
import type { JsonValue } from '@contract/types';
import { CopyButton } from '@/components/ui';

export function CopyJsonButton({ value }: { value: JsonValue }) {
  return (
    <CopyButton text={() => JSON.stringify(value, null, 2)} label="Copy JSON" variant="secondary">
      Copy JSON
    </CopyButton>
  );
}
