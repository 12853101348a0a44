import * as RadixDialog from '@radix-ui/react-dialog';
import type { ReactElement, ReactNode, RefObject } from 'react';
import { cx } from './cx';
import { IconButton } from './icon-button';
import { XIcon } from './icons';
import { useReturnFocus } from './use-return-focus';

export interface DialogProps {
  open?: boolean;
  onOpenChange?: (open: boolean) => void;
  defaultOpen?: boolean;
  /** An element that opens the dialog (a Button). Optional when `open` is controlled. */
  trigger?: ReactElement;
  /** Required: the dialog's accessible name and visible heading. */
  title: ReactNode;
  /** Visible text under the title, also the dialog's accessible description. */
  description?: ReactNode;
  children?: ReactNode;
  /** Actions, right-aligned at the bottom (Cancel, then the primary action). */
  footer?: ReactNode;
  size?: 'sm' | 'md' | 'lg';
  /** Element to focus when opened (default: the first focusable one). */
  initialFocusRef?: RefObject<HTMLElement | null>;
  /** Element to focus when closed (default: whatever had focus when it opened). */
  returnFocusRef?: RefObject<HTMLElement | null>;
  closeLabel?: string;
  className?: string;
}

/** A centred modal dialog (Radix: focus trap, Escape, scroll lock, aria-modal). */
export function Dialog({
  open,
  onOpenChange,
  defaultOpen,
  trigger,
  title,
  description,
  children,
  footer,
  size = 'md',
  initialFocusRef,
  returnFocusRef,
  closeLabel = 'Close',
  className,
}: DialogProps) {
  const focus = useReturnFocus(returnFocusRef);
  return (
    <RadixDialog.Root open={open} onOpenChange={onOpenChange} defaultOpen={defaultOpen}>
      {trigger && <RadixDialog.Trigger asChild>{trigger}</RadixDialog.Trigger>}
      <RadixDialog.Portal>
        <RadixDialog.Overlay className="ui-overlay" />
        <RadixDialog.Content
          className={cx('ui-dialog', `ui-dialog--${size}`, className)}
          // Without a description Radix would warn; say explicitly that there is none.
          {...(description ? {} : { 'aria-describedby': undefined })}
          onOpenAutoFocus={(event) => {
            focus.onOpenAutoFocus();
            if (initialFocusRef?.current) {
              event.preventDefault();
              initialFocusRef.current.focus();
            }
          }}
          onCloseAutoFocus={focus.onCloseAutoFocus}
        >
          <div className="ui-dialog__header">
            <div className="ui-dialog__heading">
              <RadixDialog.Title className="ui-dialog__title">{title}</RadixDialog.Title>
              {description && (
                <RadixDialog.Description className="ui-dialog__description">{description}</RadixDialog.Description>
              )}
            </div>
            <RadixDialog.Close asChild>
              <IconButton aria-label={closeLabel} icon={<XIcon />} size="sm" showTooltip={false} />
            </RadixDialog.Close>
          </div>
          {children !== undefined && <div className="ui-dialog__body">{children}</div>}
          {footer && <div className="ui-dialog__footer">{footer}</div>}
        </RadixDialog.Content>
      </RadixDialog.Portal>
    </RadixDialog.Root>
  );
}

/** Closes the enclosing Dialog or Drawer when its child is clicked (e.g. a Cancel button). */
export function DialogClose({ children }: { children: ReactElement }) {
  return <RadixDialog.Close asChild>{children}</RadixDialog.Close>;
}
