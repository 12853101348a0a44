import * as RadixAlertDialog from '@radix-ui/react-alert-dialog';
import { useState, type ReactElement, type ReactNode, type RefObject } from 'react';
import { Button } from './button';
import { useReturnFocus } from './use-return-focus';

export interface AlertDialogProps {
  open?: boolean;
  /** Called on every open/close, including the close after a successful confirm. */
  onOpenChange?: (open: boolean) => void;
  /**
   * Called only when the user dismisses the dialog (the cancel button or Escape), never
   * after a confirm: for "go back" actions that must not run once the action went ahead.
   */
  onCancel?: () => void;
  trigger?: ReactElement;
  /** Required: what is being confirmed, as a question or statement ("Delete 12 contexts?"). */
  title: ReactNode;
  /** Required for alert dialogs: the consequences ("This cannot be undone."). */
  description: ReactNode;
  /** Extra content between the description and the buttons (a list of affected items…). */
  children?: ReactNode;
  /** Say the action, not "OK": "Delete 12 contexts". */
  confirmLabel: string;
  cancelLabel?: string;
  /** 'danger' for destructive actions (red confirm button). */
  tone?: 'danger' | 'primary';
  /**
   * Runs on confirm. When it returns a promise the dialog shows a busy confirm button and
   * closes only once it resolves; if it rejects the dialog stays open (show the error in it
   * or in a toast).
   */
  onConfirm: () => void | Promise<void>;
  /** Busy state controlled from outside (e.g. a mutation's isPending). */
  confirmLoading?: boolean;
  confirmDisabled?: boolean;
  returnFocusRef?: RefObject<HTMLElement | null>;
}

/**
 * A confirmation that interrupts (role="alertdialog"): no close on outside click, focus
 * starts on Cancel so that a stray Enter never confirms a destructive action.
 */
export function AlertDialog({
  open,
  onOpenChange,
  onCancel,
  trigger,
  title,
  description,
  children,
  confirmLabel,
  cancelLabel = 'Cancel',
  tone = 'danger',
  onConfirm,
  confirmLoading = false,
  confirmDisabled = false,
  returnFocusRef,
}: AlertDialogProps) {
  const [uncontrolledOpen, setUncontrolledOpen] = useState(false);
  const [running, setRunning] = useState(false);
  const isOpen = open ?? uncontrolledOpen;
  const setOpen = (next: boolean) => {
    if (open === undefined) setUncontrolledOpen(next);
    onOpenChange?.(next);
  };
  const focus = useReturnFocus(returnFocusRef);
  const busy = running || confirmLoading;

  const confirm = async () => {
    const result = onConfirm();
    if (!(result instanceof Promise)) {
      setOpen(false);
      return;
    }
    setRunning(true);
    try {
      await result;
      setOpen(false);
    } catch {
      // Stay open: the caller reports the error.
    } finally {
      setRunning(false);
    }
  };

  return (
    <RadixAlertDialog.Root
      open={isOpen}
      onOpenChange={(next) => {
        if (busy) return;
        setOpen(next);
        // Radix reports a close only for Cancel and Escape: our confirm button is not its
        // Action, and closes through setOpen above without passing here.
        if (!next) onCancel?.();
      }}
    >
      {trigger && <RadixAlertDialog.Trigger asChild>{trigger}</RadixAlertDialog.Trigger>}
      <RadixAlertDialog.Portal>
        <RadixAlertDialog.Overlay className="ui-overlay" />
        <RadixAlertDialog.Content
          className="ui-dialog ui-dialog--sm"
          onOpenAutoFocus={focus.onOpenAutoFocus}
          onCloseAutoFocus={focus.onCloseAutoFocus}
        >
          <div className="ui-dialog__header">
            <div className="ui-dialog__heading">
              <RadixAlertDialog.Title className="ui-dialog__title">{title}</RadixAlertDialog.Title>
              <RadixAlertDialog.Description className="ui-dialog__description">{description}</RadixAlertDialog.Description>
            </div>
          </div>
          {children !== undefined && <div className="ui-dialog__body">{children}</div>}
          <div className="ui-dialog__footer">
            <RadixAlertDialog.Cancel asChild>
              <Button variant="secondary" disabled={busy}>
                {cancelLabel}
              </Button>
            </RadixAlertDialog.Cancel>
            <Button
              variant={tone === 'danger' ? 'danger' : 'primary'}
              loading={busy}
              disabled={confirmDisabled}
              onClick={() => void confirm()}
            >
              {confirmLabel}
            </Button>
          </div>
        </RadixAlertDialog.Content>
      </RadixAlertDialog.Portal>
    </RadixAlertDialog.Root>
  );
}
