import { lazy, Suspense, useSyncExternalStore } from 'react';
import { loadSonner, subscribeToastsRaised, toastsRaised } from './toast';

export { toast, type ToastOptions } from './toast';

const SonnerToaster = lazy(() => loadSonner().then((module) => ({ default: module.Toaster })));

export interface ToasterProps {
  /** The resolved theme (never 'system': the app already resolved it). */
  theme: 'light' | 'dark';
}

/**
 * Toasts for results that outlive the action (saved, deleted, failed in the background).
 * Loaded and mounted with the first toast (see toast.ts). Themed through CSS variables (ui.css) so they match the
 * surfaces in both themes; `theme` lets sonner pick its matching icon colours.
 */
export function Toaster({ theme }: ToasterProps) {
  // Nothing (and no sonner download) until the first toast is raised.
  const raised = useSyncExternalStore(subscribeToastsRaised, toastsRaised, toastsRaised);
  if (!raised) return null;
  return (
    <Suspense fallback={null}>
      <SonnerToaster
        theme={theme}
        position="bottom-right"
        closeButton
        duration={5000}
        visibleToasts={4}
        containerAriaLabel="Notifications"
        toastOptions={{ className: 'ui-toast' }}
      />
    </Suspense>
  );
}
