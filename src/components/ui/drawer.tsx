import * as RadixDialog from '@radix-ui/react-dialog';
import { useRef, type ReactElement, type ReactNode, type RefObject } from 'react';
import { cx } from './cx';
import { IconButton } from './icon-button';
import { XIcon } from './icons';
import { useReturnFocus } from './use-return-focus';

export interface DrawerProps {
  open?: boolean;
  onOpenChange?: (open: boolean) => void;
  trigger?: ReactElement;
  /** Required: the drawer's accessible name and visible heading. */
  title: ReactNode;
  description?: ReactNode;
  /** Extra controls in the header, left of the close button (copy id, open in editor…). */
  actions?: ReactNode;
  /** The scrolling body. */
  children?: ReactNode;
  /** Sticky bottom bar for actions. */
  footer?: ReactNode;
  /** 'md' 480px, 'lg' 640px (default), 'xl' 880px; always capped to the viewport. */
  width?: 'md' | 'lg' | 'xl';
  /**
   * Modal by default (focus trapped, page inert). Non-modal drawers leave the page usable
   * behind them, e.g. to click through list rows while the drawer shows each one.
   */
  modal?: boolean;
  /**
   * Element to focus when opened. Default: the drawer itself, so screen readers start at
   * its title and Tab leads into its content (rather than jumping to the first action).
   */
  initialFocusRef?: RefObject<HTMLElement | null>;
  returnFocusRef?: RefObject<HTMLElement | null>;
  closeLabel?: string;
  className?: string;
}

/** A side sheet sliding in from the right, for a record's details (built on Radix Dialog). */
export function Drawer({
  open,
  onOpenChange,
  trigger,
  title,
  description,
  actions,
  children,
  footer,
  width = 'lg',
  modal = true,
  initialFocusRef,
  returnFocusRef,
  closeLabel = 'Close',
  className,
}: DrawerProps) {
  const focus = useReturnFocus(returnFocusRef);
  const contentRef = useRef<HTMLDivElement>(null);
  return (
    <RadixDialog.Root open={open} onOpenChange={onOpenChange} modal={modal}>
      {trigger && <RadixDialog.Trigger asChild>{trigger}</RadixDialog.Trigger>}
      <RadixDialog.Portal>
        {modal && <RadixDialog.Overlay className="ui-overlay ui-overlay--drawer" />}
        <RadixDialog.Content
          ref={contentRef}
          className={cx('ui-drawer', `ui-drawer--${width}`, className)}
          {...(description ? {} : { 'aria-describedby': undefined })}
          onOpenAutoFocus={(event) => {
            focus.onOpenAutoFocus();
            event.preventDefault();
            const target = initialFocusRef?.current ?? contentRef.current;
            target?.focus({ preventScroll: true });
          }}
          onCloseAutoFocus={focus.onCloseAutoFocus}
          // A non-modal drawer stays open while the user works in the page behind it.
          onInteractOutside={modal ? undefined : (event) => event.preventDefault()}
        >
          <div className="ui-drawer__header">
            <div className="ui-drawer__heading">
              <RadixDialog.Title className="ui-drawer__title">{title}</RadixDialog.Title>
              {description && (
                <RadixDialog.Description className="ui-drawer__description">{description}</RadixDialog.Description>
              )}
            </div>
            <div className="ui-drawer__actions">
              {actions}
              <RadixDialog.Close asChild>
                <IconButton aria-label={closeLabel} icon={<XIcon />} size="sm" showTooltip={false} />
              </RadixDialog.Close>
            </div>
          </div>
          <div className="ui-drawer__body">{children}</div>
          {footer && <div className="ui-drawer__footer">{footer}</div>}
        </RadixDialog.Content>
      </RadixDialog.Portal>
    </RadixDialog.Root>
  );
}
