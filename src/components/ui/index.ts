/**
 * The dashboard's UI kit. Import from '@/components/ui' (tree-shaken: only what a module
 * uses ends up in its chunk). Styles live in src/styles/ui.css, loaded once by main.tsx.
 */
export { AlertDialog, type AlertDialogProps } from './alert-dialog';
export { Badge, type BadgeProps, type BadgeTone } from './badge';
export { Button, buttonClassName, type ButtonProps, type ButtonSize, type ButtonVariant } from './button';
export { Checkbox, type CheckboxProps } from './checkbox';
export { CopyButton, copyText, type CopyButtonProps } from './copy-button';
export { cx } from './cx';
export { describeError, type ErrorDescription } from './describe-error';
export { Dialog, DialogClose, type DialogProps } from './dialog';
export { Drawer, type DrawerProps } from './drawer';
export { EmptyState, type EmptyStateProps } from './empty-state';
export { ErrorBoundary, PanelErrorBoundary, type ErrorBoundaryProps, type PanelErrorBoundaryProps } from './error-boundary';
export { ErrorState, type ErrorStateProps } from './error-state';
export { Field, type FieldProps } from './field';
export * from './icons';
export { IconButton, type IconButtonProps } from './icon-button';
export { Kbd } from './kbd';
export { RelativeTime, useNow, type RelativeTimeProps } from './relative-time';
export { formatExact, formatIsoUtc, formatRelative } from './relative-time-format';
export { Select, type SelectOption, type SelectProps } from './select';
export { Skeleton, type SkeletonProps } from './skeleton';
export { FullPageSpinner, Spinner, type SpinnerProps } from './spinner';
export { STATUS_LABELS, STATUS_OPTIONS, STATUS_TONES, StatusBadge, statusLabel, type StatusBadgeProps } from './status-badge';
export { TextField, type TextFieldProps } from './text-field';
export { Toaster, toast, type ToasterProps, type ToastOptions } from './toaster';
export { Tooltip, type TooltipProps } from './tooltip';
export { VisuallyHidden } from './visually-hidden';
