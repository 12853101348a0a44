/**
 * Rows ready to write: defaults applied, the context's text as given. Kept apart from the
 * SQLite code (no native module) so that the seed worker thread can build them cheaply.
 */
import type { ContextStatus } from '../../contract/index';
import type { NewContext } from './types';

/** A new row whose context is already compact JSON text. */
export interface PreparedContext {
  agent_id: string | null;
  workflow_id: string | null;
  session_id: string | null;
  status: ContextStatus;
  /** ms since the epoch; the row's id is minted from it (ULID time part). */
  created_at: number;
  /** ms since the epoch, never before created_at. */
  updated_at: number;
  /** The context's compact JSON text as given (never re-serialised), or null. */
  context_json: string | null;
  /**
   * searchTextOf(context_json) (contract/search/search-text.ts), when the producer computed
   * it already: the seed worker does, so that the writing thread need not, and the API's
   * body parser (from the tokens it read). Optional.
   */
  search_text?: string;
}

/** NewContext → PreparedContext: defaults applied; the context text is kept as it is. */
export function prepareContext(input: NewContext, now: number = Date.now()): PreparedContext {
  const createdAt = input.created_at?.getTime() ?? now;
  return {
    agent_id: input.agent_id,
    workflow_id: input.workflow_id ?? null,
    session_id: input.session_id ?? null,
    status: input.status ?? 'idle',
    created_at: createdAt,
    updated_at: Math.max(input.updated_at?.getTime() ?? createdAt, createdAt),
    context_json: input.context_json ?? null,
    ...(input.search_text !== undefined && input.context_json != null ? { search_text: input.search_text } : {}),
  };
}
