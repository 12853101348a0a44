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

import type { JsonObject } from './json/lossless-json';

export type { JsonObject, JsonValue } from './json/lossless-json';

/**
 * A context as the dashboard holds it: the API's fields, with `context` parsed losslessly
 * (`contract/json/lossless-json.ts`: numbers keep their text, members their order). The
 * server keeps its own row type, with the context as text.
 */
export type ExecutionContext = Omit<z.infer<typeof executionContextSchema>, 'context'> & { context: JsonObject | null };
export type ExecutionContextSummary = z.infer<typeof executionContextSummarySchema>;
/** POST body as the dashboard builds it (written with `stringifyJson`, numbers exactly). */
export type CreateContextBody = Omit<z.input<typeof createContextBodySchema>, 'context'> & { context?: JsonObject | null };
/** PATCH body as the dashboard builds it (written with `stringifyJson`, numbers exactly). */
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
