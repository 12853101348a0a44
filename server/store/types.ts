/**
 * The storage seam: routes, auth and the seed talk to a ContextStore and never to SQL.
 * Two engines implement it: SQLite (`sqlite/`, the embedded default, one process) and
 * PostgreSQL (`postgres/`, shared by any number of server processes). `open.ts` picks one
 * from the configuration. Every method is asynchronous because a networked database is;
 * the SQLite engine simply resolves at once.
 *
 * The behaviour every engine must have is specified once, in `store-contract.ts`, and run
 * against each engine by its test file.
 */
import type { RateLimiterAbstract } from 'rate-limiter-flexible';
import type { ContextStatus, ExecutionContextSummary, ListQuery, Role } from '../../contract/index';
import type { AccountabilityStore, WriteMeta } from './accountability-types';

/**
 * A stored execution context as the store keeps it: the contract's fields, with `context`
 * as its exact compact JSON text (issue 8: numbers as written, members in order; see
 * contract/json/lossless-json.ts). Responses splice the text in unchanged
 * (server/http/context-json.ts); nothing on the server parses it again.
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
  /**
   * searchTextOf(context_json) (contract/search/search-text.ts) when the caller has it
   * already (the body parser's tokens); else the store computes it. Must be that text.
   */
  search_text?: string;
}

export interface ContextChanges {
  /** undefined: keep; null: clear; text: replace as a whole with this compact JSON text. */
  context_json?: string | null;
  /** With context_json: its search text, as NewContext.search_text (optional). */
  search_text?: string;
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

/**
 * Thrown (or recognised by `isUnavailable`) when the database cannot be reached right now:
 * connection refused or lost, server shutting down, pool exhausted. The error handler
 * answers it with 503 `unavailable` and Retry-After; the caller may simply retry.
 */
export class StoreUnavailableError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'StoreUnavailableError';
  }
}

/** What a rate-limit window needs from the store's backend (see `rateLimiter`). */
export interface RateLimiterOptions {
  /** Distinguishes windows and classes sharing one backend, e.g. `delete:1`. */
  keyPrefix: string;
  /** Requests allowed per window. */
  points: number;
  /** Window length in seconds. */
  duration: number;
}

export type StoreEngine = 'sqlite' | 'postgres';

/** A live session: its role, its key's hash, id and name. */
export interface SessionKey {
  role: Role;
  keyHash: string;
  keyId: string;
  name: string;
}

/**
 * Writes that change a context take a WriteMeta (the API's writes always pass one): the
 * store then records the version and the audit event in the same transaction as the change
 * (see accountability-types.ts). Without it (seeding, tests) nothing is recorded.
 */
export interface ContextStore extends AccountabilityStore {
  readonly engine: StoreEngine;
  /**
   * True when several server processes may use this store at once (PostgreSQL). Rate-limit
   * counters then live in the database and each process reloads the API keys from it
   * periodically, so that all processes behave as one server.
   */
  readonly shared: boolean;

  /** Newest first (created_at desc, then id desc). `query.view` picks the item shape. */
  list(query: ListQuery & { view: 'full' }): Promise<ListPage<ContextRecord>>;
  list(query: ListQuery & { view: 'summary' }): Promise<ListPage<ExecutionContextSummary>>;
  list(query: ListQuery): Promise<ListPage<ContextRecord> | ListPage<ExecutionContextSummary>>;
  get(id: string): Promise<StoredContext | null>;
  create(input: NewContext, meta?: WriteMeta): Promise<StoredContext>;
  /** Bulk insert for seeding and tests, in batches. Resolves to how many were inserted. */
  insertMany(inputs: Iterable<NewContext>): Promise<number>;
  /**
   * `ifMatchVersion`: when set, update only if the stored version equals it. The check and
   * the write are one atomic step, also against other processes sharing the database.
   */
  update(id: string, changes: ContextChanges, ifMatchVersion?: number, meta?: WriteMeta): Promise<UpdateResult>;
  /** The in-use check and the delete are one atomic step (a context never becomes in use
   *  between them). */
  delete(id: string, meta?: WriteMeta): Promise<DeleteResult>;
  count(): Promise<number>;

  /** API keys: only SHA-256 hashes are stored, one per role. */
  upsertApiKey(role: Role, keyHash: string): Promise<void>;
  /** Every stored key hash, ordered by role. */
  apiKeyHashes(): Promise<Array<{ role: Role; keyHash: string }>>;

  /** Dashboard sessions (the cookie holds the token; the store holds its hash). */
  createSession(tokenHash: string, role: Role, keyHash: string, expiresAt: Date, keyId?: string | null): Promise<void>;
  /** A live session whose key is active (not revoked or replaced), else null. */
  findSession(tokenHash: string, now: Date): Promise<SessionKey | null>;
  deleteSession(tokenHash: string): Promise<void>;

  /**
   * Readiness (GET /api/ready): resolves when the store answers a trivial query and its
   * schema is fully migrated, rejects with the reason otherwise. Cheap enough for a load
   * balancer to call every few seconds. Async already, whatever the store.
   */
  ping(): Promise<void>;

  /** True when `error` (thrown by this store or its rate limiter) means "database unreachable,
   *  retry later" rather than a bug. */
  isUnavailable(error: unknown): boolean;
  /**
   * A rate-limit window on this store's backend: in memory for a store only one process
   * uses, in the database for a shared one (so a key's budget holds across processes).
   */
  rateLimiter(options: RateLimiterOptions): RateLimiterAbstract;

  /**
   * Starts the store's own background work, if it has any (the server calls it once after
   * opening; close stops it). SQLite: the search indexer that moves a bulk load's contexts
   * into the trigram index (sqlite-store.ts). `onError` hears of failures; the work retries.
   */
  startBackgroundWork?(onError: (error: Error) => void): void;

  close(): Promise<void>;
}
