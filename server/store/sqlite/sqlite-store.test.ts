/**
 * The SQLite engine: the shared store contract (store-contract.ts) plus what only SQLite
 * has — pragmas, the user_version migrations, INDEXED BY query plans, two connections on
 * one file.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CONTEXT_STATUSES, type ListQuery } from '../../../contract/index';
import { encodeCursor } from '../rows';
import { describeStore } from '../store-contract';
import { listQuerySchema } from '../../../contract/schemas';
import { MIGRATIONS, SCHEMA_VERSION } from './migrations';
import { registerSearchFunctions } from './search';
import { prepareContext } from '../prepared';
import { searchTextOf } from '../../../contract/search/search-text';
import { DATABASE_FILE, buildListQuery, openSqliteStore, type SqliteContextStore } from './sqlite-store';

// The contract, on a fresh file per test.
let contractDir: string | undefined;
describeStore('sqlite', {
  async open() {
    contractDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ecc-store-'));
    return openSqliteStore(contractDir);
  },
  async openAnother() {
    if (contractDir === undefined) throw new Error('open() first');
    return openSqliteStore(contractDir);
  },
  async cleanUp() {
    if (contractDir !== undefined) fs.rmSync(contractDir, { recursive: true, force: true });
    contractDir = undefined;
  },
});

let dir: string;
let store: SqliteContextStore;

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ecc-store-'));
  store = openSqliteStore(dir);
});
afterEach(() => {
  store.closeSync();
  fs.rmSync(dir, { recursive: true, force: true });
});

/** A full-view list query. */
const query = (q: Partial<ListQuery> = {}): ListQuery & { view: 'full' } => ({ per_page: 20, ...q, view: 'full' });

const t0 = Date.parse('2026-06-01T00:00:00.000Z');

describe('sessions', () => {
  it('drops expired sessions when a new one is created', async () => {
    await store.upsertApiKey('viewer', 'k');
    await store.createSession('old', 'viewer', 'k', new Date(Date.now() - 1000));
    await store.createSession('new', 'viewer', 'k', new Date(Date.now() + 60_000));
    const rows = store.db.prepare('SELECT token_hash FROM sessions').pluck().all();
    expect(rows).toEqual(['new']);
  });
});

describe('schema', () => {
  it('migrates once; reopening is a no-op that keeps the data', async () => {
    const { context } = await store.create({ agent_id: 'a', context_json: '{"keep":true}' });
    expect(store.db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    expect(store.db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(store.db.pragma('page_size', { simple: true })).toBe(8192);
    store.closeSync();
    for (let i = 0; i < 2; i += 1) {
      store = openSqliteStore(dir);
      expect(store.db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
      expect((await store.get(context.id))?.context.context_json).toBe('{"keep":true}');
      expect(await store.count()).toBe(1);
      store.closeSync();
    }
    store = openSqliteStore(dir);
  });

  it('creates a missing data directory', async () => {
    const nested = path.join(dir, 'a', 'b');
    const other = openSqliteStore(nested);
    other.close();
    expect(fs.existsSync(path.join(nested, DATABASE_FILE))).toBe(true);
  });

  it('refuses a database from a newer schema', async () => {
    store.closeSync();
    const raw = new Database(path.join(dir, DATABASE_FILE));
    raw.pragma(`user_version = ${SCHEMA_VERSION + 1}`);
    raw.close();
    expect(() => openSqliteStore(dir)).toThrow(/newer/);
    const raw2 = new Database(path.join(dir, DATABASE_FILE));
    raw2.pragma(`user_version = ${SCHEMA_VERSION}`);
    raw2.close();
    store = openSqliteStore(dir);
  });
});

describe('query plans', () => {
  const cursor = encodeCursor(t0, 'ctx_01J000000000000000000000');
  const before = new Date(t0 + 86_400_000).toISOString();
  const beforeCursor = new Date(t0 - 86_400_000).toISOString();
  const plans: Array<[string, Partial<ListQuery>, string]> = [
    ['no filter', {}, 'ix_ctx_created'],
    ['deep offset', { page: 500 }, 'ix_ctx_created'],
    ['agent', { agent_id: 'a' }, 'ix_ctx_agent'],
    ['workflow', { workflow_id: 'w' }, 'ix_ctx_workflow'],
    ['one status', { status: ['failed'] }, 'ix_ctx_status'],
    ['several statuses', { status: ['running', 'waiting_for_input'] }, 'ix_ctx_status'],
    ['all statuses', { status: [...CONTEXT_STATUSES] }, 'ix_ctx_created'],
    ['updated_before', { updated_before: before }, 'ix_ctx_created'],
    ['agent + status', { agent_id: 'a', status: ['idle'] }, 'ix_ctx_agent'],
    ['agent + statuses', { agent_id: 'a', status: ['idle', 'failed'] }, 'ix_ctx_agent'],
    ['workflow + status', { workflow_id: 'w', status: ['idle'] }, 'ix_ctx_workflow'],
    ['agent + workflow', { agent_id: 'a', workflow_id: 'w' }, 'ix_ctx_agent'],
    ['status + updated_before', { status: ['idle'], updated_before: before }, 'ix_ctx_status'],
    ['statuses + updated_before', { status: ['idle', 'failed'], updated_before: before }, 'ix_ctx_status'],
    ['statuses, deep offset', { status: ['idle', 'failed', 'running'], page: 400 }, 'ix_ctx_status'],
    ['cursor', { after: cursor }, 'ix_ctx_created'],
    ['cursor + agent', { after: cursor, agent_id: 'a' }, 'ix_ctx_agent'],
    ['cursor + workflow', { after: cursor, workflow_id: 'w' }, 'ix_ctx_workflow'],
    ['cursor + status', { after: cursor, status: ['idle'] }, 'ix_ctx_status'],
    ['cursor + statuses', { after: cursor, status: ['idle', 'running'] }, 'ix_ctx_status'],
    ['cursor + statuses + updated_before', { after: cursor, status: ['idle', 'running'], updated_before: before }, 'ix_ctx_status'],
    ['cursor + updated_before (later)', { after: cursor, updated_before: before }, 'ix_ctx_created'],
    ['cursor + updated_before (earlier)', { after: cursor, updated_before: beforeCursor }, 'ix_ctx_created'],
    ['cursor + agent + statuses + updated_before', { after: cursor, agent_id: 'a', status: ['idle', 'failed'], updated_before: before }, 'ix_ctx_agent'],
  ];

  it.each(plans)('%s walks %s in order, with a seek and no sort', async (_name, filter, index) => {
    // A few rows and fresh statistics, so the planner has something to be tempted by.
    await store.insertMany(
      Array.from({ length: 300 }, (_, i) => ({
        agent_id: `agent_${i % 3}`,
        workflow_id: 'w',
        status: CONTEXT_STATUSES[i % 6],
        created_at: new Date(t0 + i * 1000),
      })),
    );
    store.db.exec('ANALYZE');
    for (const view of ['full', 'summary'] as const) {
      const built = buildListQuery({ ...query({ per_page: 100, ...filter }), view });
      expect(built.index).toBe(index);
      const plan = (store.db.prepare(`EXPLAIN QUERY PLAN ${built.sql}`).all(...built.params) as Array<{ detail: string }>)
        .map((row) => row.detail)
        .join('\n');
      expect(plan).not.toMatch(/TEMP B-TREE/);
      expect(plan).toMatch(new RegExp(`USING (COVERING )?INDEX ${index}\\b`));
      expect(plan).not.toMatch(/SCAN execution_contexts$/m); // never a full table scan
      // Every bound that can start the walk is used as one.
      if (filter.agent_id || filter.workflow_id || filter.status?.length === 1) expect(plan).toMatch(/SEARCH .*=\?/);
      if (filter.after || filter.updated_before) expect(plan).toMatch(/SEARCH .*(created_at<\?|\(created_at,id\)<\(\?,\?\))/);
    }
  });
});

describe('search index (FTS5 trigram, detail=none)', () => {
  /** Ids a q search answers, newest first (listQuerySchema's parse, as the route does). */
  const searchIds = (q: string, perPage = 100): string[] =>
    (store.listSync(listQuerySchema.parse({ q, per_page: String(perPage) })).data as Array<{ id: string }>).map((c) => c.id);

  it('migration 4 upgrades a version-3 database: its contexts are found, and writes keep the new index in step', async () => {
    store.closeSync();
    for (const suffix of ['', '-wal', '-shm']) fs.rmSync(path.join(dir, DATABASE_FILE + suffix), { force: true });
    const old = new Database(path.join(dir, DATABASE_FILE));
    registerSearchFunctions(old);
    for (const [index, sql] of MIGRATIONS.slice(0, 3).entries()) {
      old.exec(sql);
      old.pragma(`user_version = ${index + 1}`);
    }
    const insert = old.prepare(
      `INSERT INTO execution_contexts (id, agent_id, status, created_at, updated_at, context_size, context_json)
       VALUES (?, 'a', 'idle', ?, ?, 0, ?)`,
    );
    insert.run('ctx_01', 1000, 1000, '{"email":"Alice@Shop42.Example"}');
    insert.run('ctx_02', 2000, 2000, '{"note":"abcx bcdx"}');
    insert.run('ctx_03', 3000, 3000, null);
    for (let i = 0; i < 40; i += 1) insert.run(`ctx_1${String(i).padStart(2, '0')}`, 4000 + i, 4000 + i, `{"n":${i},"tag":"filler"}`);
    expect(old.prepare('SELECT count(*) FROM context_search').pluck().get()).toBe(42);
    old.close();

    store = openSqliteStore(dir);
    expect(store.db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    const sql = store.db.prepare("SELECT sql FROM sqlite_master WHERE name = 'context_search'").pluck().get() as string;
    expect(sql).toContain('detail = none');
    expect(store.db.prepare("SELECT count(*) FROM sqlite_master WHERE name LIKE 'context_search_old%'").pluck().get()).toBe(0);
    expect(searchIds('@shop42.example')).toEqual(['ctx_01']);
    expect(searchIds('filler')).toHaveLength(40);
    // The trigrams of "abcd" are all in ctx_02's text, but apart: a candidate, not a match.
    expect(searchIds('abcd')).toEqual([]);

    // Writes after the upgrade: the triggers feed the new table.
    const created = await store.create({ agent_id: 'a', context_json: '{"who":"Bob@Shop42.example"}' });
    expect(searchIds('@shop42.example')).toEqual([created.context.id, 'ctx_01']);
    await store.update('ctx_01', { context_json: '{"email":"carol@elsewhere.example"}' });
    expect(searchIds('@shop42.example')).toEqual([created.context.id]);
    expect(searchIds('carol@')).toEqual(['ctx_01']);
    await store.delete(created.context.id);
    expect(searchIds('@shop42.example')).toEqual([]);
    expect(store.db.prepare("INSERT INTO context_search (context_search) VALUES ('integrity-check')").run().changes).toBeGreaterThanOrEqual(0);
  });

  it('insertPrepared indexes a precomputed search text (the seed worker\'s) exactly as the trigger would', async () => {
    const texts = ['{"a":"Hello \\u00c9"}', '{"b":[1.50,"x"]}', '{"c":"same"}'];
    store.insertPrepared(
      texts.map((json, i) => ({
        ...prepareContext({ agent_id: 'a', context_json: json, created_at: new Date(1000 + i) }),
        // The last row carries none: insertPrepared computes it.
        ...(i < 2 ? { search_text: searchTextOf(json) } : {}),
      })),
    );
    const indexed = store.db
      .prepare('SELECT s.text FROM execution_contexts c JOIN context_search s ON s.rowid = c.rowid ORDER BY c.created_at')
      .pluck()
      .all();
    expect(indexed).toEqual(texts.map((json) => searchTextOf(json)));
    expect(searchIds('hello é')).toHaveLength(1);
    expect(searchIds('1.50')).toHaveLength(1);
    // The trigger indexes again after the bulk insert (and after a failed one).
    expect(() => store.insertPrepared([{ ...prepareContext({ agent_id: 'a', context_json: '{"x":1}' }), status: 'bogus' as 'idle' }])).toThrow();
    const created = await store.create({ agent_id: 'a', context_json: '{"after":"bulk-insert"}' });
    expect(searchIds('bulk-insert')).toEqual([created.context.id]);
    expect(store.db.prepare('SELECT count(*) FROM context_search').pluck().get()).toBe(4);
  });

  /** Where a context's search text is: the trigram index, unindexed (pending or not), or nowhere. */
  const placeOf = (id: string): string => {
    const rowid = store.db.prepare('SELECT rowid FROM execution_contexts WHERE id = ?').pluck().get(id) as number;
    if (store.db.prepare('SELECT 1 FROM context_search WHERE rowid = ?').pluck().get(rowid) !== undefined) return 'indexed';
    const pending = store.db.prepare('SELECT pending FROM context_search_unindexed WHERE rowid = ?').pluck().get(rowid);
    return pending === undefined ? 'nowhere' : pending === 1 ? 'pending' : 'too large';
  };
  const ftsIntegrity = (): void => {
    store.db.prepare("INSERT INTO context_search (context_search) VALUES ('integrity-check')").run();
  };

  it('keeps a context larger than searchIndexMaxBytes out of the trigram index, and still finds it by q, exactly', async () => {
    store.closeSync();
    store = openSqliteStore(dir, { searchIndexMaxBytes: 200 });
    const big = await store.create({ agent_id: 'a', context_json: `{"note":"needle-in-Big","pad":"${'x'.repeat(300)}"}` });
    const small = await store.create({ agent_id: 'a', context_json: '{"note":"needle-in-small"}' });
    expect(placeOf(big.context.id)).toBe('too large');
    expect(placeOf(small.context.id)).toBe('indexed');
    expect(searchIds('needle-in')).toEqual([small.context.id, big.context.id]);
    expect(searchIds('NEEDLE-IN-BIG')).toEqual([big.context.id]);
    // Its trigrams are all there, but not in this order: checked exactly, no match.
    expect(searchIds('big-in')).toEqual([]);
    // The scan way (too many candidates for the index way) checks it alike.
    store.closeSync();
    store = openSqliteStore(dir, { searchIndexMaxBytes: 200, searchIndexCandidates: 1 });
    expect(searchIds('needle-in')).toEqual([small.context.id, big.context.id]);

    // A write moves the text to where its new size belongs, both ways, and a delete removes it.
    await store.update(big.context.id, { context_json: '{"note":"now small"}' });
    expect(placeOf(big.context.id)).toBe('indexed');
    expect(searchIds('needle-in-big')).toEqual([]);
    expect(searchIds('now small')).toEqual([big.context.id]);
    await store.update(small.context.id, { context_json: `{"note":"grown","pad":"${'y'.repeat(300)}"}` });
    expect(placeOf(small.context.id)).toBe('too large');
    expect(searchIds('grown')).toEqual([small.context.id]);
    expect(searchIds('needle-in-small')).toEqual([]);
    await store.delete(small.context.id);
    expect(placeOf(small.context.id)).toBe('nowhere');
    expect(store.db.prepare('SELECT count(*) FROM context_search_unindexed').pluck().get()).toBe(0);
    ftsIntegrity();
  });

  it('migration 5 moves the indexed contexts that are now too large out of the index, and they are still found', async () => {
    store.closeSync();
    for (const suffix of ['', '-wal', '-shm']) fs.rmSync(path.join(dir, DATABASE_FILE + suffix), { force: true });
    const old = new Database(path.join(dir, DATABASE_FILE));
    registerSearchFunctions(old, 200);
    for (const [index, sql] of MIGRATIONS.slice(0, 4).entries()) {
      old.exec(sql);
      old.pragma(`user_version = ${index + 1}`);
    }
    const insert = old.prepare(
      `INSERT INTO execution_contexts (id, agent_id, status, created_at, updated_at, context_size, context_json)
       VALUES (?, 'a', 'idle', ?, ?, ?, ?)`,
    );
    const bigJson = `{"note":"old big one","pad":"${'z'.repeat(300)}"}`;
    insert.run('ctx_big', 1000, 1000, Buffer.byteLength(bigJson), bigJson);
    insert.run('ctx_small', 2000, 2000, 24, '{"note":"old small one"}');
    expect(old.prepare('SELECT count(*) FROM context_search').pluck().get()).toBe(2);
    old.close();

    store = openSqliteStore(dir, { searchIndexMaxBytes: 200 });
    expect(store.db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    expect(placeOf('ctx_big')).toBe('too large');
    expect(placeOf('ctx_small')).toBe('indexed');
    expect(searchIds('old')).toEqual(['ctx_small', 'ctx_big']);
    expect(searchIds('big one')).toEqual(['ctx_big']);
    ftsIntegrity();
  });

  it('a bulk load leaves its contexts pending: found by q at once, then indexed in the background', async () => {
    const before = await store.create({ agent_id: 'a', context_json: '{"tag":"bulk-term before"}' });
    const end = store.beginBulkLoad();
    store.insertPrepared(
      Array.from({ length: 30 }, (_, i) =>
        prepareContext({ agent_id: 'b', context_json: `{"i":${i},"tag":"bulk-term${i % 10 === 0 ? ' tenth' : ''}"}`, created_at: new Date(5000 + i) }),
      ),
    );
    end();
    expect(store.pendingSearchCount()).toBe(30);
    // Searches are right before the indexer runs: every way, and with the index way's
    // candidates (indexed + unindexed) over the limit too.
    const idsBefore = searchIds('bulk-term');
    expect(idsBefore).toHaveLength(31);
    expect(searchIds('tenth')).toHaveLength(3);
    store.closeSync();
    store = openSqliteStore(dir, { searchIndexCandidates: 10, searchScanRows: 1000 });
    expect(searchIds('bulk-term')).toEqual(idsBefore);
    expect(searchIds('tenth')).toHaveLength(3);

    // A write to a pending context indexes its new text at once; a delete drops it.
    const [first, second] = idsBefore.slice(-3, -1) as [string, string];
    await store.update(first, { context_json: '{"tag":"rewritten"}' });
    expect(placeOf(first)).toBe('indexed');
    await store.delete(second);
    expect(store.pendingSearchCount()).toBe(28);

    // The indexer, a chunk at a time (at least one context per step), oldest first.
    expect(store.indexPendingSync(1)).toBe(1);
    expect(store.pendingSearchCount()).toBe(27);
    while (store.indexPendingSync(100) > 0);
    expect(store.pendingSearchCount()).toBe(0);
    expect(placeOf(before.context.id)).toBe('indexed');
    expect(searchIds('bulk-term')).toEqual(idsBefore.filter((id) => id !== first && id !== second));
    expect(searchIds('rewritten')).toEqual([first]);
    expect(searchIds('tenth')).toHaveLength(3);
    ftsIntegrity();
  });

  it('the background indexer (startBackgroundWork) indexes what another connection bulk-loaded, and stops at close', async () => {
    const other = openSqliteStore(dir);
    try {
      const end = other.beginBulkLoad();
      other.insertPrepared(Array.from({ length: 50 }, (_, i) => prepareContext({ agent_id: 'a', context_json: `{"n":${i},"w":"later-indexed"}` })));
      end();
    } finally {
      other.closeSync();
    }
    expect(store.pendingSearchCount()).toBe(50);
    const errors: Error[] = [];
    store.startBackgroundWork((error) => errors.push(error));
    await expect.poll(() => store.pendingSearchCount(), { timeout: 5000 }).toBe(0);
    expect(errors).toEqual([]);
    expect(searchIds('later-indexed')).toHaveLength(50);
    ftsIntegrity();
    store.closeSync();
    // Closed: the indexer's timer is gone, so nothing touches the closed handle.
    await new Promise((resolve) => setTimeout(resolve, 50));
    store = openSqliteStore(dir);
  });

  it('startBackgroundWork moves WAL checkpoints to a worker thread; close stops it and hands them back', async () => {
    const errors: Error[] = [];
    expect(store.checkpointProgress()).toBeNull();
    store.startBackgroundWork((error) => errors.push(error));
    // Commits leave the WAL to the worker (the high mark is only a backstop).
    expect(store.db.pragma('wal_autocheckpoint', { simple: true })).toBe(16_384);
    const big = `{"pad":"${'p'.repeat(2 * 1024 * 1024)}"}`;
    const created = await store.create({ agent_id: 'a', context_json: big });
    await expect.poll(() => store.checkpointProgress()?.count ?? 0, { timeout: 5000 }).toBeGreaterThan(0);
    const last = store.checkpointProgress()?.last;
    expect(last?.checkpointed).toBe(last?.log);
    // A bulk load raises the mark and puts back the worker's, not SQLite's default.
    store.beginBulkLoad()();
    expect(store.db.pragma('wal_autocheckpoint', { simple: true })).toBe(16_384);
    await store.close();
    expect(errors).toEqual([]);
    // The data is in the database file: a fresh store reads it, and checkpoints itself.
    store = openSqliteStore(dir);
    expect(store.db.pragma('wal_autocheckpoint', { simple: true })).toBe(1000);
    expect((await store.get(created.context.id))?.context.context_json).toBe(big);
  });

  it('answers alike by the index way, the walk and the scan (rare, common and very common q)', async () => {
    // 300 contexts: "rare" in 2, "common" in every 3rd, "every" in all; "abcd" in none
    // although every context holds its trigrams apart (candidates, never matches).
    const rows = Array.from({ length: 300 }, (_, i) => ({
      agent_id: i % 2 === 0 ? 'even' : 'odd',
      created_at: new Date(Date.UTC(2026, 0, 1) + i * 1000),
      context_json: `{"i":${i},"t":"every abcx bcdx${i % 3 === 0 ? ' common' : ''}${i === 7 || i === 250 ? ' rare' : ''}"}`,
    }));
    await store.insertMany(rows);
    const reference = (test: (i: number) => boolean): number[] =>
      rows.map((_, i) => i).filter(test).reverse();
    const numbers = (page: { data: unknown[] }): number[] =>
      (page.data as Array<{ context_json: string }>).map((c) => Number(/"i":(\d+)/.exec(c.context_json)?.[1]));
    const list = (query: Record<string, string>) => store.listSync(listQuerySchema.parse(query));
    for (const limits of [{}, { searchIndexCandidates: 50 }, { searchIndexCandidates: 1 }]) {
      store.closeSync();
      store = openSqliteStore(dir, { ...limits, searchScanRows: 1000 });
      expect(numbers(list({ q: 'rare' }))).toEqual([250, 7]);
      expect(numbers(list({ q: 'common', per_page: '10' }))).toEqual(reference((i) => i % 3 === 0).slice(0, 10));
      expect(numbers(list({ q: 'common', per_page: '10', page: '3' }))).toEqual(reference((i) => i % 3 === 0).slice(20, 30));
      expect(numbers(list({ q: 'common', agent_id: 'even', per_page: '5' }))).toEqual(reference((i) => i % 6 === 0).slice(0, 5));
      expect(numbers(list({ q: 'every', where: 'i < 10', per_page: '100' }))).toEqual(reference((i) => i < 10));
      expect(numbers(list({ q: 'abcd' }))).toEqual([]);
      const all = list({ q: 'common', per_page: '100' });
      expect(numbers(all)).toEqual(reference((i) => i % 3 === 0));
      expect(all.has_more).toBe(false);
    }
  });
});
