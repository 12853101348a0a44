import { useId, type ReactNode, type Ref, type SelectHTMLAttributes } from 'react';
import { cx } from './cx';
import { Field, fieldDescriptionIds } from './field';
import { ChevronDownIcon } from './icons';

export interface SelectOption {
  value: string;
  label: string;
  disabled?: boolean;
}

export interface SelectProps extends Omit<SelectHTMLAttributes<HTMLSelectElement>, 'size'> {
  label: ReactNode;
  hideLabel?: boolean;
  hint?: ReactNode;
  error?: ReactNode;
  /** Options; or pass <option> children. */
  options?: readonly SelectOption[];
  size?: 'sm' | 'md' | 'lg';
  className?: string;
  ref?: Ref<HTMLSelectElement>;
}

/** A labelled native <select>: fully accessible and keyboard-friendly at no cost. */
export function Select({
  label,
  hideLabel,
  hint,
  error,
  options,
  children,
  size = 'md',
  className,
  id,
  ref,
  ...props
}: SelectProps) {
  const autoId = useId();
  const selectId = id ?? autoId;
  return (
    <Field id={selectId} label={label} hideLabel={hideLabel} hint={hint} error={error} className={className}>
      <div className={cx('ui-select', `ui-select--${size}`)} data-invalid={error ? true : undefined}>
        <select
          ref={ref}
          id={selectId}
          className="ui-select__control"
          aria-invalid={error ? true : undefined}
          aria-describedby={cx(props['aria-describedby'], fieldDescriptionIds(selectId, { hint, error })) || undefined}
          {...props}
        >
          {options?.map((option) => (
            <option key={option.value} value={option.value} disabled={option.disabled}>
              {option.label}
            </option>
          ))}
          {children}
        </select>
        <ChevronDownIcon size={14} className="ui-select__chevron" />
      </div>
    </Field>
  );
}
