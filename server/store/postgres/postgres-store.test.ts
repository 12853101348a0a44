/**
 * The PostgreSQL engine on a real server (the run's embedded PostgreSQL or
 * TEST_DATABASE_URL): the shared store contract, plus what only this engine has —
 * migrations under an advisory lock, refusal of a newer schema, query plans without a
 * sort, the atomic If-Match update and in-use delete under concurrent connections, exact
 * context text, the shared rate-limit backend.
 */
import pg from 'pg';
import { afterAll, beforeAll, beforeEach, afterEach, describe, expect, it } from 'vitest';
import { CONTEXT_STATUSES, type ListQuery } from '../../../contract/index';
import { encodeCursor } from '../rows';
import { describeStore } from '../store-contract';
import { createTestDatabase, type TestDatabase } from '../../testing/postgres';
import { isPostgresUnavailable } from './errors';
import { LIST_INDEXES, MIGRATIONS, SCHEMA_VERSION, SchemaTooNewError, migrate, missingListIndexes, searchIndexState, buildSearchIndex, SEARCH_INDEX_LOCK_KEY } from './migrations';
import { prepareContext } from '../prepared';
import { listQuerySchema } from '../../../contract/schemas';
import { seedInParallel } from '../../seed/parallel-seed';
import { buildPostgresListQuery, openPostgresStore, type PostgresContextStore } from './postgres-store';

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => {
  await database.drop();
});

const open = () => openPostgresStore({ connectionString: database.url, poolSize: 4, connectTimeoutMs: 2_000 });

/** Empties every table (between contract tests: one database per file). */
async function truncate(store: PostgresContextStore): Promise<void> {
  await store.pool.query(
    'TRUNCATE execution_contexts, api_keys, sessions, rate_limits, keys, context_versions, deleted_contexts, audit_events',
  );
}

describeStore('postgres', {
  async open() {
    const store = await open();
    await truncate(store);
    return store;
  },
  openAnother: open,
});

describe('postgres engine', () => {
  let store: PostgresContextStore;
  beforeEach(async () => {
    store = await open();
    await truncate(store);
  });
  afterEach(async () => {
    await store.close();
  });

  const t0 = Date.parse('2026-06-01T00:00:00.000Z');
  const query = (q: Partial<ListQuery> = {}): ListQuery & { view: 'full' } => ({ per_page: 20, ...q, view: 'full' });

  describe('schema', () => {
    it('records every migration once; reopening is a no-op', async () => {
      const versions = await store.pool.query<{ version: number }>('SELECT version FROM schema_migrations ORDER BY version');
      expect(versions.rows.map((r) => r.version)).toEqual(MIGRATIONS.map((_, i) => i + 1));
      const again = await open();
      await again.close();
      const after = await store.pool.query('SELECT count(*)::int AS n FROM schema_migrations');
      expect(after.rows[0].n).toBe(SCHEMA_VERSION);
    });

    it('several instances starting at once on an empty database migrate exactly once', async () => {
      const fresh = await createTestDatabase();
      try {
        const stores = await Promise.all(
          Array.from({ length: 6 }, () => openPostgresStore({ connectionString: fresh.url, poolSize: 2 })),
        );
        const { rows } = await stores[0]!.pool.query<{ n: number }>('SELECT count(*)::int AS n FROM schema_migrations');
        expect(rows[0]?.n).toBe(SCHEMA_VERSION);
        const created = await stores[1]!.create({ agent_id: 'a' });
        expect((await stores[5]!.get(created.context.id))?.version).toBe(1);
        await Promise.all(stores.map((s) => s.close()));
      } finally {
        await fresh.drop();
      }
    });

    it('refuses a database written by a newer server, with a clear message, and leaves it alone', async () => {
      await store.pool.query('INSERT INTO schema_migrations (version) VALUES ($1)', [SCHEMA_VERSION + 1]);
      try {
        await expect(open()).rejects.toThrow(SchemaTooNewError);
        await expect(open()).rejects.toThrow(/newer than this server understands/);
        // Migrating with the newer list would apply it; the older one must not touch anything.
        const { rows } = await store.pool.query<{ n: number }>('SELECT count(*)::int AS n FROM schema_migrations');
        expect(rows[0]?.n).toBe(SCHEMA_VERSION + 1);
      } finally {
        await store.pool.query('DELETE FROM schema_migrations WHERE version = $1', [SCHEMA_VERSION + 1]);
      }
    });

    it('a later migration is applied on the next start, in its own transaction', async () => {
      const fresh = await createTestDatabase();
      const pool = new pg.Pool({ connectionString: fresh.url, max: 2 });
      try {
        await migrate(pool);
        await migrate(pool, [...MIGRATIONS, 'CREATE TABLE later_one (x int)']);
        const { rows } = await pool.query<{ v: number }>('SELECT max(version)::int AS v FROM schema_migrations');
        expect(rows[0]?.v).toBe(SCHEMA_VERSION + 1);
        // A failing migration rolls back and is not recorded.
        await expect(migrate(pool, [...MIGRATIONS, 'CREATE TABLE later_one (x int)', 'SELECT no_such_fn()'])).rejects.toThrow();
        const after = await pool.query<{ v: number }>('SELECT max(version)::int AS v FROM schema_migrations');
        expect(after.rows[0]?.v).toBe(SCHEMA_VERSION + 1);
      } finally {
        await pool.end();
        await fresh.drop();
      }
    });

    it('LIST_INDEXES are exactly the list indexes migration 1 creates', async () => {
      const { rows } = await store.pool.query<{ indexname: string; indexdef: string }>(
        "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = 'execution_contexts' AND indexname LIKE 'ix\\_%' AND indexdef LIKE '%USING btree%' ORDER BY indexname",
      );
      expect(rows.map((r) => r.indexname)).toEqual(LIST_INDEXES.map((i) => i.name).sort());
      for (const index of LIST_INDEXES) {
        expect(rows.find((r) => r.indexname === index.name)?.indexdef).toMatch(new RegExp(`\\(${index.columns}\\)$`));
      }
    });

    it('a bulk load into an empty table drops the list indexes and the trigram index; the load rebuilds the former, the background work the latter', async () => {
      const end = await store.beginBulkLoad();
      expect(await missingListIndexes(store.pool)).toEqual(LIST_INDEXES.map((i) => i.name));
      expect(await searchIndexState(store.pool)).toBe('missing');
      // A server's background build waits for the load to end (it holds the build lock).
      expect(await buildSearchIndex(store.pool)).toBe('busy');
      await store.insertPrepared(
        Array.from({ length: 50 }, (_, i) =>
          prepareContext({ agent_id: `a${i % 3}`, created_at: new Date(t0 + i), context_json: `{"email":"user${i}@bulk.example"}` }),
        ),
      );
      await end();
      expect(await missingListIndexes(store.pool)).toEqual([]);
      expect(await searchIndexState(store.pool)).toBe('missing');
      expect(await store.count()).toBe(50);
      const page = await store.list(query({ agent_id: 'a1', per_page: 100 }));
      expect(page.data).toHaveLength(17);

      // Searches are right without the index: a rare term comes from the walk (a short
      // page with a resume cursor when the walk stops early), never from a table scan.
      store.searchIndexReady = false;
      const search = (q: string) => store.list(listQuerySchema.parse({ q, per_page: '10' }));
      expect((await search('user7@bulk')).data).toHaveLength(1);
      // A walk of 20 rows a request: user7 (the 8th oldest of 50) is beyond the first walk.
      const reopened = await openPostgresStore({ connectionString: database.url, poolSize: 4, searchScanRows: 20, searchIndexWatchMs: 100 });
      try {
        expect(reopened.searchIndexReady).toBe(false);
        const first = await reopened.list(listQuerySchema.parse({ q: 'user7@bulk', per_page: '10' }));
        expect(first.data).toEqual([]);
        expect(first.has_more).toBe(true);
        let cursor = first.next_cursor;
        const found: unknown[] = [];
        for (let guard = 0; cursor !== null && guard < 5; guard += 1) {
          const next = await reopened.list(listQuerySchema.parse({ q: 'user7@bulk', per_page: '10', after: cursor }));
          found.push(...next.data);
          cursor = next.has_more ? next.next_cursor : null;
        }
        expect(found).toHaveLength(1);
        expect(cursor).toBeNull();

        // The server's background work builds it (CONCURRENTLY); then the index way answers.
        const errors: Error[] = [];
        reopened.startBackgroundWork((error) => errors.push(error));
        await expect.poll(() => reopened.searchIndexReady, { timeout: 20_000 }).toBe(true);
        expect(errors).toEqual([]);
        expect(await searchIndexState(store.pool)).toBe('valid');
        expect(await reopened.ensureSearchIndex()).toBeNull(); // valid: nothing to build
        // Another process's bulk load drops it while the server runs: the watch (nothing
        // else builds it) sees it gone and rebuilds it.
        await store.pool.query('DROP INDEX ix_ctx_search');
        await expect.poll(async () => (await searchIndexState(store.pool)) === 'valid' && reopened.searchIndexReady, { timeout: 20_000 }).toBe(true);
        expect(errors).toEqual([]);
      } finally {
        await reopened.close();
      }
      // The rebuilt index holds the loaded rows' search text.
      const client = await store.pool.connect();
      try {
        await client.query('SET enable_seqscan = off');
        const plan = await client.query("EXPLAIN SELECT 1 FROM execution_contexts WHERE search_text LIKE '%user7@bulk%'");
        expect(JSON.stringify(plan.rows)).toContain('ix_ctx_search'); // fidelity-ok: a query plan
        const { rows } = await client.query<{ n: number }>("SELECT count(*)::int AS n FROM execution_contexts WHERE search_text LIKE '%user7@bulk%'");
        expect(rows[0]?.n).toBe(1);
      } finally {
        await client.query('RESET enable_seqscan');
        client.release();
      }
    });

    it('the seeder fills an empty table on several connections and leaves every list index in place', async () => {
      const progress: number[] = [];
      const inserted = await seedInParallel(store, 12_345, { seed: 3, onProgress: (n) => progress.push(n) });
      expect(inserted).toBe(12_345);
      expect(progress.at(-1)).toBe(12_345);
      expect(await store.count()).toBe(12_345);
      expect(await missingListIndexes(store.pool)).toEqual([]);
      // The trigram index is a server's to build (the background work), not the seeder's.
      expect(await searchIndexState(store.pool)).toBe('missing');
      expect(await store.ensureSearchIndex()).toEqual(expect.any(Number));
      expect(await searchIndexState(store.pool)).toBe('valid');
    });

    it('a bulk load into a table with rows keeps its indexes; an interrupted load is repaired at the next open, an interrupted index build by the background work', async () => {
      await store.ensureSearchIndex(); // whatever an earlier test left
      await store.create({ agent_id: 'a', context_json: '{"note":"findable"}' });
      const end = await store.beginBulkLoad();
      expect(await missingListIndexes(store.pool)).toEqual([]);
      await end();
      expect(await searchIndexState(store.pool)).toBe('valid');
      // As a load that died after dropping them would leave the table:
      await store.pool.query('DROP INDEX ix_ctx_agent, ix_ctx_status, ix_ctx_search');
      const again = await open();
      expect(await missingListIndexes(store.pool)).toEqual([]);
      expect(again.searchIndexReady).toBe(false);
      await again.close();
      // A concurrent build that failed leaves an INVALID index (here: an expression that
      // throws on one row): the background work drops it and builds the real one.
      await store.pool.query(`CREATE FUNCTION ecc_test_fail(t text) RETURNS text LANGUAGE plpgsql IMMUTABLE AS $$
        BEGIN IF t LIKE '%findable%' THEN RAISE EXCEPTION 'interrupted build'; END IF; RETURN t; END $$`);
      await expect(
        store.pool.query('CREATE INDEX CONCURRENTLY ix_ctx_search ON execution_contexts USING gin (ecc_test_fail(search_text) gin_trgm_ops)'),
      ).rejects.toThrow(/interrupted build/);
      expect(await searchIndexState(store.pool)).toBe('invalid');
      const third = await open();
      try {
        expect(third.searchIndexReady).toBe(false);
        expect(await third.ensureSearchIndex()).toEqual(expect.any(Number));
        expect(await searchIndexState(store.pool)).toBe('valid');
        expect((await third.list(listQuerySchema.parse({ q: 'findable' }))).data).toHaveLength(1);
      } finally {
        // No CASCADE: the rebuilt index must not depend on it any more.
        await store.pool.query('DROP FUNCTION ecc_test_fail(text)');
        await third.close();
      }
    });

    it('the index build lock (held by a build or a bulk load for minutes) never blocks a starting server\'s key sync', async () => {
      const holder = await store.pool.connect();
      try {
        await holder.query('SELECT pg_advisory_lock($1)', [SEARCH_INDEX_LOCK_KEY]);
        const outcome = await Promise.race([
          store.accountability.syncRoleKey('viewer', 'hash-while-building', 'env', Date.now()).then(() => 'synced'),
          new Promise((resolve) => setTimeout(() => resolve('blocked'), 3_000)),
        ]);
        expect(outcome).toBe('synced');
      } finally {
        await holder.query('SELECT pg_advisory_unlock_all()');
        holder.release();
      }
    });

    it('keeps contexts as TEXT (never jsonb) and ids in byte order', async () => {
      const { rows } = await store.pool.query<{ column_name: string; data_type: string; collation_name: string | null }>(
        `SELECT column_name, data_type, collation_name FROM information_schema.columns
          WHERE table_name = 'execution_contexts' AND column_name IN ('context_json', 'id')`,
      );
      expect(rows.find((r) => r.column_name === 'context_json')?.data_type).toBe('text');
      expect(rows.find((r) => r.column_name === 'id')?.collation_name).toBe('C');
    });
  });

  describe('exact text', () => {
    it('stores the text it is given byte for byte (numbers, member order, duplicate names), and counts its UTF-8 bytes', async () => {
      // Member order, an astral character, escapes: text in, same text out.
      const text = '{"z":1,"a":[true,null,"ü🚀\\n\\"",1.10,-0,1E2,750727362669608961,1e400],"2":{"y":-0.5},"z":2}';
      const created = await store.create({ agent_id: 'a', context_json: text });
      const { rows } = await store.pool.query<{ context_json: string; context_size: number }>(
        'SELECT context_json, context_size FROM execution_contexts WHERE id = $1',
        [created.context.id],
      );
      expect(rows[0]?.context_json).toBe(text);
      expect(rows[0]?.context_size).toBe(Buffer.byteLength(text, 'utf8'));
      expect((await store.get(created.context.id))?.context.context_json).toBe(text);
      const [listed] = (await store.list({ per_page: 1, view: 'full' })).data;
      expect(listed?.context_json).toBe(text);
      const updated = await store.update(created.context.id, { context_json: text.replace('1.10', '1.100') }, 1);
      expect(updated.kind === 'updated' && updated.stored.context.context_json).toBe(text.replace('1.10', '1.100'));
    });
  });

  describe('concurrency across connections', () => {
    it('If-Match: of 20 concurrent updates with the same version on 4 pools, exactly one wins', async () => {
      const created = await store.create({ agent_id: 'a', context_json: '{"n":0}' });
      const pools = [store, ...(await Promise.all([open(), open(), open()]))];
      try {
        const results = await Promise.all(
          Array.from({ length: 20 }, (_, i) => pools[i % 4]!.update(created.context.id, { context_json: `{"n":${i}}` }, 1)),
        );
        expect(results.filter((r) => r.kind === 'updated')).toHaveLength(1);
        expect(results.filter((r) => r.kind === 'precondition_failed')).toHaveLength(19);
        for (const r of results) if (r.kind === 'precondition_failed') expect(r.current.version).toBe(2);
        expect((await store.get(created.context.id))?.version).toBe(2);
      } finally {
        await Promise.all(pools.slice(1).map((p) => p.close()));
      }
    });

    it('unconditional concurrent updates all apply, each with its own version', async () => {
      const created = await store.create({ agent_id: 'a' });
      const other = await open();
      try {
        const results = await Promise.all(
          Array.from({ length: 12 }, (_, i) => (i % 2 ? other : store).update(created.context.id, { session_id: `s${i}` })),
        );
        const versions = results.map((r) => (r.kind === 'updated' ? r.stored.version : -1)).sort((a, b) => a - b);
        expect(versions).toEqual(Array.from({ length: 12 }, (_, i) => i + 2));
      } finally {
        await other.close();
      }
    });

    it('a delete racing other deletes of the same row: one deleted, the rest not_found', async () => {
      const created = await store.create({ agent_id: 'a' });
      const other = await open();
      try {
        const results = await Promise.all(Array.from({ length: 8 }, (_, i) => (i % 2 ? other : store).delete(created.context.id)));
        expect(results.filter((r) => r.kind === 'deleted')).toHaveLength(1);
        expect(results.filter((r) => r.kind === 'not_found')).toHaveLength(7);
      } finally {
        await other.close();
      }
    });
  });

  describe('query plans', () => {
    const cursor = encodeCursor(t0 + 3_000_000, 'ctx_01J000000000000000000000');
    const before = new Date(t0 + 3_500_000).toISOString();
    /**
     * The queries the dashboard makes (summary view, 50 a page, newest first, cursor
     * pages), on values that are rare, as the interesting ones are (failed or stuck
     * contexts, one agent among many): each must walk the index that starts with its
     * filter. Common values may walk ix_ctx_created with the filter checked in the index
     * instead — equally sort-free, and the planner's call.
     */
    const plans: Array<[string, Partial<ListQuery>, string]> = [
      ['no filter', {}, 'ix_ctx_created'],
      ['agent', { agent_id: 'agent_7' }, 'ix_ctx_agent'],
      ['workflow', { workflow_id: 'wf_7' }, 'ix_ctx_workflow'],
      ['one status', { status: ['failed'] }, 'ix_ctx_status'],
      ['several statuses', { status: ['running', 'waiting_for_input'] }, 'ix_ctx_status'],
      ['three statuses', { status: ['failed', 'interrupted', 'running'] }, 'ix_ctx_status'],
      ['all statuses', { status: [...CONTEXT_STATUSES] }, 'ix_ctx_created'],
      ['updated_before', { updated_before: before }, 'ix_ctx_created'],
      ['agent + status', { agent_id: 'agent_7', status: ['idle'] }, 'ix_ctx_agent'],
      ['agent + statuses', { agent_id: 'agent_7', status: ['idle', 'failed'] }, 'ix_ctx_agent'],
      ['workflow + status', { workflow_id: 'wf_7', status: ['idle'] }, 'ix_ctx_workflow'],
      ['status + updated_before', { status: ['failed'], updated_before: before }, 'ix_ctx_status'],
      ['statuses + updated_before', { status: ['failed', 'running'], updated_before: before }, 'ix_ctx_status'],
      ['cursor', { after: cursor }, 'ix_ctx_created'],
      ['cursor + agent', { after: cursor, agent_id: 'agent_7' }, 'ix_ctx_agent'],
      ['cursor + workflow', { after: cursor, workflow_id: 'wf_7' }, 'ix_ctx_workflow'],
      ['cursor + status', { after: cursor, status: ['failed'] }, 'ix_ctx_status'],
      ['cursor + statuses', { after: cursor, status: ['failed', 'running'] }, 'ix_ctx_status'],
      ['cursor + updated_before', { after: cursor, updated_before: before }, 'ix_ctx_created'],
      ['page 2', { page: 2 }, 'ix_ctx_created'],
      ['page 2 + agent', { page: 2, agent_id: 'agent_7' }, 'ix_ctx_agent'],
      ['page 2 + statuses', { page: 2, status: ['failed', 'running'] }, 'ix_ctx_status'],
    ];

    it.each(plans)('%s: an ordered backward walk of %s, no Sort node, no sequential scan', async (_name, filter, index) => {
      // A few thousand rows and fresh statistics, so the planner has something to weigh:
      // mostly idle/completed contexts of a few busy agents, some rare ones.
      const rare: Array<(typeof CONTEXT_STATUSES)[number]> = ['failed', 'running', 'waiting_for_input', 'interrupted'];
      await store.insertMany(
        Array.from({ length: 5_000 }, (_, i) => ({
          agent_id: i % 50 === 7 ? 'agent_7' : `agent_busy_${i % 3}`,
          workflow_id: i % 50 === 7 ? 'wf_7' : `wf_busy_${i % 2}`,
          status: i % 40 === 3 ? rare[(i / 40) % 4 | 0] : i % 2 ? 'idle' : 'completed',
          created_at: new Date(t0 + i * 1000),
          updated_at: new Date(t0 + i * 1000 + (i % 3) * 500),
          context_json: `{"i":${i},"text":"${'x'.repeat(i % 200)}"}`,
        })),
      );
      await store.pool.query('ANALYZE execution_contexts');
      for (const view of ['full', 'summary'] as const) {
        const { sql, params } = buildPostgresListQuery({ ...query({ per_page: 50, ...filter }), view });
        const { rows } = await store.pool.query<{ 'QUERY PLAN': unknown }>(`EXPLAIN (FORMAT JSON) ${sql}`, params);
        const plan = JSON.stringify(rows[0]?.['QUERY PLAN']); // fidelity-ok: an EXPLAIN plan, no context
        expect(plan, sql).not.toMatch(/"Node Type":"(Sort|Incremental Sort)"/);
        expect(plan, sql).not.toMatch(/"Node Type":"(Seq Scan|Bitmap Heap Scan)"/);
        expect(plan, sql).toContain(`"Index Name":"${index}"`);
        // (Pages after the first read their rows by primary key: forward, one row each.)
        expect(plan, sql).not.toMatch(/"Scan Direction":"Forward","Index Name":"ix_/);
        if (filter.page !== undefined) expect(plan, sql).toContain('"Index Name":"execution_contexts_pkey"');
        if ((filter.status?.length ?? 0) > 1 && !filter.agent_id && filter.status?.length !== CONTEXT_STATUSES.length) {
          // One ordered walk per status, merged in order.
          expect(plan, sql).toContain('"Node Type":"Merge Append"');
        }
      }
    });
  });

  describe('errors', () => {
    it('recognises connection failures as unavailable, other errors not', async () => {
      const closedPort = await openPostgresStore({
        connectionString: 'postgres://nobody:x@127.0.0.1:1/none',
        migrate: false,
        connectTimeoutMs: 1_000,
      });
      try {
        const error = await closedPort.ping().then(() => null, (e: unknown) => e);
        expect(error).not.toBeNull();
        expect(closedPort.isUnavailable(error)).toBe(true);
      } finally {
        await closedPort.close();
      }
      const syntax = await store.pool.query('SELEC 1').then(() => null, (e: unknown) => e);
      expect(isPostgresUnavailable(syntax)).toBe(false);
      expect(isPostgresUnavailable(new Error('boom'))).toBe(false);
    });
  });

  describe('shared rate-limit backend', () => {
    it('two stores on one database share one window', async () => {
      const other = await open();
      try {
        const a = store.rateLimiter({ keyPrefix: 'delete:1', points: 5, duration: 1 });
        const b = other.rateLimiter({ keyPrefix: 'delete:1', points: 5, duration: 1 });
        const outcomes = [];
        for (let i = 0; i < 6; i += 1) {
          outcomes.push(await (i % 2 ? a : b).consume('key-hash', 1).then(() => 'ok', () => 'refused'));
        }
        expect(outcomes).toEqual(['ok', 'ok', 'ok', 'ok', 'ok', 'refused']);
      } finally {
        await other.close();
      }
    });
  });
});
