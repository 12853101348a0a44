import type { ReactNode } from 'react';
import { cx } from './cx';

export interface FieldProps {
  /** id of the control the label points at. */
  id: string;
  label: ReactNode;
  /** Keep the label for screen readers only (e.g. a search box with a placeholder). */
  hideLabel?: boolean;
  hint?: ReactNode;
  error?: ReactNode;
  children: ReactNode;
  className?: string;
}

/** ids of a field's hint and error, for the control's aria-describedby. */
export function fieldDescriptionIds(id: string, { hint, error }: { hint?: ReactNode; error?: ReactNode }) {
  return cx(hint ? `${id}-hint` : undefined, error ? `${id}-error` : undefined) || undefined;
}

/** Label + control + hint + error, laid out the same way for every form control. */
export function Field({ id, label, hideLabel, hint, error, children, className }: FieldProps) {
  return (
    <div className={cx('ui-field', className)}>
      <label htmlFor={id} className={cx('ui-field__label', hideLabel && 'sr-only')}>
        {label}
      </label>
      {children}
      {hint && (
        <p id={`${id}-hint`} className="ui-field__hint">
          {hint}
        </p>
      )}
      {error && (
        <p id={`${id}-error`} className="ui-field__error" role="alert">
          {error}
        </p>
      )}
    </div>
  );
}
