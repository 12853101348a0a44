import { useId, type InputHTMLAttributes, type ReactNode, type Ref } from 'react';
import { cx } from './cx';
import { Field, fieldDescriptionIds } from './field';

export interface TextFieldProps extends Omit<InputHTMLAttributes<HTMLInputElement>, 'size'> {
  label: ReactNode;
  hideLabel?: boolean;
  hint?: ReactNode;
  /** Error text; also marks the input aria-invalid. */
  error?: ReactNode;
  /** Decorative icon inside the input, on the left (e.g. a search glass). */
  leadingIcon?: ReactNode;
  /** Content inside the input, on the right (a clear button, a Kbd hint). */
  trailing?: ReactNode;
  size?: 'sm' | 'md' | 'lg';
  /** Class of the outer field wrapper. */
  className?: string;
  inputClassName?: string;
  ref?: Ref<HTMLInputElement>;
}

/**
 * A labelled text input. Works with react-hook-form's `register()` (forwards ref, name,
 * onChange, onBlur).
 */
export function TextField({
  label,
  hideLabel,
  hint,
  error,
  leadingIcon,
  trailing,
  size = 'md',
  className,
  inputClassName,
  id,
  type = 'text',
  ref,
  ...props
}: TextFieldProps) {
  const autoId = useId();
  const inputId = id ?? autoId;
  return (
    <Field id={inputId} label={label} hideLabel={hideLabel} hint={hint} error={error} className={className}>
      <div
        className={cx('ui-input', `ui-input--${size}`, leadingIcon ? 'ui-input--leading' : undefined, trailing ? 'ui-input--trailing' : undefined)}
        data-invalid={error ? true : undefined}
      >
        {leadingIcon && (
          <span className="ui-input__icon" aria-hidden="true">
            {leadingIcon}
          </span>
        )}
        <input
          ref={ref}
          id={inputId}
          type={type}
          className={cx('ui-input__control', inputClassName)}
          aria-invalid={error ? true : undefined}
          aria-describedby={cx(props['aria-describedby'], fieldDescriptionIds(inputId, { hint, error })) || undefined}
          {...props}
        />
        {trailing && <span className="ui-input__trailing">{trailing}</span>}
      </div>
    </Field>
  );
}
