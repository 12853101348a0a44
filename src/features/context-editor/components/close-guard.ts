/**
 * Keeps the drawer from closing under unsaved edits, and Escape in the code editor from
 * closing the drawer at all.
 *
 * The drawer (features/contexts, on Radix Dialog) closes on Escape, on its close button
 * and on a click on the overlay, and offers no "before close" hook. Radix decides in
 * document-level listeners (Escape in the capture phase), so the editor cannot react from
 * inside its own subtree in time. A window-level capture listener runs before those:
 *
 * - Escape inside Monaco (its text area or its find/suggest widgets) belongs to Monaco:
 *   `preventDefault()` makes Radix skip its dismiss (it checks `defaultPrevented`) while
 *   Monaco still gets the key.
 * - With unsaved edits, Escape elsewhere in the drawer and a click on its close button
 *   are `preventDefault()`ed the same way (Radix's Close composes its handler behind a
 *   `defaultPrevented` check), and a pointerdown on the overlay is stopped before Radix's
 *   document listener sees it; `onAttempt` then asks the user.
 *
 * Leaving by Back/Forward cannot be stopped; the draft in sessionStorage survives it and
 * the editor reopens with it the next time the context is opened.
 */
import { useEffect, useRef, type RefObject } from 'react';

export interface CloseGuardOptions {
  /** The editor is open in the drawer. */
  editing: boolean;
  /** There are unsaved edits: closing must ask first. */
  dirty: boolean;
  /** The user tried to close the drawer while dirty. */
  onAttempt: () => void;
}

const MONACO = '.monaco-editor, .monaco-diff-editor';

/** The drawer holding `node`: the closest dialog (never an alert dialog above it). */
const drawerOf = (node: Element | null) => node?.closest('[role="dialog"]') ?? null;

export function useDrawerCloseGuard(anchor: RefObject<HTMLElement | null>, { editing, dirty, onAttempt }: CloseGuardOptions) {
  const latest = useRef({ dirty, onAttempt });
  useEffect(() => {
    latest.current = { dirty, onAttempt };
  });

  useEffect(() => {
    if (!editing) return;
    const inDrawer = (target: EventTarget | null): target is Element => {
      const drawer = drawerOf(anchor.current);
      return drawer !== null && target instanceof Element && drawer.contains(target);
    };

    const onKeyDown = (event: KeyboardEvent) => {
      if (event.key !== 'Escape' || event.defaultPrevented || !inDrawer(event.target)) return;
      if (event.target.closest(MONACO)) {
        event.preventDefault();
        return;
      }
      if (latest.current.dirty) {
        event.preventDefault();
        latest.current.onAttempt();
      }
    };

    const onClick = (event: MouseEvent) => {
      if (!latest.current.dirty || !inDrawer(event.target)) return;
      const button = event.target.closest('button');
      const header = button?.closest('.ui-drawer__header');
      // The drawer's own close button: the one labelled "Close…" in its header.
      if (!button || !header || !/^Close\b/.test(button.getAttribute('aria-label') ?? '')) return;
      event.preventDefault();
      latest.current.onAttempt();
    };

    const onPointerDown = (event: PointerEvent) => {
      if (!latest.current.dirty || !(event.target instanceof Element)) return;
      if (!event.target.classList.contains('ui-overlay') || !drawerOf(anchor.current)) return;
      // Only while the drawer is the top layer: an alert dialog above it has its own overlay.
      if (document.querySelector('[role="alertdialog"]')) return;
      event.stopPropagation();
      event.preventDefault();
      latest.current.onAttempt();
    };

    window.addEventListener('keydown', onKeyDown, { capture: true });
    window.addEventListener('click', onClick, { capture: true });
    window.addEventListener('pointerdown', onPointerDown, { capture: true });
    return () => {
      window.removeEventListener('keydown', onKeyDown, { capture: true });
      window.removeEventListener('click', onClick, { capture: true });
      window.removeEventListener('pointerdown', onPointerDown, { capture: true });
    };
  }, [anchor, editing]);
}
