import type { CSSProperties } from 'react';
import { cx } from './cx';

export interface SkeletonProps {
  /** CSS width (number = px). Default 100%. */
  width?: number | string;
  /** CSS height (number = px). Default 1em-ish text line. */
  height?: number | string;
  /** `text` lines have rounded ends and the height of a line of text. */
  variant?: 'text' | 'rect' | 'circle';
  className?: string;
  style?: CSSProperties;
}

/**
 * A placeholder with the shape of content that is loading. Decorative (aria-hidden): the
 * surrounding region should say it is busy (`aria-busy`) or hold a Spinner with a label.
 * Give it the final content's size so nothing moves when the data arrives.
 */
export function Skeleton({ width, height, variant = 'text', className, style }: SkeletonProps) {
  return (
    <span
      aria-hidden="true"
      className={cx('ui-skeleton', `ui-skeleton--${variant}`, className)}
      style={{ width, height, ...style }}
    />
  );
}
