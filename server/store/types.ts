/**
 * The storage seam: routes talk to a ContextStore and never to SQL, so that a PostgreSQL
 * store can be added later without touching them. The SQLite implementation lives in
 * `sqlite-store.ts`.
 */
import type { ContextStatus, ExecutionContextSummary, ListQuery, Role } from '../../contract/index';

/**
 * A stored execution context as the store keeps it: the contract's fields, with `context`
 * as its exact compact JSON text (issue 8: numbers as written, members in order; see
 * contract/json/lossless-json.ts). Responses splice the text in unchanged
 * (server/routes/context-json.ts); nothing on the server parses it again.
 */
export interface ContextRecord {
  id: string;
  agent_id: string | null;
  workflow_id: string | null;
  session_id: string | null;
  /** Compact JSON text of the context object, or null for a null context. */
  context_json: string | null;
  status: ContextStatus;
  /** RFC 3339, UTC, millisecond precision. */
  created_at: string;
  updated_at: string;
}

/** A stored context plus its version, the source of the ETag. */
export interface StoredContext {
  context: ContextRecord;
  /** Starts at 1, +1 on every successful update. */
  version: number;
}

export interface ListPage<Item> {
  data: Item[];
  has_more: boolean;
  next_cursor: string | null;
}

export interface NewContext {
  agent_id: string | null;
  workflow_id?: string | null;
  session_id?: string | null;
  /** Compact JSON text of a context object (as parseJsonText's `compact`), null for none. */
  context_json?: string | null;
  status?: ContextStatus;
  /** For seeding only: back-dated timestamps. */
  created_at?: Date;
  updated_at?: Date;
}

export interface ContextChanges {
  /** undefined: keep; null: clear; text: replace as a whole with this compact JSON text. */
  context_json?: string | null;
  session_id?: string | null;
}

export type UpdateResult =
  | { kind: 'updated'; stored: StoredContext }
  | { kind: 'not_found' }
  /** If-Match did not match: `current` is the stored version now. */
  | { kind: 'precondition_failed'; current: StoredContext };

export type DeleteResult =
  | { kind: 'deleted' }
  | { kind: 'not_found' }
  | { kind: 'in_use'; status: ContextStatus };

/** Thrown by `list` for a cursor it did not issue. Routes map it to 400 invalid_query. */
export class InvalidCursorError extends Error {
  constructor() {
    super('after is not a cursor issued by this server');
    this.name = 'InvalidCursorError';
  }
}

export interface ContextStore {
  /** Newest first (created_at desc, then id desc). `query.view` picks the item shape. */
  list(query: ListQuery & { view: 'full' }): ListPage<ContextRecord>;
  list(query: ListQuery & { view: 'summary' }): ListPage<ExecutionContextSummary>;
  list(query: ListQuery): ListPage<ContextRecord> | ListPage<ExecutionContextSummary>;
  get(id: string): StoredContext | null;
  create(input: NewContext): StoredContext;
  /** Bulk insert for seeding, in one transaction per batch. Returns how many were inserted. */
  insertMany(inputs: Iterable<NewContext>): number;
  /** `ifMatchVersion`: when set, update only if the stored version equals it. */
  update(id: string, changes: ContextChanges, ifMatchVersion?: number): UpdateResult;
  delete(id: string): DeleteResult;
  count(): number;

  /** API keys: only SHA-256 hashes are stored. */
  upsertApiKey(role: Role, keyHash: string): void;
  apiKeyHashes(): Array<{ role: Role; keyHash: string }>;

  /** Dashboard sessions (the cookie holds the token; the store holds its hash). */
  createSession(tokenHash: string, role: Role, keyHash: string, expiresAt: Date): void;
  findSession(tokenHash: string, now: Date): { role: Role; keyHash: string } | null;
  deleteSession(tokenHash: string): void;

  /**
   * Readiness (GET /api/ready): resolves when the store answers a trivial query and its
   * schema is fully migrated, rejects with the reason otherwise. Cheap enough for a load
   * balancer to call every few seconds. Async already, whatever the store.
   */
  ping(): Promise<void>;

  close(): void;
}
