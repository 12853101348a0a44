import type { ReactNode } from 'react';
import { Button } from './button';
import { cx } from './cx';
import { describeError } from './describe-error';
import { AlertTriangleIcon, RefreshIcon } from './icons';

export interface ErrorStateProps {
  /** The error to explain (ApiError or anything thrown). */
  error?: unknown;
  /** Overrides the title derived from `error`. */
  title?: ReactNode;
  /** Overrides the message derived from `error`. */
  message?: ReactNode;
  /** Shows a Retry button. */
  onRetry?: () => void;
  /** Retry in progress (e.g. a query's isFetching). */
  retrying?: boolean;
  retryLabel?: string;
  /** Extra actions next to Retry. */
  action?: ReactNode;
  headingLevel?: 1 | 2 | 3;
  compact?: boolean;
  className?: string;
}

/**
 * A failure in place of content: what happened, in words, and a Retry button. The region
 * is role="alert" so that a failure appearing after a load is announced.
 */
export function ErrorState({
  error,
  title,
  message,
  onRetry,
  retrying = false,
  retryLabel = 'Retry',
  action,
  headingLevel = 2,
  compact,
  className,
}: ErrorStateProps) {
  const described = describeError(error);
  const Heading = (['h1', 'h2', 'h3'] as const)[headingLevel - 1] ?? 'h2';
  return (
    <div role="alert" className={cx('ui-state', 'ui-state--error', compact && 'ui-state--compact', className)}>
      <div className="ui-state__icon" aria-hidden="true">
        <AlertTriangleIcon size={20} />
      </div>
      <Heading className="ui-state__title">{title ?? described.title}</Heading>
      <p className="ui-state__description">{message ?? described.message}</p>
      {(onRetry || action) && (
        <div className="ui-state__action">
          {onRetry && (
            <Button onClick={onRetry} loading={retrying} leadingIcon={<RefreshIcon size={14} />}>
              {retryLabel}
            </Button>
          )}
          {action}
        </div>
      )}
    </div>
  );
}
