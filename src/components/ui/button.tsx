import type { ButtonHTMLAttributes, ReactNode, Ref } from 'react';
import { cx } from './cx';
import { Spinner } from './spinner';

export type ButtonVariant = 'primary' | 'secondary' | 'ghost' | 'danger';
export type ButtonSize = 'sm' | 'md' | 'lg';

export interface ButtonProps extends ButtonHTMLAttributes<HTMLButtonElement> {
  variant?: ButtonVariant;
  size?: ButtonSize;
  /**
   * Shows a spinner in place of the leading icon and blocks clicks, keeping the label (so
   * the width does not jump and screen readers still know what the button does).
   */
  loading?: boolean;
  /** Icon before the label (decorative). */
  leadingIcon?: ReactNode;
  /** Icon after the label (decorative). */
  trailingIcon?: ReactNode;
  /** Stretch to the container's width. */
  block?: boolean;
  ref?: Ref<HTMLButtonElement>;
}

/** Class names of a button, for links and other elements that must look like one. */
export function buttonClassName({
  variant = 'secondary',
  size = 'md',
  block = false,
  className,
}: { variant?: ButtonVariant; size?: ButtonSize; block?: boolean; className?: string } = {}): string {
  return cx('ui-button', `ui-button--${variant}`, `ui-button--${size}`, block && 'ui-button--block', className);
}

/**
 * The dashboard's button. `type` defaults to "button" (not the HTML default "submit") so
 * a button inside a form only submits when asked to.
 */
export function Button({
  variant = 'secondary',
  size = 'md',
  loading = false,
  leadingIcon,
  trailingIcon,
  block = false,
  className,
  children,
  disabled,
  type = 'button',
  onClick,
  ref,
  ...props
}: ButtonProps) {
  return (
    <button
      ref={ref}
      type={type}
      className={buttonClassName({ variant, size, block, className })}
      // aria-disabled instead of disabled while loading: the button keeps focus (a disabled
      // button drops it to <body>) and is still announced, but clicks do nothing.
      disabled={disabled}
      aria-disabled={loading || undefined}
      aria-busy={loading || undefined}
      data-loading={loading || undefined}
      onClick={loading ? (event) => event.preventDefault() : onClick}
      {...props}
    >
      {loading ? <Spinner size={size === 'sm' ? 12 : 14} label={null} /> : leadingIcon}
      {children !== undefined && children !== null && <span className="ui-button__label">{children}</span>}
      {trailingIcon}
    </button>
  );
}
