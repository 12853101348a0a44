import { CONTEXT_STATUSES, isInUse, type ContextStatus } from '@contract/constants';
import { Badge, type BadgeProps, type BadgeTone } from './badge';

/** Human labels of the contract's statuses (CONTEXT_STATUSES). */
export const STATUS_LABELS: Record<ContextStatus, string> = {
  idle: 'Idle',
  running: 'Running',
  waiting_for_input: 'Waiting for input',
  interrupted: 'Interrupted',
  completed: 'Completed',
  failed: 'Failed',
};

/**
 * One distinct hue per status, checked for contrast (text ≥ 4.5:1 on its tinted
 * background) in both themes. In-use statuses (running, waiting) are the "live" colours.
 */
export const STATUS_TONES: Record<ContextStatus, BadgeTone> = {
  idle: 'neutral',
  running: 'blue',
  waiting_for_input: 'violet',
  interrupted: 'amber',
  completed: 'green',
  failed: 'red',
};

export const statusLabel = (status: ContextStatus): string => STATUS_LABELS[status] ?? status;

/** Statuses with their labels, in the contract's order: for filters and legends. */
export const STATUS_OPTIONS: ReadonlyArray<{ value: ContextStatus; label: string }> = CONTEXT_STATUSES.map((value) => ({
  value,
  label: STATUS_LABELS[value],
}));

export interface StatusBadgeProps extends Omit<BadgeProps, 'tone' | 'children' | 'dot'> {
  status: ContextStatus;
}

/**
 * A context's status as a badge. Tolerates an unknown status from a newer server (shows
 * it as a neutral badge) rather than crashing the row.
 */
export function StatusBadge({ status, ...props }: StatusBadgeProps) {
  const tone = STATUS_TONES[status] ?? 'neutral';
  return (
    <Badge tone={tone} dot data-status={status} data-in-use={isInUse(status) || undefined} {...props}>
      {statusLabel(status)}
    </Badge>
  );
}
