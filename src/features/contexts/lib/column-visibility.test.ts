import { beforeEach, describe, expect, it } from 'vitest';
import { COLUMN_VISIBILITY_KEY, loadColumnVisibility, sanitizeVisibility, saveColumnVisibility } from './column-visibility';

const hideable = ['agent', 'session', 'preview'];

describe('column visibility storage', () => {
  beforeEach(() => localStorage.clear());

  it('round-trips through localStorage', () => {
    saveColumnVisibility({ session: false, preview: true });
    expect(loadColumnVisibility(hideable)).toEqual({ session: false, preview: true });
  });

  it('ignores garbage, unknown columns and non-boolean values', () => {
    localStorage.setItem(COLUMN_VISIBILITY_KEY, '{not json');
    expect(loadColumnVisibility(hideable)).toEqual({});
    expect(sanitizeVisibility({ id: false, agent: 'no', session: false }, hideable)).toEqual({ session: false });
    expect(sanitizeVisibility([false], hideable)).toEqual({});
    expect(sanitizeVisibility(null, hideable)).toEqual({});
  });

  it('survives a storage that throws', () => {
    const broken = {
      getItem: () => {
        throw new Error('denied');
      },
      setItem: () => {
        throw new Error('full');
      },
    } as unknown as Storage;
    expect(loadColumnVisibility(hideable, broken)).toEqual({});
    expect(() => saveColumnVisibility({ agent: false }, broken)).not.toThrow();
  });
});
