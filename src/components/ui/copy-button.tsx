import { useEffect, useRef, useState } from 'react';
import { toast } from './toast';
import { Button, type ButtonSize, type ButtonVariant } from './button';
import { CheckIcon, CopyIcon } from './icons';
import { IconButton } from './icon-button';

/** Copies text, falling back to a hidden textarea where the Clipboard API is unavailable. */
export async function copyText(text: string): Promise<void> {
  if (navigator.clipboard?.writeText) {
    await navigator.clipboard.writeText(text);
    return;
  }
  const area = document.createElement('textarea');
  area.value = text;
  area.setAttribute('readonly', '');
  area.style.position = 'fixed';
  area.style.opacity = '0';
  document.body.appendChild(area);
  area.select();
  try {
    if (!document.execCommand('copy')) throw new Error('copy command refused');
  } finally {
    area.remove();
  }
}

export interface CopyButtonProps {
  /**
   * The text put on the clipboard, or a function that builds it when clicked (for values
   * too large to serialise up front, such as a 2 MB context).
   */
  text: string | (() => string);
  /** Accessible name, saying what is copied: "Copy id ctx_01JD…". */
  label: string;
  /**
   * Visible text next to the icon ("Copy JSON"). Without it the button is icon-only and
   * the label is its tooltip.
   */
  children?: string;
  variant?: ButtonVariant;
  size?: ButtonSize;
  className?: string;
}

/**
 * Copies `text` and confirms it in place: the icon turns into a check for 2 s and a polite
 * live region next to the button announces "Copied" to screen readers (no toast: copying
 * is frequent and a toast per copy is noise). A failure does raise an error toast.
 */
export function CopyButton({ text, label, children, variant = 'ghost', size = 'sm', className }: CopyButtonProps) {
  const [state, setState] = useState<'idle' | 'copied' | 'failed'>('idle');
  const timer = useRef<number | undefined>(undefined);
  useEffect(() => () => window.clearTimeout(timer.current), []);

  const onCopy = async () => {
    window.clearTimeout(timer.current);
    try {
      await copyText(typeof text === 'function' ? text() : text);
      setState('copied');
    } catch {
      setState('failed');
      toast.error('Could not copy to the clipboard', { description: 'Select the text and copy it by hand.' });
    }
    timer.current = window.setTimeout(() => setState('idle'), 2000);
  };

  const icon = state === 'copied' ? <CheckIcon size={14} className="ui-copy__check" /> : <CopyIcon size={14} />;
  return (
    <span className="ui-copy">
      {children ? (
        <Button variant={variant} size={size} aria-label={label} leadingIcon={icon} onClick={onCopy} className={className}>
          {state === 'copied' ? 'Copied' : children}
        </Button>
      ) : (
        <IconButton
          aria-label={label}
          tooltip={state === 'copied' ? 'Copied' : label}
          icon={icon}
          variant={variant}
          size={size}
          onClick={onCopy}
          className={className}
        />
      )}
      <span role="status" className="sr-only">
        {state === 'copied' ? 'Copied' : state === 'failed' ? 'Copy failed' : ''}
      </span>
    </span>
  );
}
