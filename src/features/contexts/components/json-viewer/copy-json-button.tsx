/**
 * "Copy JSON" for a possibly huge value. The kit's CopyButton takes the text up front;
 * pretty-printing a 2 MB context on every open would cost a long task for a click that
 * may never come, so this one builds the text when clicked. Same look and feedback as
 * CopyButton: the label turns into "Copied" for 2 s and a polite status says so.
 */
import { useEffect, useRef, useState } from 'react';
import type { JsonValue } from '@contract/types';
import { Button, CheckIcon, CopyIcon, copyText, toast } from '@/components/ui';

export function CopyJsonButton({ value }: { value: JsonValue }) {
  const [state, setState] = useState<'idle' | 'copied' | 'failed'>('idle');
  const timer = useRef<number | undefined>(undefined);
  useEffect(() => () => window.clearTimeout(timer.current), []);

  const onCopy = async () => {
    window.clearTimeout(timer.current);
    try {
      await copyText(JSON.stringify(value, null, 2));
      setState('copied');
    } catch {
      setState('failed');
      toast.error('Could not copy to the clipboard', { description: 'Select the text and copy it by hand.' });
    }
    timer.current = window.setTimeout(() => setState('idle'), 2000);
  };

  return (
    <span className="ui-copy">
      <Button
        variant="secondary"
        size="sm"
        aria-label="Copy JSON"
        leadingIcon={state === 'copied' ? <CheckIcon size={14} className="ui-copy__check" /> : <CopyIcon size={14} />}
        onClick={onCopy}
      >
        {state === 'copied' ? 'Copied' : 'Copy JSON'}
      </Button>
      <span role="status" className="sr-only">
        {state === 'copied' ? 'Copied' : state === 'failed' ? 'Copy failed' : ''}
      </span>
    </span>
  );
}
