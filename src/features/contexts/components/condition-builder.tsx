/**
 * "Add condition": a small form (path, operator, value) that builds one `where` condition.
 * It validates as you type with the contract's own parser (contract/search/condition.ts),
 * the one the server uses, so what the form accepts the server accepts; an error names
 * the field and what was expected there.
 */
import { useId, useState, type FormEvent } from 'react';
import {
  CONDITION_OPERATORS,
  formatCondition,
  parseCondition,
  type Condition,
  type ConditionOperator,
} from '@contract/search/condition';
import { Button, Select, TextField } from '@/components/ui';
import { Popover } from './popover';

const OPERATOR_LABELS: Record<ConditionOperator, string> = {
  '=': '= equals',
  '!=': '!= does not equal',
  '<': '< less than',
  '<=': '<= at most',
  '>': '> greater than',
  '>=': '>= at least',
  '~': '~ contains (any case)',
  exists: 'exists',
  '!exists': 'does not exist',
};
const OPERATOR_OPTIONS = CONDITION_OPERATORS.map((op) => ({ value: op, label: OPERATOR_LABELS[op] }));

const takesValue = (op: ConditionOperator) => op !== 'exists' && op !== '!exists';

export interface ConditionDraftCheck {
  condition: Condition | null;
  pathError: string | null;
  valueError: string | null;
}

const capitalize = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);

/**
 * Checks a draft: the parser reads `path op value` as one text; an error before the end
 * of the path belongs to the path field, any later one to the value field. Empty fields
 * are not errors yet (nothing typed), they only keep Add disabled.
 */
export function checkConditionDraft(path: string, op: ConditionOperator, value: string): ConditionDraftCheck {
  if (path.trim() === '' || (takesValue(op) && value.trim() === '')) {
    // Still check the part that was typed.
    const typedPath = path.trim() === '' ? null : checkConditionDraft(path, 'exists', '').pathError;
    return { condition: null, pathError: typedPath, valueError: null };
  }
  const text = takesValue(op) ? `${path} ${op} ${value}` : `${path} ${op}`;
  const parsed = parseCondition(text);
  if (parsed.ok) return { condition: parsed.condition, pathError: null, valueError: null };
  const { position, expected, message } = parsed.error;
  if (position <= path.length) {
    const what = expected.includes('an operator (= != < <= > >= ~ exists !exists)')
      ? 'A path has no spaces or operators; write a name with them as ["my name"]'
      : capitalize(message);
    return { condition: null, pathError: what, valueError: null };
  }
  return { condition: null, pathError: null, valueError: capitalize(message) };
}

export interface ConditionBuilderProps {
  onAdd: (condition: string) => void;
}

export function ConditionBuilder({ onAdd }: ConditionBuilderProps) {
  const [open, setOpen] = useState(false);
  const [path, setPath] = useState('');
  const [op, setOp] = useState<ConditionOperator>('=');
  const [value, setValue] = useState('');
  const formId = useId();
  const check = checkConditionDraft(path, op, value);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!check.condition) return;
    onAdd(formatCondition(check.condition));
    setPath('');
    setValue('');
    setOp('=');
    setOpen(false);
  };

  return (
    <Popover
      label="Add condition"
      panelLabel="New condition"
      open={open}
      onOpenChange={setOpen}
      buttonProps={{ size: 'sm', variant: 'secondary' }}
      className="ctx-condition"
    >
      <form className="ctx-condition__form" onSubmit={submit} aria-describedby={`${formId}-help`} noValidate>
        <p id={`${formId}-help`} className="ctx-condition__help">
          A member of the context and a JSON value, e.g. <code>customer.email = &quot;alice@example.com&quot;</code>,{' '}
          <code>items[0].qty &gt; 2</code>, <code>[&quot;key.with.dots&quot;] exists</code>.
        </p>
        <TextField
          label="Path"
          size="sm"
          placeholder="customer.email"
          value={path}
          onChange={(event) => setPath(event.target.value)}
          error={check.pathError ?? undefined}
          autoComplete="off"
          spellCheck={false}
        />
        <Select
          label="Operator"
          size="sm"
          options={OPERATOR_OPTIONS}
          value={op}
          onChange={(event) => setOp(event.target.value as ConditionOperator)}
        />
        {takesValue(op) && (
          <TextField
            label="Value"
            size="sm"
            placeholder={op === '~' ? '"timeout"' : '"text", 42, true, false or null'}
            hint={check.valueError ? undefined : 'Strings in double quotes; numbers compared exactly'}
            value={value}
            onChange={(event) => setValue(event.target.value)}
            error={check.valueError ?? undefined}
            autoComplete="off"
            spellCheck={false}
          />
        )}
        <Button type="submit" size="sm" variant="primary" disabled={check.condition === null}>
          Add
        </Button>
      </form>
    </Popover>
  );
}
