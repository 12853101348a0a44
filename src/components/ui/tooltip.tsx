import {
  cloneElement,
  isValidElement,
  useCallback,
  useEffect,
  useId,
  useLayoutEffect,
  useRef,
  useState,
  type ReactElement,
  type ReactNode,
} from 'react';
import { createPortal } from 'react-dom';
import { cx } from './cx';

export interface TooltipProps {
  /** Tooltip text. Keep it short; it must not hold anything interactive. */
  content: ReactNode;
  /**
   * One focusable element (button, link, `<time tabIndex={0}>`…). Tooltips on elements that
   * cannot take focus are invisible to keyboard users: don't.
   */
  children: ReactElement<{ 'aria-describedby'?: string }>;
  placement?: 'top' | 'bottom';
  /**
   * Whether the content describes the trigger for assistive tech (aria-describedby).
   * Turn off when it only repeats the trigger's accessible name (IconButton).
   */
  describe?: boolean;
  /** Hover delay in ms before showing (focus shows at once). Default 300. */
  delay?: number;
  className?: string;
}

const GAP = 6;

/*
 * Focus-visible, tracked by hand: a tooltip shows on focus only when the last interaction
 * was the keyboard (Tab, Escape out of a dialog…), not when a click focused the trigger.
 * One pair of document listeners for all tooltips, installed on first use.
 */
// Until the user does anything, focus is programmatic (autofocus, a dialog opening): no tooltip.
let lastInteraction: 'keyboard' | 'pointer' = 'pointer';
let tracking = false;
function trackInteractionModality() {
  if (tracking || typeof document === 'undefined') return;
  tracking = true;
  document.addEventListener('keydown', () => (lastInteraction = 'keyboard'), true);
  document.addEventListener('pointerdown', () => (lastInteraction = 'pointer'), true);
  document.addEventListener('mousedown', () => (lastInteraction = 'pointer'), true);
}
const EDGE = 8;

/**
 * A lightweight tooltip shown on hover AND keyboard focus, hidden with Escape, on blur and
 * when the page scrolls (WCAG 1.4.13). The popup is portalled to <body> with fixed
 * positioning so that it is never clipped by a table cell's or drawer's overflow, and it
 * is clamped to the viewport. The accessible description is an always-present hidden span
 * next to the trigger, so screen readers get it whether or not the popup is showing.
 */
export function Tooltip({ content, children, placement = 'top', describe = true, delay = 300, className }: TooltipProps) {
  const descriptionId = useId();
  const anchorRef = useRef<HTMLSpanElement>(null);
  const popupRef = useRef<HTMLSpanElement>(null);
  const [open, setOpen] = useState(false);
  const showTimer = useRef<number | undefined>(undefined);
  const hideTimer = useRef<number | undefined>(undefined);

  const clearTimers = () => {
    window.clearTimeout(showTimer.current);
    window.clearTimeout(hideTimer.current);
  };
  const show = useCallback((afterMs: number) => {
    clearTimers();
    if (afterMs <= 0) setOpen(true);
    else showTimer.current = window.setTimeout(() => setOpen(true), afterMs);
  }, []);
  const hide = useCallback((afterMs: number) => {
    clearTimers();
    if (afterMs <= 0) setOpen(false);
    else hideTimer.current = window.setTimeout(() => setOpen(false), afterMs);
  }, []);

  useEffect(() => {
    trackInteractionModality();
    return clearTimers;
  }, []);

  // Place the popup next to the anchor, flipping below when there is no room above and
  // shifting sideways to stay inside the viewport. Written straight to the popup's style
  // (before paint) rather than through state, to avoid a second render.
  useLayoutEffect(() => {
    const anchor = anchorRef.current?.firstElementChild ?? anchorRef.current;
    const popup = popupRef.current;
    if (!open || !anchor || !popup) return;
    const a = anchor.getBoundingClientRect();
    const p = popup.getBoundingClientRect();
    let side = placement;
    if (side === 'top' && a.top - p.height - GAP < EDGE) side = 'bottom';
    else if (side === 'bottom' && a.bottom + p.height + GAP > window.innerHeight - EDGE) side = 'top';
    const top = side === 'top' ? a.top - p.height - GAP : a.bottom + GAP;
    const centred = a.left + a.width / 2 - p.width / 2;
    const left = Math.min(Math.max(EDGE, centred), Math.max(EDGE, window.innerWidth - p.width - EDGE));
    popup.style.top = `${Math.round(top)}px`;
    popup.style.left = `${Math.round(left)}px`;
    popup.dataset.side = side;
    popup.style.visibility = '';
  }, [open, placement, content]);

  useEffect(() => {
    if (!open) return;
    const onKey = (event: KeyboardEvent) => {
      if (event.key === 'Escape') setOpen(false);
    };
    const onScroll = () => setOpen(false);
    document.addEventListener('keydown', onKey, true);
    window.addEventListener('scroll', onScroll, true);
    return () => {
      document.removeEventListener('keydown', onKey, true);
      window.removeEventListener('scroll', onScroll, true);
    };
  }, [open]);

  const trigger =
    describe && isValidElement(children)
      ? cloneElement(children, {
          'aria-describedby': cx(children.props['aria-describedby'], descriptionId) || undefined,
        })
      : children;

  return (
    <span
      ref={anchorRef}
      className="ui-tooltip-anchor"
      onPointerEnter={(event) => event.pointerType !== 'touch' && show(delay)}
      onPointerLeave={() => hide(100)}
      onFocus={() => {
        // Only keyboard focus: a click on a button must not leave a tooltip behind.
        if (lastInteraction === 'keyboard') show(0);
      }}
      onBlur={() => hide(0)}
      onPointerDown={() => hide(0)}
    >
      {trigger}
      {describe && (
        <span id={descriptionId} hidden>
          {content}
        </span>
      )}
      {open &&
        createPortal(
          <span
            ref={popupRef}
            role="tooltip"
            className={cx('ui-tooltip', className)}
            data-side={placement}
            style={{ top: 0, left: 0, visibility: 'hidden' }}
            onPointerEnter={() => clearTimers()}
            onPointerLeave={() => hide(100)}
          >
            {content}
          </span>,
          document.body,
        )}
    </span>
  );
}
