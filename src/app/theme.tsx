import { createContext, useCallback, useContext, useLayoutEffect, useMemo, useState, useSyncExternalStore, type ReactNode } from 'react';
import {
  applyTheme,
  nextPreference,
  readStoredPreference,
  resolveTheme,
  storePreference,
  type ResolvedTheme,
  type ThemePreference,
} from './theme-preference';

interface ThemeContextValue {
  /** What the user chose ('system' follows the OS). */
  preference: ThemePreference;
  /** What is shown. */
  resolved: ResolvedTheme;
  setPreference: (preference: ThemePreference) => void;
  /** system → light → dark → system (the header's toggle). */
  cycle: () => void;
}

const ThemeContext = createContext<ThemeContextValue | null>(null);

const QUERY = '(prefers-color-scheme: dark)';
function subscribeToSystem(callback: () => void) {
  const media = window.matchMedia?.(QUERY);
  media?.addEventListener('change', callback);
  return () => media?.removeEventListener('change', callback);
}
const systemPrefersDark = () => window.matchMedia?.(QUERY).matches ?? false;

/**
 * Owns the theme: the stored preference, the OS setting (live: switching the OS to dark
 * switches a 'system' user at once) and `data-theme` on <html>.
 */
export function ThemeProvider({ children }: { children: ReactNode }) {
  const [preference, setPreferenceState] = useState<ThemePreference>(() => readStoredPreference());
  const prefersDark = useSyncExternalStore(subscribeToSystem, systemPrefersDark, () => false);
  const resolved = resolveTheme(preference, prefersDark);

  // Layout effect: the DOM attribute changes in the same frame as React's render.
  useLayoutEffect(() => applyTheme(resolved), [resolved]);

  const setPreference = useCallback((next: ThemePreference) => {
    storePreference(next);
    setPreferenceState(next);
  }, []);
  const cycle = useCallback(() => setPreference(nextPreference(preference)), [preference, setPreference]);

  const value = useMemo(() => ({ preference, resolved, setPreference, cycle }), [preference, resolved, setPreference, cycle]);
  return <ThemeContext.Provider value={value}>{children}</ThemeContext.Provider>;
}

export function useTheme(): ThemeContextValue {
  const value = useContext(ThemeContext);
  if (!value) throw new Error('useTheme must be used inside <ThemeProvider>');
  return value;
}
