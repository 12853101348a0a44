/**
 * "Go to context": paste an id from a ticket, open it. The context is fetched first (GET
 * by id, into the detail cache the drawer reads), so a missing id is said plainly here,
 * next to what was typed, instead of opening a drawer with an error in it.
 */
import { useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { Button, TextField, describeError } from '@/components/ui';
import { contextQueryOptions, isNotFound } from '../api/get-context';
import { cleanText } from '../filters';

export interface GoToContextProps {
  onOpen: (id: string) => void;
}

export const notFoundMessage = (id: string) => `No context with id “${id}” exists.`;

export function GoToContext({ onOpen }: GoToContextProps) {
  const queryClient = useQueryClient();
  const [value, setValue] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);

  const onSubmit = async (event: FormEvent) => {
    event.preventDefault();
    const id = cleanText(value);
    if (id === null || pending) return;
    setPending(true);
    setError(null);
    try {
      await queryClient.fetchQuery(contextQueryOptions(id));
      setValue('');
      onOpen(id);
    } catch (caught) {
      setError(isNotFound(caught) ? notFoundMessage(id) : describeError(caught).message);
    } finally {
      setPending(false);
    }
  };

  return (
    <form className="ctx-goto" onSubmit={onSubmit} aria-label="Go to context">
      <TextField
        label="Go to context"
        hideLabel
        size="sm"
        placeholder="Paste a context id"
        value={value}
        onChange={(e) => {
          setValue(e.target.value);
          if (error) setError(null);
        }}
        error={error ?? undefined}
        autoComplete="off"
        spellCheck={false}
        className="ctx-goto__field"
      />
      <Button type="submit" size="sm" loading={pending} disabled={value.trim() === ''}>
        Open
      </Button>
    </form>
  );
}
