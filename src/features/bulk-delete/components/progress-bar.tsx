import { cx } from '@/components/ui';

export interface ProgressBarProps {
  /** Done so far; null: indeterminate (the total is not known yet). */
  value: number | null;
  max: number;
  /** Accessible name: what progresses ("Delete progress"). */
  label: string;
  /** Read instead of a percentage: "7 of 12 done". */
  valueText?: string;
  size?: 'sm' | 'md';
  className?: string;
}

/**
 * A real progress bar (role="progressbar" with its value), not a spinner: screen readers
 * read "Delete progress, 7 of 12 done" and the width is the same fraction. Indeterminate
 * (no aria-valuenow, as ARIA specifies) while the total is unknown.
 */
export function ProgressBar({ value, max, label, valueText, size = 'md', className }: ProgressBarProps) {
  const fraction = value === null || max <= 0 ? 0 : Math.min(1, Math.max(0, value / max));
  return (
    <div
      role="progressbar"
      aria-label={label}
      aria-valuemin={0}
      aria-valuemax={value === null ? undefined : max}
      aria-valuenow={value === null ? undefined : value}
      aria-valuetext={valueText}
      className={cx('bd-progress', `bd-progress--${size}`, value === null && 'bd-progress--indeterminate', className)}
    >
      <div className="bd-progress__fill" style={value === null ? undefined : { width: `${fraction * 100}%` }} />
    </div>
  );
}
