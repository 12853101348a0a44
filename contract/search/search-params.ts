/**
 * The list endpoint's search parameters (issue 10), `q` and `where`, checked once for the
 * server (400 `invalid_query` details) and the dashboard (validation as you type).
 * No dependencies: safe in the dashboard's first-load bundle.
 */
import { MAX_CONDITIONS, parseCondition, type Condition, type ConditionError } from './condition';
import { foldForSearch } from './fold';

/** Shortest `q` (characters): the trigram indexes answer nothing shorter. */
export const Q_MIN_CHARS = 3;
/** Longest `q` (characters). */
export const Q_MAX_CHARS = 200;

/**
 * What is wrong with one search parameter. `index` is the position of a `where` among the
 * request's `where` parameters (0-based); `position` the offset inside its text.
 */
export interface SearchParamIssue extends ConditionError {
  param: 'q' | 'where';
  index: number;
}

/** Offset of the first control character (U+0000–U+001F, U+007F), or -1. */
function controlCharacterAt(text: string): number {
  for (let i = 0; i < text.length; i += 1) {
    const code = text.charCodeAt(i);
    if (code < 0x20 || code === 0x7f) return i;
  }
  return -1;
}

/** Checks `q`; null when it is acceptable. Length is counted in characters (code points). */
export function checkSearchText(q: string): SearchParamIssue | null {
  const chars = [...q].length;
  const issue = (position: number, expected: string, message: string): SearchParamIssue => ({
    param: 'q',
    index: 0,
    position,
    expected: [expected],
    message,
  });
  if (chars < Q_MIN_CHARS) {
    return issue(q.length, `at least ${Q_MIN_CHARS} characters`, `q must have at least ${Q_MIN_CHARS} characters`);
  }
  if (chars > Q_MAX_CHARS) {
    return issue(Q_MAX_CHARS, `at most ${Q_MAX_CHARS} characters`, `q must have at most ${Q_MAX_CHARS} characters`);
  }
  const control = controlCharacterAt(q);
  if (control >= 0) {
    // The search text joins a context's strings with newlines: a control character in q
    // could match across two of them.
    return issue(control, 'a printable character', 'q must not contain control characters (tabs, newlines…)');
  }
  return null;
}

/** Parsed search of a list request. */
export interface ParsedSearch {
  /** The text to find, folded (see fold.ts); undefined: no `q`. */
  q?: string;
  /** All must hold. */
  where: Condition[];
}

export type SearchParseResult = { ok: true; search: ParsedSearch } | { ok: false; issues: SearchParamIssue[] };

/** `where` as a query string gives it: absent, once, or repeated. */
export const whereList = (raw: string | readonly string[] | undefined): string[] =>
  raw === undefined ? [] : typeof raw === 'string' ? [raw] : [...raw];

/** Parses `q` and every `where`; all issues are reported, in parameter order. */
export function parseSearchParams(q: string | undefined, where: string | readonly string[] | undefined): SearchParseResult {
  const issues: SearchParamIssue[] = [];
  if (q !== undefined) {
    const issue = checkSearchText(q);
    if (issue) issues.push(issue);
  }
  const texts = whereList(where);
  if (texts.length > MAX_CONDITIONS) {
    issues.push({
      param: 'where',
      index: MAX_CONDITIONS,
      position: 0,
      expected: [`at most ${MAX_CONDITIONS} conditions`],
      message: `at most ${MAX_CONDITIONS} where conditions per request`,
    });
  }
  const conditions: Condition[] = [];
  texts.slice(0, MAX_CONDITIONS).forEach((text, index) => {
    const parsed = parseCondition(text);
    if (parsed.ok) conditions.push(parsed.condition);
    else issues.push({ param: 'where', index, ...parsed.error });
  });
  if (issues.length > 0) return { ok: false, issues };
  return { ok: true, search: { ...(q === undefined ? {} : { q: foldForSearch(q) }), where: conditions } };
}
