/**
 * Which table columns are hidden, remembered per browser in localStorage. Only what the
 * user changed is stored (`{ session: false }`), so a column added in a later release
 * shows up by default. Reading is defensive: storage can be full, disabled (private mode)
 * or hold a value written by an older version.
 */
export type ColumnVisibility = Record<string, boolean>;

export const COLUMN_VISIBILITY_KEY = 'ecc:contexts:columns:v1';

export function sanitizeVisibility(value: unknown, hideable: readonly string[]): ColumnVisibility {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return {};
  const out: ColumnVisibility = {};
  for (const id of hideable) {
    const visible = (value as Record<string, unknown>)[id];
    if (typeof visible === 'boolean') out[id] = visible;
  }
  return out;
}

export function loadColumnVisibility(hideable: readonly string[], storage: Storage | undefined = safeStorage()): ColumnVisibility {
  try {
    const raw = storage?.getItem(COLUMN_VISIBILITY_KEY);
    return raw ? sanitizeVisibility(JSON.parse(raw), hideable) : {};
  } catch {
    return {};
  }
}

export function saveColumnVisibility(visibility: ColumnVisibility, storage: Storage | undefined = safeStorage()): void {
  try {
    storage?.setItem(COLUMN_VISIBILITY_KEY, JSON.stringify(visibility));
  } catch {
    // Not remembered this time; the table still works.
  }
}

function safeStorage(): Storage | undefined {
  try {
    return typeof window === 'undefined' ? undefined : window.localStorage;
  } catch {
    return undefined;
  }
}
