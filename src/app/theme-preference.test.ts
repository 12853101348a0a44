import { describe, expect, it } from 'vitest';
import { nextPreference, readStoredPreference, resolveTheme, storePreference, THEME_STORAGE_KEY } from './theme-preference';

function memoryStorage(initial: Record<string, string> = {}) {
  const data = new Map(Object.entries(initial));
  return {
    getItem: (key: string) => data.get(key) ?? null,
    setItem: (key: string, value: string) => void data.set(key, value),
    removeItem: (key: string) => void data.delete(key),
    data,
  };
}

describe('theme preference', () => {
  it('resolves system from the OS setting', () => {
    expect(resolveTheme('system', true)).toBe('dark');
    expect(resolveTheme('system', false)).toBe('light');
    expect(resolveTheme('light', true)).toBe('light');
    expect(resolveTheme('dark', false)).toBe('dark');
  });

  it('cycles system → light → dark → system', () => {
    expect(nextPreference('system')).toBe('light');
    expect(nextPreference('light')).toBe('dark');
    expect(nextPreference('dark')).toBe('system');
  });

  it('stores explicit choices, forgets system, ignores junk', () => {
    const storage = memoryStorage();
    storePreference('dark', storage);
    expect(storage.data.get(THEME_STORAGE_KEY)).toBe('dark');
    expect(readStoredPreference(storage)).toBe('dark');
    storePreference('system', storage);
    expect(storage.data.has(THEME_STORAGE_KEY)).toBe(false);
    expect(readStoredPreference(memoryStorage({ [THEME_STORAGE_KEY]: 'purple' }))).toBe('system');
  });

  it('survives storage that throws', () => {
    const broken = {
      getItem: () => {
        throw new Error('denied');
      },
      setItem: () => {
        throw new Error('denied');
      },
      removeItem: () => {
        throw new Error('denied');
      },
    };
    expect(readStoredPreference(broken)).toBe('system');
    expect(() => storePreference('dark', broken)).not.toThrow();
  });
});
