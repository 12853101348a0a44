/**
 * A debouncer: `call(...args)` runs the callback `delayMs` after the last call, with the
 * last arguments; `flush()` runs a pending call now; `cancel()` drops it. The callback can
 * be swapped at any time (the latest one runs), which lets a React hook hold one debouncer
 * for the component's life while always calling the latest render's callback.
 */
export interface Debouncer<Args extends unknown[]> {
  call: (...args: Args) => void;
  flush: () => void;
  cancel: () => void;
  setCallback: (callback: (...args: Args) => void) => void;
  readonly pending: boolean;
}

export function createDebouncer<Args extends unknown[]>(
  delayMs: number,
  initial: (...args: Args) => void = () => undefined,
): Debouncer<Args> {
  let callback = initial;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let pendingArgs: Args | undefined;
  const run = () => {
    timer = undefined;
    const args = pendingArgs;
    pendingArgs = undefined;
    if (args) callback(...args);
  };
  return {
    call: (...args: Args) => {
      pendingArgs = args;
      clearTimeout(timer);
      timer = setTimeout(run, delayMs);
    },
    flush: () => {
      clearTimeout(timer);
      run();
    },
    cancel: () => {
      clearTimeout(timer);
      timer = undefined;
      pendingArgs = undefined;
    },
    setCallback: (next) => {
      callback = next;
    },
    get pending() {
      return pendingArgs !== undefined;
    },
  };
}
