import type { ReactNode } from 'react';
import { AlertTriangleIcon, Button, ErrorBoundary, RefreshIcon } from '@/components/ui';

/** Last-resort fallback when the app itself failed to render. Kept dependency-free. */
export function AppErrorFallback({ error }: { error: unknown }) {
  const detail = error instanceof Error ? error.message : undefined;
  return (
    <main className="fullpage-state">
      <div className="ui-state" role="alert">
        <div className="ui-state__icon" aria-hidden="true">
          <AlertTriangleIcon size={20} />
        </div>
        <h1 className="ui-state__title">Something went wrong</h1>
        <p className="ui-state__description">
          The console hit an unexpected error. Reloading usually fixes it; your data on the server is unaffected.
        </p>
        {detail && <p className="ui-state__description mono">{detail}</p>}
        <div className="ui-state__action">
          <Button variant="primary" leadingIcon={<RefreshIcon size={14} />} onClick={() => window.location.reload()}>
            Reload the page
          </Button>
        </div>
      </div>
    </main>
  );
}

/** App-level boundary: any render error outside a panel's own boundary ends up here. */
export function AppErrorBoundary({ children }: { children: ReactNode }) {
  return (
    <ErrorBoundary
      fallback={({ error }) => <AppErrorFallback error={error} />}
      onError={(error, info) => console.error('Unhandled render error', error, info.componentStack)}
    >
      {children}
    </ErrorBoundary>
  );
}
