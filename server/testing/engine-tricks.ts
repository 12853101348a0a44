/**
 * What some history tests must do below the API, per engine (kept here so the API tests
 * stay engine-neutral): put a live context back under an id (the 409 of a restore) and
 * break the audit table (a write whose event cannot be recorded must not happen).
 */
import { PostgresContextStore } from '../store/postgres/postgres-store';
import { SqliteContextStore } from '../store/sqlite/sqlite-store';
import type { ContextStore } from '../store/types';

/** Inserts a live context with exactly this id (as if it had come back some other way). */
export async function insertLiveContextWithId(store: ContextStore, id: string): Promise<void> {
  const now = Date.now();
  const sql = `INSERT INTO execution_contexts (id, agent_id, status, created_at, updated_at, context_size, context_json)`;
  if (store instanceof SqliteContextStore) {
    store.db.prepare(`${sql} VALUES (?, 'intruder', 'idle', ?, ?, 2, '{}')`).run(id, now, now);
  } else if (store instanceof PostgresContextStore) {
    await store.pool.query(`${sql} VALUES ($1, 'intruder', 'idle', $2, $3, 2, '{}')`, [id, now, now]);
  } else {
    throw new Error(`engine tricks: no implementation for this store (${store.engine})`);
  }
}

/** Makes every audit insert fail from now on. */
export async function breakAuditTable(store: ContextStore): Promise<void> {
  const sql = 'ALTER TABLE audit_events RENAME TO audit_events_gone';
  if (store instanceof SqliteContextStore) store.db.exec(sql);
  else if (store instanceof PostgresContextStore) await store.pool.query(sql);
  else throw new Error(`engine tricks: no implementation for this store (${store.engine})`);
}
