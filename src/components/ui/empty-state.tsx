import type { ReactNode } from 'react';
import { cx } from './cx';
import { InboxIcon } from './icons';

export interface EmptyStateProps {
  title: ReactNode;
  description?: ReactNode;
  /** Decorative icon; defaults to an inbox. */
  icon?: ReactNode;
  /** A way forward: "Clear filters", "Create context"… */
  action?: ReactNode;
  /** Heading level of the title inside the page's outline. Default 2. */
  headingLevel?: 1 | 2 | 3;
  /** Smaller padding, for panels and table bodies. */
  compact?: boolean;
  className?: string;
}

/** What to show when there is nothing to show, and what to do about it. */
export function EmptyState({ title, description, icon, action, headingLevel = 2, compact, className }: EmptyStateProps) {
  const Heading = (['h1', 'h2', 'h3'] as const)[headingLevel - 1] ?? 'h2';
  return (
    <div className={cx('ui-state', compact && 'ui-state--compact', className)}>
      <div className="ui-state__icon" aria-hidden="true">
        {icon ?? <InboxIcon size={20} />}
      </div>
      <Heading className="ui-state__title">{title}</Heading>
      {description && <p className="ui-state__description">{description}</p>}
      {action && <div className="ui-state__action">{action}</div>}
    </div>
  );
}
