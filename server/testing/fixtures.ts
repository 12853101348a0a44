/**
 * Fixtures for API tests: a full snapshot of the store (to prove that bad input changed
 * nothing) and bulk inserts that bypass HTTP when a test needs many rows.
 */
import type { ContextStatus } from '../../contract/constants';
import type { ContextRecord, ContextStore, NewContext } from '../store/types';
import type { ExecutionContext } from './api';

/**
 * A stored record as an API test reads a context with JSON.parse (exact for the small,
 * safe-number contexts tests create; tests of exact text compare the raw text instead).
 */
export function apiView(record: ContextRecord | undefined): ExecutionContext | undefined {
  if (record === undefined) return undefined;
  const { context_json, ...rest } = record;
  return { ...rest, context: context_json === null ? null : (JSON.parse(context_json) as Record<string, unknown>) }; // fidelity-ok: small test contexts
}

export interface SnapshotRow {
  context: ContextRecord;
  version: number;
}

/** Every stored context with its version, newest first. */
export async function storeSnapshot(store: ContextStore): Promise<SnapshotRow[]> {
  const rows: SnapshotRow[] = [];
  let after: string | undefined;
  for (;;) {
    const page = await store.list({ per_page: 100, view: 'full', ...(after ? { after } : {}) });
    for (const context of page.data) {
      rows.push({ context, version: (await store.get(context.id))?.version ?? -1 });
    }
    if (!page.next_cursor) return rows;
    after = page.next_cursor;
  }
}

/**
 * Inserts n contexts directly, created one millisecond apart ending now (oldest first),
 * and returns their ids oldest first.
 */
export async function insertContexts(
  store: ContextStore,
  n: number,
  make: (i: number) => Partial<NewContext> = () => ({}),
): Promise<string[]> {
  const start = Date.now() - n - 1000;
  const inputs: NewContext[] = Array.from({ length: n }, (_, i) => ({
    agent_id: `agent_${i % 3}`,
    workflow_id: `wf_${i % 2}`,
    session_id: null,
    context_json: `{"index":${i}}`,
    status: 'idle' as ContextStatus,
    created_at: new Date(start + i),
    updated_at: new Date(start + i),
    ...make(i),
  }));
  await store.insertMany(inputs);
  return (await storeSnapshot(store))
    .map((row) => row.context)
    .filter((c) => c.created_at >= new Date(start).toISOString())
    .reverse()
    .map((c) => c.id);
}
