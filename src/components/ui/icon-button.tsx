import type { ButtonHTMLAttributes, ReactNode, Ref } from 'react';
import type { ButtonSize, ButtonVariant } from './button';
import { cx } from './cx';
import { Spinner } from './spinner';
import { Tooltip } from './tooltip';

export interface IconButtonProps extends Omit<ButtonHTMLAttributes<HTMLButtonElement>, 'aria-label' | 'children'> {
  /** Required: an icon alone says nothing to a screen reader. Also shown as the tooltip. */
  'aria-label': string;
  /** The icon (decorative). */
  icon: ReactNode;
  variant?: ButtonVariant;
  size?: ButtonSize;
  loading?: boolean;
  /** Show the label as a tooltip on hover and focus. Default true. */
  showTooltip?: boolean;
  /** Tooltip text when it should differ from the label (e.g. "Copied"). */
  tooltip?: ReactNode;
  tooltipPlacement?: 'top' | 'bottom';
  ref?: Ref<HTMLButtonElement>;
}

/** A square button holding only an icon; its label is required and shown as a tooltip. */
export function IconButton({
  icon,
  variant = 'ghost',
  size = 'md',
  loading = false,
  showTooltip = true,
  tooltip,
  tooltipPlacement = 'bottom',
  className,
  type = 'button',
  onClick,
  ref,
  ...props
}: IconButtonProps) {
  const button = (
    <button
      ref={ref}
      type={type}
      className={cx('ui-button', `ui-button--${variant}`, `ui-button--${size}`, 'ui-button--icon', className)}
      aria-busy={loading || undefined}
      aria-disabled={loading || undefined}
      onClick={loading ? (event) => event.preventDefault() : onClick}
      {...props}
    >
      {loading ? <Spinner size={14} label={null} /> : icon}
    </button>
  );
  if (!showTooltip) return button;
  // The tooltip repeats the accessible name, so it is visual only (no aria-describedby).
  return (
    <Tooltip content={tooltip ?? props['aria-label']} placement={tooltipPlacement} describe={false}>
      {button}
    </Tooltip>
  );
}
