import { cx } from './cx';

export interface SpinnerProps {
  /** Pixel size. Default 16. */
  size?: number;
  /**
   * What is loading, read by screen readers ("Loading contexts"). Pass `null` when the
   * spinner sits inside a control that already says it is busy (e.g. a loading Button).
   */
  label?: string | null;
  className?: string;
}

/** An indeterminate progress ring that inherits the text colour. */
export function Spinner({ size = 16, label = 'Loading', className }: SpinnerProps) {
  const ring = (
    <svg className="ui-spinner__ring" width={size} height={size} viewBox="0 0 24 24" aria-hidden="true" focusable="false">
      <circle cx="12" cy="12" r="9.5" fill="none" stroke="currentColor" strokeWidth="3" opacity="0.2" />
      <path d="M21.5 12A9.5 9.5 0 0 0 12 2.5" fill="none" stroke="currentColor" strokeWidth="3" strokeLinecap="round" />
    </svg>
  );
  if (label === null) return <span className={cx('ui-spinner', className)}>{ring}</span>;
  return (
    <span className={cx('ui-spinner', className)} role="status">
      {ring}
      <span className="sr-only">{label}</span>
    </span>
  );
}

export interface FullPageSpinnerProps {
  label?: string;
}

/**
 * A calm, centred loading state for the whole page (e.g. while the session is checked).
 * It fades in after a short delay so that fast loads never flash a spinner.
 */
export function FullPageSpinner({ label = 'Loading' }: FullPageSpinnerProps) {
  return (
    <div className="ui-fullpage-spinner">
      <Spinner size={24} label={label} />
    </div>
  );
}
