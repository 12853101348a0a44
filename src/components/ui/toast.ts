/**
 * `toast` without sonner in the first visit: sonner (~10 KB gzip) is fetched, and the
 * Toaster mounted, the first time a toast is raised (a first visit that raises none never
 * loads it: the first-load budget, issue 3). Sonner keeps toasts raised before its Toaster
 * subscribes, so nothing is lost. Use this everywhere instead of importing 'sonner'.
 *
 *   toast.success('Saved', { description: 'ctx_01… is at version 4' });
 *   toast.error('Delete failed', { id: 'bulk-delete' });   // same id → updates in place
 */
import type { ReactNode } from 'react';
import type * as SonnerModule from 'sonner';
import type { ExternalToast } from 'sonner';

type Sonner = typeof SonnerModule;
let sonner: Promise<Sonner> | undefined;
export const loadSonner = (): Promise<Sonner> => (sonner ??= import('sonner'));

export type ToastOptions = ExternalToast;
type Kind = 'success' | 'error' | 'info' | 'warning';

/** Whether a toast was ever raised: the Toaster mounts from then on (see toaster.tsx). */
let raised = false;
const raisedListeners = new Set<() => void>();
export const toastsRaised = (): boolean => raised;
export function subscribeToastsRaised(listener: () => void): () => void {
  raisedListeners.add(listener);
  return () => raisedListeners.delete(listener);
}
function markRaised(): void {
  if (raised) return;
  raised = true;
  for (const listener of raisedListeners) listener();
}

const show = (kind: Kind | 'message') => (message: ReactNode, options?: ToastOptions) => {
  markRaised();
  void loadSonner().then(({ toast: t }) => (kind === 'message' ? t(message, options) : t[kind](message, options)));
};

export const toast = {
  message: show('message'),
  success: show('success'),
  error: show('error'),
  info: show('info'),
  warning: show('warning'),
  dismiss: (id?: string | number) => {
    void loadSonner().then(({ toast: t }) => t.dismiss(id));
  },
};
