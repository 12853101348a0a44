import { CONTEXT_PREVIEW_CHARS } from './constants';
import { stringifyJson } from './json/lossless-json';
import type { ExecutionContext, ExecutionContextSummary } from './types';

/** The preview of a context's compact JSON text, as the list's summary view returns it. */
export const contextPreview = (compactJson: string | null): string | null =>
  compactJson === null ? null : compactJson.slice(0, CONTEXT_PREVIEW_CHARS);

const utf8 = new TextEncoder();

/**
 * The summary view's fields of a context, from its stored compact JSON text: one
 * definition for the server's SQL-side summary and the dashboard's cache updates.
 */
export const summaryFields = (compactJson: string | null): { context_preview: string | null; context_size: number } => ({
  context_preview: contextPreview(compactJson),
  context_size: compactJson === null ? 0 : utf8.encode(compactJson).length,
});

/**
 * Turns a full context into the list's summary row (the dashboard's cache after a save).
 * The server builds the same fields from the stored compact text; `stringifyJson` writes
 * every number and member as stored, so both agree to the byte except where the stored
 * text spelled a string escape differently (`\u00e9` for `é`), which RFC 8259 makes the
 * same string.
 */
export function toSummary(ctx: ExecutionContext): ExecutionContextSummary {
  const { context, ...rest } = ctx;
  return { ...rest, ...summaryFields(context === null ? null : stringifyJson(context)) };
}
