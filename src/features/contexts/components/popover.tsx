/**
 * A small non-modal popover: a button that shows a panel below it (the status filter's
 * checkboxes, the column menu). The UI kit has no popover and these panels need none of a
 * dialog's weight: the button says it expands (aria-expanded/aria-controls); Escape closes
 * and returns focus to the button; so do a click outside and tabbing away.
 */
import { useCallback, useEffect, useId, useRef, useState, type ReactNode } from 'react';
import { Button, ChevronDownIcon, cx, type ButtonProps } from '@/components/ui';

export interface PopoverProps {
  /** The button's visible content. */
  label: ReactNode;
  /** Accessible name of the button when the visible label is not enough. */
  buttonLabel?: string;
  /** Accessible name of the panel (a group). */
  panelLabel: string;
  children: ReactNode;
  buttonProps?: Omit<ButtonProps, 'onClick' | 'children'>;
  align?: 'start' | 'end';
  className?: string;
  /** Controlled mode (e.g. a form that closes its panel once submitted). */
  open?: boolean;
  onOpenChange?: (open: boolean) => void;
}

export function Popover({
  label,
  buttonLabel,
  panelLabel,
  children,
  buttonProps,
  align = 'start',
  className,
  open: controlledOpen,
  onOpenChange,
}: PopoverProps) {
  const [uncontrolledOpen, setUncontrolledOpen] = useState(false);
  const open = controlledOpen ?? uncontrolledOpen;
  const setOpen = useCallback(
    (value: boolean) => {
      setUncontrolledOpen(value);
      onOpenChange?.(value);
    },
    [onOpenChange],
  );
  const panelId = useId();
  const rootRef = useRef<HTMLDivElement>(null);
  const buttonRef = useRef<HTMLButtonElement>(null);

  useEffect(() => {
    if (!open) return;
    const onPointerDown = (event: PointerEvent) => {
      if (!rootRef.current?.contains(event.target as Node)) setOpen(false);
    };
    const onFocusIn = (event: FocusEvent) => {
      if (!rootRef.current?.contains(event.target as Node)) setOpen(false);
    };
    document.addEventListener('pointerdown', onPointerDown, true);
    document.addEventListener('focusin', onFocusIn);
    return () => {
      document.removeEventListener('pointerdown', onPointerDown, true);
      document.removeEventListener('focusin', onFocusIn);
    };
  }, [open, setOpen]);

  return (
    <div
      ref={rootRef}
      className={cx('ctx-popover', className)}
      onKeyDown={(event) => {
        if (event.key === 'Escape' && open) {
          // Close this popover only, not a dialog around it.
          event.stopPropagation();
          setOpen(false);
          buttonRef.current?.focus();
        }
      }}
    >
      <Button
        ref={buttonRef}
        aria-expanded={open}
        aria-controls={panelId}
        aria-label={buttonLabel}
        trailingIcon={<ChevronDownIcon size={14} />}
        onClick={() => setOpen(!open)}
        {...buttonProps}
      >
        {label}
      </Button>
      <div
        id={panelId}
        role="group"
        aria-label={panelLabel}
        className={cx('ctx-popover__panel', `ctx-popover__panel--${align}`)}
        hidden={!open}
      >
        {children}
      </div>
    </div>
  );
}
