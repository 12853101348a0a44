import type { ReactNode } from 'react';
import { AlertCircleIcon, AlertTriangleIcon, CheckIcon, cx, InfoIcon, Spinner } from '@/components/ui';

export type NoticeTone = 'info' | 'warning' | 'danger' | 'success' | 'progress';

export interface NoticeProps {
  tone: NoticeTone;
  title?: ReactNode;
  children?: ReactNode;
  /** Buttons on the right. */
  actions?: ReactNode;
  /**
   * `alert` for failures that need attention (announced at once), `status` for progress
   * and information (announced politely).
   */
  role?: 'alert' | 'status';
  className?: string;
}

const ICONS: Record<NoticeTone, ReactNode> = {
  info: <InfoIcon size={16} />,
  warning: <AlertTriangleIcon size={16} />,
  danger: <AlertCircleIcon size={16} />,
  success: <CheckIcon size={16} />,
  progress: <Spinner size={14} label={null} />,
};

/** A one-block message inside the editor: what happened, and what can be done. */
export function Notice({ tone, title, children, actions, role = tone === 'danger' ? 'alert' : 'status', className }: NoticeProps) {
  return (
    <div role={role} className={cx('ctx-notice', `ctx-notice--${tone}`, className)}>
      <span className="ctx-notice__icon" aria-hidden="true">
        {ICONS[tone]}
      </span>
      <div className="ctx-notice__text">
        {title && <p className="ctx-notice__title">{title}</p>}
        {children && <div className="ctx-notice__body">{children}</div>}
      </div>
      {actions && <div className="ctx-notice__actions">{actions}</div>}
    </div>
  );
}

/** `"v12"` → `v12` (ETags are quoted; people read versions). */
export const versionLabel = (etag: string | null | undefined): string => (etag ? etag.replace(/^W\//, '').replace(/"/g, '') : 'unknown version');
