import { useSyncExternalStore } from 'react';
import { cx } from './cx';
import { formatExact, formatIsoUtc, formatRelative, toDate } from './relative-time-format';
import { Tooltip } from './tooltip';

/*
 * One shared clock for every RelativeTime on the page: a single 30-second interval that
 * runs only while at least one is mounted, instead of a timer per table row.
 */
const TICK_MS = 30_000;
const listeners = new Set<() => void>();
let now = Date.now();
let timer: ReturnType<typeof setInterval> | undefined;

function subscribe(listener: () => void) {
  listeners.add(listener);
  if (!timer) {
    now = Date.now();
    timer = setInterval(() => {
      now = Date.now();
      listeners.forEach((l) => l());
    }, TICK_MS);
  }
  return () => {
    listeners.delete(listener);
    if (listeners.size === 0 && timer) {
      clearInterval(timer);
      timer = undefined;
    }
  };
}
function getNow(): number {
  // Nothing mounted: the clock is not ticking, so refresh it (to the second, so that two
  // reads within one render agree) before the first subscriber renders.
  if (listeners.size === 0) now = Math.floor(Date.now() / 1000) * 1000;
  return now;
}

/** The shared clock's current time (ms), re-rendering every 30 s. */
export function useNow(): number {
  return useSyncExternalStore(subscribe, getNow, getNow);
}

export interface RelativeTimeProps {
  /** An ISO 8601 string (as the API sends), a Date or epoch ms. */
  date: string | number | Date;
  /**
   * Keyboard-focusable so the exact time can be read without a mouse. Turn off only where
   * an enclosing control already exposes the exact time.
   */
  focusable?: boolean;
  placement?: 'top' | 'bottom';
  className?: string;
}

/**
 * "5 minutes ago" in a `<time dateTime>`, with the exact local time and the UTC ISO value
 * in a tooltip shown on hover and on focus.
 */
export function RelativeTime({ date, focusable = true, placement = 'top', className }: RelativeTimeProps) {
  const current = useNow();
  const value = toDate(date);
  const iso = formatIsoUtc(value);
  const exact = formatExact(value);
  return (
    <Tooltip
      placement={placement}
      content={
        <span className="ui-relative-time__tip">
          <span>{exact}</span>
          <span className="ui-relative-time__iso">{iso}</span>
        </span>
      }
    >
      <time
        dateTime={iso}
        tabIndex={focusable ? 0 : undefined}
        className={cx('ui-relative-time', className)}
      >
        {formatRelative(value, current)}
      </time>
    </Tooltip>
  );
}
