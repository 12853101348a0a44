/**
 * Response bodies that hold contexts, written as text: each context's stored compact JSON
 * is spliced in as it is, never parsed and re-serialised (issue 8: a context is served
 * exactly as it was written). Every other field is a string, boolean or null, for which
 * JSON.stringify is exact. Field order follows the contract's ExecutionContext.
 */
import type { ExecutionContextSummary } from '../../contract/types';
import type { ContextRecord, ListPage } from '../store/types';

// fidelity-ok (whole module): JSON.stringify here only ever sees strings, booleans, null
// and summary rows (whose preview is a string); contexts are spliced in as stored text.
const str = (value: string | null): string => (value === null ? 'null' : JSON.stringify(value)); // fidelity-ok: strings and summary rows; contexts are spliced

/** One ExecutionContext as JSON text, `context` exactly as stored. */
export function contextJson(record: ContextRecord): string {
  return (
    `{"id":${str(record.id)},"agent_id":${str(record.agent_id)},"workflow_id":${str(record.workflow_id)},` +
    `"session_id":${str(record.session_id)},"context":${record.context_json ?? 'null'},` +
    `"status":${str(record.status)},"created_at":${str(record.created_at)},"updated_at":${str(record.updated_at)}}`
  );
}

/** A list page as JSON text: full rows spliced, summary rows (no context) as they are. */
export function listJson(page: ListPage<ContextRecord> | ListPage<ExecutionContextSummary>): string {
  const rows = (page.data as Array<ContextRecord | ExecutionContextSummary>).map((row) =>
    'context_json' in row ? contextJson(row) : JSON.stringify(row), // fidelity-ok: strings and summary rows; contexts are spliced
  );
  return `{"data":[${rows.join(',')}],"has_more":${page.has_more ? 'true' : 'false'},"next_cursor":${str(page.next_cursor)}}`;
}
