import { CONTEXT_PREVIEW_CHARS } from './constants';
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
 * Turns a full context into the list's summary row. The server builds the same fields in
 * SQL from the stored compact JSON (`JSON.stringify` output), so both agree to the byte.
 */
export function toSummary(ctx: ExecutionContext): ExecutionContextSummary {
  const { context, ...rest } = ctx;
  const json = context === null ? null : JSON.stringify(context);
  return {
    ...rest,
    context_preview: contextPreview(json),
    context_size: json === null ? 0 : utf8.encode(json).length,
  };
}
