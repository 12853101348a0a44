import type { ReactNode } from 'react';
import { cx } from '@/components/ui';

export interface PageHeaderProps {
  /** The page's h1. */
  title: ReactNode;
  description?: ReactNode;
  /** Right-aligned actions (primary action last). */
  actions?: ReactNode;
  className?: string;
}

/** A page's title row, consistent across screens. */
export function PageHeader({ title, description, actions, className }: PageHeaderProps) {
  return (
    <div className={cx('page-header', className)}>
      <div className="page-header__text">
        <h1 className="page-header__title">{title}</h1>
        {description && <p className="page-header__description">{description}</p>}
      </div>
      {actions && <div className="page-header__actions">{actions}</div>}
    </div>
  );
}

/**
 * The content area of a page inside the frame's <main> (do not render another <main>).
 * `fill` makes the page exactly fill the viewport below the header, for screens with
 * their own scrolling region (a virtualised table).
 */
export function Page({ children, fill = false, className }: { children: ReactNode; fill?: boolean; className?: string }) {
  return <div className={cx('page', fill && 'page--fill', className)}>{children}</div>;
}
