import { Toaster as SonnerToaster } from 'sonner';

export { toast } from 'sonner';

export interface ToasterProps {
  /** The resolved theme (never 'system': the app already resolved it). */
  theme: 'light' | 'dark';
}

/**
 * Toasts for results that outlive the action (saved, deleted, failed in the background).
 * Themed through CSS variables (ui.css) so they match the surfaces in both themes; the
 * `theme` prop lets sonner pick its matching icon colours.
 */
export function Toaster({ theme }: ToasterProps) {
  return (
    <SonnerToaster
      theme={theme}
      position="bottom-right"
      closeButton
      duration={5000}
      visibleToasts={4}
      containerAriaLabel="Notifications"
      toastOptions={{ className: 'ui-toast' }}
    />
  );
}
