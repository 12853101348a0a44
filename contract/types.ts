/**
 * The API's shapes as TypeScript types, inferred from the zod schemas in `schemas.ts`.
 * `import type` from here costs the dashboard nothing at run time.
 */
import type { z } from 'zod';
import type {
  createContextBodySchema,
  executionContextSchema,
  executionContextSummarySchema,
  listQuerySchema,
  updateContextBodySchema,
  errorBodySchema,
  sessionInfoSchema,
} from './schemas';

export type ExecutionContext = z.infer<typeof executionContextSchema>;
export type ExecutionContextSummary = z.infer<typeof executionContextSummarySchema>;
/**
 * Request bodies as a client writes them. On the server, the body parser hands the schema
 * `context` as JsonText (its exact text); a client sends the object itself.
 */
export type CreateContextBody = Omit<z.input<typeof createContextBodySchema>, 'context'> & { context?: JsonObject | null };
export type UpdateContextBody = Omit<z.input<typeof updateContextBodySchema>, 'context'> & { context?: JsonObject | null };
/** Parsed list query (server side, after defaults). */
export type ListQuery = z.output<typeof listQuerySchema>;
/** List query as a client sends it. */
export type ListQueryInput = z.input<typeof listQuerySchema>;
export type ErrorBody = z.infer<typeof errorBodySchema>;
export type SessionInfo = z.infer<typeof sessionInfoSchema>;

export interface ListResponse<Item> {
  data: Item[];
  has_more: boolean;
  /** Pass as `after` to get the rows that follow the last one of this page; null at the end. */
  next_cursor: string | null;
}
export type ContextListResponse = ListResponse<ExecutionContext>;
export type ContextSummaryListResponse = ListResponse<ExecutionContextSummary>;

/** A JSON value, as stored in `context`. */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };
export type JsonObject = { [key: string]: JsonValue };
