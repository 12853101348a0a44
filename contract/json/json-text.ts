/**
 * A JSON value that stays text: what the server's body parser hands the contract's
 * schemas for a member that is an object or an array (server/http/json-body.ts). The
 * schemas check its kind; the route stores `text` as it is, so a context is never
 * re-serialised (issue 8).
 */
export class JsonText {
  constructor(
    /** Compact JSON text (no whitespace outside strings), every token as written. */
    readonly text: string,
    readonly kind: 'object' | 'array',
    /**
     * Its tokens (strings decoded, numbers as spelled, in order), when the parser listed
     * them (lossless-json.ts, memberTokens): the server's search text comes from these.
     */
    readonly tokens?: readonly string[],
  ) {}
}
