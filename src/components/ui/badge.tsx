import type { HTMLAttributes, ReactNode } from 'react';
import { cx } from './cx';

export type BadgeTone = 'neutral' | 'blue' | 'violet' | 'amber' | 'green' | 'red' | 'indigo';

export interface BadgeProps extends HTMLAttributes<HTMLSpanElement> {
  tone?: BadgeTone;
  /** A coloured dot before the text (status-like badges). */
  dot?: boolean;
  size?: 'sm' | 'md';
  children: ReactNode;
}

/** A small label. Colour is never the only signal: the text says what it means. */
export function Badge({ tone = 'neutral', dot = false, size = 'md', className, children, ...props }: BadgeProps) {
  return (
    <span className={cx('ui-badge', `ui-badge--${tone}`, `ui-badge--${size}`, className)} {...props}>
      {dot && <span className="ui-badge__dot" aria-hidden="true" />}
      {children}
    </span>
  );
}
