import { minuteClock, useClock } from '@/lib/clock';
import { cx } from './cx';
import { formatExact, formatIsoUtc, formatRelative, toDate } from './relative-time-format';
import { Tooltip } from './tooltip';

/** The page's shared 30-second clock (ms): every relative time moves together. */
export function useNow(): number {
  return useClock(minuteClock);
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
