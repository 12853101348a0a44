/**
 * The app's current theme, read from `data-theme` on <html> — the attribute the shell's
 * ThemeProvider and the pre-paint theme script keep up to date. Reading the attribute
 * (rather than the provider's context) keeps the editor chunk independent of the shell and
 * follows every way the theme can change: the toggle, the system setting, another tab.
 */
import { useSyncExternalStore } from 'react';

export type AppTheme = 'light' | 'dark';

const read = (): AppTheme => (document.documentElement.dataset.theme === 'dark' ? 'dark' : 'light');

function subscribe(onChange: () => void): () => void {
  const observer = new MutationObserver(onChange);
  observer.observe(document.documentElement, { attributes: true, attributeFilter: ['data-theme'] });
  return () => observer.disconnect();
}

export function useDocumentTheme(): AppTheme {
  return useSyncExternalStore(subscribe, read, () => 'light');
}
