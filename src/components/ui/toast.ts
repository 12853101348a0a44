/**
 * `toast` without sonner in the first-load bundle: sonner (~10 KB gzip) is fetched the
 * first time a toast is raised or when the Toaster mounts just after start-up, whichever
 * comes first. Sonner keeps toasts raised before its Toaster subscribes, so nothing is
 * lost. Use this everywhere instead of importing 'sonner' directly.
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

const show = (kind: Kind | 'message') => (message: ReactNode, options?: ToastOptions) => {
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
