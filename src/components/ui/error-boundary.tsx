import { Component, type ErrorInfo, type ReactNode } from 'react';
import { ErrorState } from './error-state';

export interface ErrorBoundaryProps {
  children: ReactNode;
  /** What to render instead of the children after a render error. */
  fallback: (props: { error: unknown; reset: () => void }) => ReactNode;
  /** When any of these change, a shown fallback resets (e.g. the route or the record id). */
  resetKeys?: readonly unknown[];
  onReset?: () => void;
  onError?: (error: unknown, info: ErrorInfo) => void;
}

interface State {
  error: unknown;
  hasError: boolean;
  keys: readonly unknown[] | undefined;
}

const changed = (a: readonly unknown[] = [], b: readonly unknown[] = []) =>
  a.length !== b.length || a.some((item, i) => !Object.is(item, b[i]));

/** Catches render errors below it. React still needs a class component for this. */
export class ErrorBoundary extends Component<ErrorBoundaryProps, State> {
  override state: State = { error: undefined, hasError: false, keys: this.props.resetKeys };

  static getDerivedStateFromError(error: unknown): Partial<State> {
    return { error, hasError: true };
  }

  static getDerivedStateFromProps(props: ErrorBoundaryProps, state: State): Partial<State> | null {
    if (state.hasError && changed(props.resetKeys, state.keys)) {
      return { error: undefined, hasError: false, keys: props.resetKeys };
    }
    return changed(props.resetKeys, state.keys) ? { keys: props.resetKeys } : null;
  }

  override componentDidCatch(error: unknown, info: ErrorInfo): void {
    this.props.onError?.(error, info);
  }

  reset = (): void => {
    this.props.onReset?.();
    this.setState({ error: undefined, hasError: false });
  };

  override render(): ReactNode {
    if (this.state.hasError) return this.props.fallback({ error: this.state.error, reset: this.reset });
    return this.props.children;
  }
}

export interface PanelErrorBoundaryProps {
  children: ReactNode;
  /** Names the panel in the fallback: "The details panel failed to load." */
  title?: string;
  resetKeys?: readonly unknown[];
  /** Called before re-rendering, e.g. react-query's `reset` of QueryErrorResetBoundary. */
  onReset?: () => void;
}

/**
 * For one panel (a drawer body, the editor, a table): a crash shows an ErrorState with
 * "Try again" in place of the panel while the rest of the app keeps working.
 */
export function PanelErrorBoundary({ children, title = 'This panel failed to display', resetKeys, onReset }: PanelErrorBoundaryProps) {
  return (
    <ErrorBoundary
      resetKeys={resetKeys}
      onReset={onReset}
      fallback={({ error, reset }) => (
        <ErrorState compact headingLevel={3} title={title} error={error} onRetry={reset} retryLabel="Try again" />
      )}
    >
      {children}
    </ErrorBoundary>
  );
}
