/**
 * Case-insensitivity of search, written once. `q` and the text it is looked for in are
 * both folded with this function before any engine compares them, so SQLite and
 * PostgreSQL agree whatever their own collations do. No dependencies (dashboard-safe).
 */

/**
 * Folds text for case-insensitive comparison: Unicode lower case (`É` → `é`, `Σ` → `σ`),
 * with the final sigma `ς` as `σ` (JavaScript lowers a word-final `Σ` to `ς`, PostgreSQL's
 * per-character lower() to `σ`; the store SQL applies the same replacement). It does not
 * remove accents.
 */
export const foldForSearch = (text: string): string => text.toLowerCase().replaceAll('ς', 'σ');
