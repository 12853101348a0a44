/**
 * The storage seam: routes talk to a ContextStore and never to SQL, so that a PostgreSQL
 * store can be added later without touching them. The SQLite implementation lives in
 * `sqlite-store.ts`.
 */
import type {
  ContextStatus,
  ExecutionContext,
  ExecutionContextSummary,
  JsonObject,
  ListQuery,
  Role,
} from '../../contract/index';

/** A stored context plus its version, the source of the ETag. */
export interface StoredContext {
  context: ExecutionContext;
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
  context?: JsonObject | null;
  status?: ContextStatus;
  /** For seeding only: back-dated timestamps. */
  created_at?: Date;
  updated_at?: Date;
}

export interface ContextChanges {
  /** undefined: keep; null: clear; object: replace as a whole. */
  context?: JsonObject | null;
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
  list(query: ListQuery & { view: 'full' }): ListPage<ExecutionContext>;
  list(query: ListQuery & { view: 'summary' }): ListPage<ExecutionContextSummary>;
  list(query: ListQuery): ListPage<ExecutionContext> | ListPage<ExecutionContextSummary>;
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

  close(): void;
}
