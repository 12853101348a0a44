/**
 * Search in contexts (issue 10): the `q` rules and the `where` grammar, shared by the
 * server and the dashboard. Dependency-free parts only; the server also uses
 * `search-text.ts` (what q is matched against), `numbers.ts` and `evaluate.ts`.
 */
export * from './condition';
export * from './fold';
export * from './search-params';
