import { useRef, type RefObject } from 'react';

/**
 * Focus return for Radix dialogs that are opened without a Radix Trigger (controlled by
 * state or by the URL, e.g. `?context=<id>`): Radix only returns focus to its own Trigger,
 * so remember what had focus when the dialog opened and go back to it on close. Falls
 * back to Radix's behaviour when that element has left the page (a virtualised row).
 */
export function useReturnFocus(returnFocusRef?: RefObject<HTMLElement | null>) {
  const previous = useRef<HTMLElement | null>(null);
  return {
    onOpenAutoFocus: () => {
      // Called before Radix moves focus into the dialog: activeElement is still the opener.
      const active = document.activeElement;
      previous.current = active instanceof HTMLElement && active !== document.body ? active : null;
    },
    onCloseAutoFocus: (event: Event) => {
      const target = returnFocusRef?.current ?? previous.current;
      previous.current = null;
      if (target && target.isConnected) {
        event.preventDefault();
        target.focus({ preventScroll: true });
      }
    },
  };
}
