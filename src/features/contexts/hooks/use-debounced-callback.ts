import { useEffect, useState } from 'react';
import { createDebouncer, type Debouncer } from '../lib/debounce';

/**
 * A debouncer that lives as long as the component and always calls the latest
 * `callback` (so callers need not memoize it). A pending call is dropped on unmount.
 */
export function useDebouncedCallback<Args extends unknown[]>(
  callback: (...args: Args) => void,
  delayMs: number,
): Debouncer<Args> {
  const [debouncer] = useState(() => createDebouncer<Args>(delayMs, callback));
  useEffect(() => {
    debouncer.setCallback(callback);
  });
  useEffect(() => () => debouncer.cancel(), [debouncer]);
  return debouncer;
}
