/**
 * What `q` is looked for in (issue 10): every member name, every string value (decoded:
 * `"say \"hi\""` is found by `say "hi"`, `"caf\u00e9"` by `café`) and every number's
 * spelling of a context, folded (fold.ts) and joined by newlines. JSON punctuation is
 * left out, so `q=":"` does not match every context, and q may not contain a control
 * character (search-params.ts), so no q matches across two of the joined parts.
 *
 * The stores index this text (SQLite FTS5 trigram, PostgreSQL pg_trgm) and compare q
 * with it as a plain substring; both get it from here, so they agree. Server only (it
 * uses jsonc-parser's scanner, the one lossless-json.ts uses).
 */
import { createScanner } from 'jsonc-parser';
import { foldForSearch } from './fold';

// jsonc-parser's SyntaxKind is a const enum (unreadable with isolated modules).
const STRING_LITERAL = 10;
const NUMERIC_LITERAL = 11;
const EOF = 17;

/** The search text of a context's compact JSON text; '' for a null context. */
export function searchTextOf(contextJson: string | null): string {
  if (contextJson === null) return '';
  const scanner = createScanner(contextJson, true);
  const parts: string[] = [];
  for (let kind = scanner.scan(); kind !== EOF; kind = scanner.scan()) {
    if (kind === STRING_LITERAL || kind === NUMERIC_LITERAL) parts.push(scanner.getTokenValue());
  }
  return searchTextOfTokens(parts);
}

/**
 * The search text from a context's tokens as lossless-json.ts's `memberTokens` lists them
 * (strings decoded, numbers as spelled, in text order): the same text as searchTextOf of
 * the context's JSON, without scanning it a second time. Used for request bodies.
 */
export function searchTextOfTokens(tokens: readonly string[]): string {
  return foldForSearch(tokens.join('\n'));
}
