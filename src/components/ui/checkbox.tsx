import { useCallback, useId, type InputHTMLAttributes, type ReactNode, type Ref } from 'react';
import { cx } from './cx';

export interface CheckboxProps extends Omit<InputHTMLAttributes<HTMLInputElement>, 'type' | 'size'> {
  label: ReactNode;
  /** Keep the label for screen readers only (row selection: "Select ctx_01…"). */
  hideLabel?: boolean;
  /** Secondary text under the label. */
  description?: ReactNode;
  /** The "some selected" state of a select-all box (announced as "mixed"). */
  indeterminate?: boolean;
  className?: string;
  ref?: Ref<HTMLInputElement>;
}

/** A native checkbox, restyled, with its label. */
export function Checkbox({
  label,
  hideLabel,
  description,
  indeterminate = false,
  className,
  id,
  ref,
  ...props
}: CheckboxProps) {
  const autoId = useId();
  const inputId = id ?? autoId;
  // `indeterminate` is a DOM property only; set it whenever the element or value changes.
  const setRef = useCallback(
    (node: HTMLInputElement | null) => {
      if (node) node.indeterminate = indeterminate;
      if (typeof ref === 'function') ref(node);
      else if (ref) ref.current = node;
    },
    [indeterminate, ref],
  );
  return (
    <div className={cx('ui-checkbox', className)}>
      <input
        ref={setRef}
        id={inputId}
        type="checkbox"
        className="ui-checkbox__control"
        aria-describedby={description ? `${inputId}-desc` : undefined}
        {...props}
      />
      <span className="ui-checkbox__text">
        <label htmlFor={inputId} className={cx('ui-checkbox__label', hideLabel && 'sr-only')}>
          {label}
        </label>
        {description && (
          <span id={`${inputId}-desc`} className="ui-checkbox__description">
            {description}
          </span>
        )}
      </span>
    </div>
  );
}
