/**
 * The store contract: ONE suite of behaviour every ContextStore engine must have (paging,
 * cursor, filters, summary view, versions, in-use deletes, keys, sessions), written once
 * and run against each engine by its own test file (`sqlite/sqlite-store.test.ts`,
 * `postgres/postgres-store.test.ts`), in the manner of Auth.js's adapter tests. What only
 * one engine has (pragmas, EXPLAIN plans, migrations) stays in that engine's file.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  CONTEXT_STATUSES,
  summaryFields,
  type ContextStatus,
  type ListQuery,
} from '../../contract/index';
import { decodeCursor, encodeCursor } from './rows';
import { listQuerySchema } from '../../contract/schemas';
import { searchTextOf } from '../../contract/search/search-text';
import type { WriteMeta } from './accountability-types';
import { InvalidCursorError, type ContextRecord, type ContextStore, type NewContext } from './types';

type JsonObject = Record<string, unknown>;
type ExecutionContext = ContextRecord;
/** A test context's stored text: JSON.stringify is exact for these small, safe values
 *  (the exact-text cases are the engines' own tests and the API's fidelity tests). */
const j = (value: JsonObject | null): string | null => (value === null ? null : JSON.stringify(value)); // fidelity-ok: small test contexts
/** The summary row the store must produce for a full row. */
const toSummary = ({ context_json, ...rest }: ContextRecord) => ({ ...rest, ...summaryFields(context_json) });

/** How the suite gets stores of one engine. */
export interface StoreHarness {
  /** An empty store, ready to use (called before every test). */
  open(): Promise<ContextStore>;
  /** A second store on the same data as the last open() (another process, in effect). */
  openAnother(): Promise<ContextStore>;
  /** Called after every test, once the store is closed. */
  cleanUp?(): Promise<void>;
}

/**
 * Registers the contract's tests for one engine. Call it at the top level of the engine's
 * test file; `harness` may rely on that file's beforeAll/afterAll.
 */
export function describeStore(engine: string, harness: StoreHarness): void {
  describe(`store contract: ${engine}`, () => {
    let store: ContextStore;

    beforeEach(async () => {
      store = await harness.open();
    });
    afterEach(async () => {
      await store.close();
      await harness.cleanUp?.();
    });

    /** A full-view list query (the summary tests spread it and set view: 'summary'). */
    const query = (q: Partial<ListQuery> = {}): ListQuery & { view: 'full' } => ({ per_page: 20, ...q, view: 'full' });

    /** Every row matching `q`, following next_cursor to the end. */
    async function listAll(q: Partial<ListQuery> = {}): Promise<ExecutionContext[]> {
      const rows: ExecutionContext[] = [];
      let after: string | undefined;
      for (let guard = 0; guard < 10_000; guard += 1) {
        const page = await store.list({ ...query({ per_page: 100, ...q }), view: 'full', after });
        rows.push(...page.data);
        if (!page.has_more) {
          expect(page.next_cursor).toBeNull();
          return rows;
        }
        expect(page.next_cursor).not.toBeNull();
        after = page.next_cursor ?? undefined;
      }
      throw new Error('cursor paging did not end');
    }

    /** The contract's order: created_at desc, then id desc. */
    function compareNewestFirst(a: ExecutionContext, b: ExecutionContext): number {
      if (a.created_at !== b.created_at) return a.created_at < b.created_at ? 1 : -1;
      return a.id < b.id ? 1 : a.id > b.id ? -1 : 0;
    }

    const t0 = Date.parse('2026-06-01T00:00:00.000Z');

    describe('create / get', () => {
      it('creates with defaults and reads back the same context', async () => {
        const before = Date.now();
        const created = await store.create({ agent_id: 'agent_a', context_json: j({ current_step: 'x', progress: 5 }) });
        expect(created.version).toBe(1);
        expect(created.context).toMatchObject({
          agent_id: 'agent_a',
          workflow_id: null,
          session_id: null,
          status: 'idle',
          context_json: j({ current_step: 'x', progress: 5 }),
        });
        expect(created.context.id).toMatch(/^ctx_[0-9A-HJKMNP-TV-Z]{26}$/);
        expect(created.context.created_at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
        expect(created.context.updated_at).toBe(created.context.created_at);
        expect(Date.parse(created.context.created_at)).toBeGreaterThanOrEqual(before);
        expect(await store.get(created.context.id)).toEqual(created);
        expect(await store.count()).toBe(1);
      });

      it('stores every field, null context included', async () => {
        const created = await store.create({
          agent_id: null,
          workflow_id: 'wf_1',
          session_id: 's_1',
          context_json: j(null),
          status: 'waiting_for_input',
        });
        expect((await store.get(created.context.id))?.context).toMatchObject({
          agent_id: null,
          workflow_id: 'wf_1',
          session_id: 's_1',
          context_json: j(null),
          status: 'waiting_for_input',
        });
      });

      it('returns null for an unknown id', async () => {
        expect(await store.get('ctx_missing')).toBeNull();
      });

      it('gives creates in the same millisecond ids in creation order', async () => {
        const ids: string[] = [];
        for (let i = 0; i < 50; i += 1) ids.push((await store.create({ agent_id: 'a' })).context.id);
        expect([...ids].sort()).toEqual(ids);
        // …so the list, newest first, is exactly the reverse creation order.
        expect((await listAll()).map((c) => c.id)).toEqual([...ids].reverse());
      });

      it('round-trips a large context with non-ASCII text', async () => {
        const big: JsonObject = { log: 'ünïcødé ✓ 🚀 '.repeat(100_000), nested: { deep: [1, 2, { x: null }] } };
        const created = await store.create({ agent_id: 'a', context_json: j(big) });
        expect((await store.get(created.context.id))?.context.context_json).toBe(j(big));
      });

      it('insertMany inserts back-dated rows whose ids sort with created_at', async () => {
        const rows: NewContext[] = Array.from({ length: 2_500 }, (_, i) => ({
          agent_id: `agent_${i % 7}`,
          created_at: new Date(t0 + i * 60_000),
          updated_at: new Date(t0 + i * 60_000 - 5), // before created_at: clamped
          status: CONTEXT_STATUSES[i % 6],
          context_json: j({ i }),
        }));
        expect(await store.insertMany(rows)).toBe(2_500);
        expect(await store.count()).toBe(2_500);
        const all = await listAll();
        expect(all).toHaveLength(2_500);
        expect(all.map((c) => c.id)).toEqual(all.map((c) => c.id).sort().reverse());
        for (const c of all) expect(c.updated_at >= c.created_at).toBe(true);
        expect(all.at(-1)?.created_at).toBe(new Date(t0).toISOString());
      });
    });

    describe('list: order and pagination', () => {
      it('breaks created_at ties by id, descending', async () => {
        await store.insertMany(Array.from({ length: 30 }, () => ({ agent_id: 'a', created_at: new Date(t0) })));
        await store.insertMany(Array.from({ length: 5 }, () => ({ agent_id: 'a', created_at: new Date(t0 + 1) })));
        const all = await listAll({ per_page: 7 });
        expect(all).toHaveLength(35);
        expect(all).toEqual([...all].sort(compareNewestFirst));
        expect(new Set(all.map((c) => c.id)).size).toBe(35);
        expect(all.slice(0, 5).every((c) => c.created_at === new Date(t0 + 1).toISOString())).toBe(true);
        // Offset pages agree with cursor pages.
        const byPages: ExecutionContext[] = [];
        for (const page of [1, 2, 3, 4, 5]) byPages.push(...(await store.list(query({ per_page: 7, page }))).data);
        expect(byPages).toEqual(all);
      });

      it('answers an empty store with an empty last page', async () => {
        expect(await store.list(query())).toEqual({ data: [], has_more: false, next_cursor: null });
        expect(await store.list(query({ page: 3 }))).toEqual({ data: [], has_more: false, next_cursor: null });
      });

      it('computes has_more exactly at the boundaries', async () => {
        const seed = async (n: number): Promise<void> => {
          await store.insertMany(Array.from({ length: n }, (_, i) => ({ agent_id: 'a', created_at: new Date(t0 + i) })));
        };
        await seed(10);
        // Exactly per_page rows: one full page, nothing more.
        let page = await store.list(query({ per_page: 10 }));
        expect(page.data).toHaveLength(10);
        expect(page.has_more).toBe(false);
        expect(page.next_cursor).toBeNull();
        // per_page + 1 rows: a full page with more, then a page of one.
        await seed(1);
        page = await store.list(query({ per_page: 10 }));
        expect(page.data).toHaveLength(10);
        expect(page.has_more).toBe(true);
        expect(page.next_cursor).toBe(encodeCursor(Date.parse(page.data[9]!.created_at), page.data[9]!.id));
        const second = await store.list(query({ per_page: 10, after: page.next_cursor! }));
        expect(second.data).toHaveLength(1);
        expect(second.has_more).toBe(false);
        expect(second.next_cursor).toBeNull();
        const offsetSecond = await store.list(query({ per_page: 10, page: 2 }));
        expect(offsetSecond.data).toEqual(second.data);
        expect(offsetSecond.has_more).toBe(false);
        // Past the end.
        expect((await store.list(query({ per_page: 10, page: 3 }))).data).toEqual([]);
        // A page that ends exactly at the last row.
        page = await store.list(query({ per_page: 1, page: 11 }));
        expect(page.data).toHaveLength(1);
        expect(page.has_more).toBe(false);
      });

      it('serves page offsets', async () => {
        await store.insertMany(Array.from({ length: 95 }, (_, i) => ({ agent_id: 'a', created_at: new Date(t0 + i * 1000) })));
        const all = await listAll();
        for (const page of [1, 2, 5, 10]) {
          const got = await store.list(query({ per_page: 10, page }));
          expect(got.data).toEqual(all.slice((page - 1) * 10, page * 10));
          expect(got.has_more).toBe(page < 10);
        }
        expect((await store.list(query({ per_page: 10, page: 10 }))).data).toHaveLength(5);
      });

      it('cursor paging neither repeats nor skips rows while others create and delete', async () => {
        // Deterministic pseudo-random choices, so a failure reproduces.
        let state = 12345;
        const rand = (): number => {
          state = (Math.imul(state, 1103515245) + 12345) >>> 0;
          return state / 2 ** 32;
        };
        const span = 10 * 86_400_000;
        await store.insertMany(
          Array.from({ length: 600 }, () => ({
            agent_id: rand() < 0.5 ? 'a' : 'b',
            // Coarse times: many ties, so the id tiebreak matters.
            created_at: new Date(t0 + Math.floor(rand() * 200) * (span / 200)),
          })),
        );
        const initial = await listAll();
        const deleted = new Set<string>();
        const seen: ExecutionContext[] = [];
        let after: string | undefined;
        for (let round = 0; ; round += 1) {
          const page = await store.list(query({ per_page: 23, after }));
          seen.push(...page.data);
          if (!page.has_more) break;
          after = page.next_cursor ?? undefined;
          // Between page fetches: new contexts now, back-dated ones anywhere (including at the
          // cursor's very timestamp), and deletions of rows both seen and not yet seen.
          await store.create({ agent_id: 'a' });
          const cursorTime = decodeCursor(after!).createdAt;
          await store.insertMany([
            { agent_id: 'b', created_at: new Date(t0 + Math.floor(rand() * span)) },
            { agent_id: 'b', created_at: new Date(cursorTime) },
          ]);
          for (let k = 0; k < 3; k += 1) {
            const victim = initial[Math.floor(rand() * initial.length)]!;
            if ((await store.delete(victim.id)).kind === 'deleted') deleted.add(victim.id);
          }
          expect(round).toBeLessThan(200);
        }
        const ids = seen.map((c) => c.id);
        expect(new Set(ids).size).toBe(ids.length); // nothing repeated
        expect(seen).toEqual([...seen].sort(compareNewestFirst)); // still in order
        const seenIds = new Set(ids);
        const survivors = initial.filter((c) => !deleted.has(c.id));
        expect(survivors.length).toBeGreaterThan(400);
        for (const c of survivors) expect(seenIds.has(c.id)).toBe(true); // nothing skipped
      });

      it('refuses cursors it did not issue', async () => {
        await store.create({ agent_id: 'a' });
        const bad = [
          'not a cursor!',
          'abc',
          Buffer.from('{"a":1}').toString('base64url'),
          Buffer.from('[1]').toString('base64url'),
          Buffer.from('[1.5,"ctx_1"]').toString('base64url'),
          Buffer.from('["1","ctx_1"]').toString('base64url'),
          Buffer.from('[1,""]').toString('base64url'),
          Buffer.from(`[1,"${'x'.repeat(201)}"]`).toString('base64url'),
          Buffer.from('[1,"ctx_1",3]').toString('base64url'),
        ];
        for (const after of bad) {
          await expect(store.list(query({ after })), after).rejects.toThrow(InvalidCursorError);
        }
        // A well-formed cursor for a row that no longer exists is a valid position.
        expect((await store.list(query({ after: encodeCursor(t0, 'ctx_gone') }))).data).toEqual([]);
      });
    });

    describe('list: filters', () => {
      const agents = ['agent_a', 'agent_b', 'agent_c', null];
      const workflows = ['wf_x', 'wf_y', null];
      let all: ExecutionContext[];

      beforeEach(async () => {
        await store.insertMany(
          Array.from({ length: 400 }, (_, i) => ({
            agent_id: agents[i % 4] ?? null,
            workflow_id: workflows[i % 3] ?? null,
            status: CONTEXT_STATUSES[(i * 7) % 6],
            created_at: new Date(t0 + Math.floor(i / 3) * 60_000),
            updated_at: new Date(t0 + Math.floor(i / 3) * 60_000 + (i % 5) * 3_600_000),
            context_json: j({ i }),
          })),
        );
        all = await listAll();
        expect(all).toHaveLength(400);
      });

      const cut = new Date(t0 + 90 * 60_000).toISOString();
      const cases: Array<[string, Partial<ListQuery>, (c: ExecutionContext) => boolean]> = [
        ['agent', { agent_id: 'agent_b' }, (c) => c.agent_id === 'agent_b'],
        ['workflow', { workflow_id: 'wf_y' }, (c) => c.workflow_id === 'wf_y'],
        ['one status', { status: ['failed'] }, (c) => c.status === 'failed'],
        ['several statuses', { status: ['running', 'waiting_for_input'] }, (c) => c.status === 'running' || c.status === 'waiting_for_input'],
        ['updated_before', { updated_before: cut }, (c) => c.updated_at < cut],
        ['updated_before with offset', { updated_before: '2026-06-01T03:30:00+02:00' }, (c) => c.updated_at < '2026-06-01T01:30:00.000Z'],
        ['agent + status', { agent_id: 'agent_a', status: ['idle'] }, (c) => c.agent_id === 'agent_a' && c.status === 'idle'],
        ['agent + statuses', { agent_id: 'agent_a', status: ['idle', 'completed', 'failed'] }, (c) => c.agent_id === 'agent_a' && ['idle', 'completed', 'failed'].includes(c.status)],
        ['agent + workflow', { agent_id: 'agent_c', workflow_id: 'wf_x' }, (c) => c.agent_id === 'agent_c' && c.workflow_id === 'wf_x'],
        ['workflow + status + updated_before', { workflow_id: 'wf_x', status: ['completed', 'idle'], updated_before: cut }, (c) => c.workflow_id === 'wf_x' && ['completed', 'idle'].includes(c.status) && c.updated_at < cut],
        ['status + updated_before', { status: ['interrupted'], updated_before: cut }, (c) => c.status === 'interrupted' && c.updated_at < cut],
        ['all statuses', { status: [...CONTEXT_STATUSES] }, () => true],
        ['duplicated status', { status: ['idle', 'idle'] }, (c) => c.status === 'idle'],
        ['unknown agent', { agent_id: 'nobody' }, () => false],
      ];

      it.each(cases)('%s: cursor pages and offset pages return exactly the matching rows', async (_name, filter, match) => {
        const expected = all.filter(match);
        for (const perPage of [1, 7, 100]) {
          expect((await listAll({ ...filter, per_page: perPage })).map((c) => c.id)).toEqual(expected.map((c) => c.id));
        }
        const pages = Math.ceil(expected.length / 9) + 1;
        const byOffset: ExecutionContext[] = [];
        for (let i = 0; i < pages; i += 1) byOffset.push(...(await store.list(query({ ...filter, per_page: 9, page: i + 1 }))).data);
        expect(byOffset).toEqual(expected);
      });
    });

    describe('list: summary view', () => {
      it('equals toSummary() of the full row, for ASCII, non-ASCII and astral text around the cut', async () => {
        const contexts: Array<JsonObject | null> = [
          null,
          {},
          { a: 1 },
          { text: 'x'.repeat(1000) },
          { text: 'é'.repeat(400) },
          { text: '日本語のテキスト'.repeat(60) },
          { text: '🚀'.repeat(400) }, // every char is a surrogate pair in JS
          { text: `${'a'.repeat(287)}🚀🚀🚀` }, // the cut falls inside a surrogate pair
          { text: `${'a'.repeat(288)}🚀🚀🚀` },
          { text: `${'a'.repeat(289)}🚀🚀🚀` },
          { text: `${'a'.repeat(290)}€😀x`.repeat(3) },
          { quote: '"\\\n\t\u0001', emoji: '👩‍👩‍👧' },
          { big: 'y'.repeat(2_000_000) },
        ];
        for (const [i, context] of contexts.entries()) await store.insertMany([{ agent_id: 'a', context_json: j(context), created_at: new Date(t0 + i) }]);
        const full = await store.list({ ...query({ per_page: 100 }), view: 'full' });
        const summary = await store.list({ ...query({ per_page: 100 }), view: 'summary' });
        expect(summary.data).toHaveLength(contexts.length);
        expect(summary.data).toEqual(full.data.map(toSummary));
        const big = summary.data.find((s) => s.context_size === 2_000_010); // {"big":"…"}
        expect(big?.context_preview).toHaveLength(300);
        expect(summary.data.find((s) => s.context_preview === null)?.context_size).toBe(0);
        // Filtered and cursor pages use the same columns.
        const page = await store.list({ ...query({ per_page: 5, agent_id: 'a' }), view: 'summary' });
        expect(page.data).toEqual(full.data.slice(0, 5).map(toSummary));
        expect((await store.list({ ...query({ per_page: 5, after: page.next_cursor! }), view: 'summary' })).data).toEqual(
          full.data.slice(5, 10).map(toSummary),
        );
      });

      it('agrees with the full view under every query shape (merged statuses, filters, offsets)', async () => {
        await store.insertMany(
          Array.from({ length: 120 }, (_, i) => ({
            agent_id: i % 2 ? 'a' : 'b',
            status: CONTEXT_STATUSES[i % 6],
            created_at: new Date(t0 + Math.floor(i / 4)),
            context_json: j(i % 9 === 0 ? null : { i, text: `ä🚀${'z'.repeat(i * 5)}` }),
          })),
        );
        const shapes: Array<Partial<ListQuery>> = [
          { status: ['idle', 'failed', 'running'] },
          { status: ['idle', 'failed'], page: 2 },
          { agent_id: 'a', status: ['completed', 'interrupted'] },
          { status: ['waiting_for_input'] },
        ];
        for (const shape of shapes) {
          const full = await store.list(query({ per_page: 15, ...shape }));
          const summary = await store.list({ ...query({ per_page: 15, ...shape }), view: 'summary' });
          expect(full.data.length).toBeGreaterThan(0);
          expect(summary).toEqual({ ...full, data: full.data.map(toSummary) });
        }
      });

      it('reflects updates in context_size and the preview', async () => {
        const { context } = await store.create({ agent_id: 'a', context_json: j({ a: 'ü' }) });
        await store.update(context.id, { context_json: j({ b: '✓'.repeat(500) }) });
        const [row] = (await store.list({ ...query(), view: 'summary' })).data;
        expect(row).toEqual(toSummary((await store.get(context.id))!.context));
        await store.update(context.id, { context_json: j(null) });
        expect((await store.list({ ...query(), view: 'summary' })).data[0]).toMatchObject({ context_preview: null, context_size: 0 });
      });
    });

    describe('update', () => {
      it('replaces the context, keeps omitted fields, bumps version and updated_at', async () => {
        const created = await store.insertMany([
          { agent_id: 'a', session_id: 's1', context_json: j({ a: 1 }), created_at: new Date(t0), updated_at: new Date(t0) },
        ]);
        expect(created).toBe(1);
        const [{ id }] = await listAll() as [ExecutionContext];
        const result = await store.update(id, { context_json: j({ b: 2 }) }, 1);
        expect(result.kind).toBe('updated');
        if (result.kind !== 'updated') return;
        expect(result.stored.version).toBe(2);
        expect(result.stored.context).toMatchObject({ context_json: j({ b: 2 }), session_id: 's1', agent_id: 'a' });
        expect(result.stored.context.updated_at > result.stored.context.created_at).toBe(true);
        expect(await store.get(id)).toEqual(result.stored);

        const second = await store.update(id, { session_id: null });
        expect(second.kind === 'updated' && second.stored).toMatchObject({ version: 3, context: { session_id: null, context_json: j({ b: 2 }) } });
        expect((await store.get(id))?.context.session_id).toBeNull();

        const third = await store.update(id, { context_json: j(null), session_id: 's2' }, 3);
        expect(third.kind === 'updated' && third.stored).toMatchObject({ version: 4, context: { session_id: 's2', context_json: j(null) } });
      });

      it('a search text given with a create or an update (the body parser\'s) is what q finds; the old text is gone', async () => {
        const ids = async (q: string): Promise<string[]> =>
          ((await store.list(listQuerySchema.parse({ q, per_page: '50' }))).data as ExecutionContext[]).map((c) => c.id);
        const given = (json: string | null) => ({ context_json: json, search_text: searchTextOf(json) });
        const a = await store.create({ agent_id: 'a', ...given(j({ note: 'Given-Text alpha', n: 1.50 })) });
        const b = await store.create({ agent_id: 'a', context_json: j({ note: 'trigger-text alpha' }) });
        expect(await ids('given-text')).toEqual([a.context.id]);
        expect(await ids('alpha')).toEqual([b.context.id, a.context.id]);
        // Each way replaced by the other: the old text no longer matches, the new one does.
        // With a version recorded (the API's way) and without.
        const meta: WriteMeta = { actor: { key_id: 'key_t', name: 'tester', role: 'editor' }, client_ip: null, recordVersion: true, keepDeleted: true };
        await store.update(a.context.id, { context_json: j({ note: 'replaced by trigger' }) }, undefined, meta);
        await store.update(b.context.id, given(j({ note: 'replaced, given' })), undefined, meta);
        await store.update(b.context.id, given(j({ note: 'replaced twice, given' })));
        // The same text again (a PATCH that changes nothing in the context).
        await store.update(b.context.id, given(j({ note: 'replaced twice, given' })), undefined, meta);
        expect(await ids('alpha')).toEqual([]);
        expect(await ids('replaced, given')).toEqual([]);
        expect(await ids('replaced twice')).toEqual([b.context.id]);
        expect(await ids('by trigger')).toEqual([a.context.id]);
        expect(await ids('replaced')).toEqual([b.context.id, a.context.id]);
        // Cleared: nothing to find.
        await store.update(b.context.id, { context_json: null, search_text: 'ignored without a context' });
        expect(await ids('replaced twice')).toEqual([]);
      });

      it('with no changes returns the row unchanged and keeps the version', async () => {
        const { context } = await store.create({ agent_id: 'a', context_json: j({ a: 1 }) });
        await store.update(context.id, { context_json: j({ a: 2 }) });
        const before = (await store.get(context.id))!;
        expect(await store.update(context.id, {})).toEqual({ kind: 'updated', stored: before });
        expect(await store.update(context.id, {}, 2)).toEqual({ kind: 'updated', stored: before });
        expect(await store.get(context.id)).toEqual(before);
      });

      it('answers precondition_failed with the current row for a stale version', async () => {
        const { context } = await store.create({ agent_id: 'a', context_json: j({ a: 1 }) });
        await store.update(context.id, { context_json: j({ a: 2 }) }, 1);
        const current = (await store.get(context.id))!;
        for (const stale of [1, 3, 0]) {
          expect(await store.update(context.id, { context_json: j({ a: 99 }) }, stale)).toEqual({ kind: 'precondition_failed', current });
          // An empty change with a stale version is still refused: If-Match is checked first.
          expect((await store.update(context.id, {}, stale)).kind).toBe('precondition_failed');
        }
        expect(await store.get(context.id)).toEqual(current);
      });

      it('answers not_found for an unknown id', async () => {
        expect(await store.update('ctx_missing', { context_json: j({}) })).toEqual({ kind: 'not_found' });
        expect(await store.update('ctx_missing', {}, 1)).toEqual({ kind: 'not_found' });
      });

      it('lets exactly one of two writers holding the same version win', async () => {
        const { context } = await store.create({ agent_id: 'a' });
        const other = await harness.openAnother();
        try {
          const first = await other.update(context.id, { context_json: j({ by: 'other' }) }, 1);
          const second = await store.update(context.id, { context_json: j({ by: 'me' }) }, 1);
          expect(first.kind).toBe('updated');
          expect(second.kind).toBe('precondition_failed');
          expect((await store.get(context.id))?.context.context_json).toBe(j({ by: 'other' }));
        } finally {
          await other.close();
        }
      });

      it('never moves updated_at backwards', async () => {
        const future = Date.now() + 3_600_000;
        await store.insertMany([{ agent_id: 'a', created_at: new Date(future), updated_at: new Date(future) }]);
        const [{ id }] = await listAll() as [ExecutionContext];
        const result = await store.update(id, { context_json: j({ a: 1 }) });
        expect(result.kind === 'updated' && result.stored.context.updated_at).toBe(new Date(future).toISOString());
      });
    });

    describe('delete', () => {
      it('deletes an idle context', async () => {
        const { context } = await store.create({ agent_id: 'a' });
        expect(await store.delete(context.id)).toEqual({ kind: 'deleted' });
        expect(await store.get(context.id)).toBeNull();
        expect(await store.delete(context.id)).toEqual({ kind: 'not_found' });
        expect(await store.count()).toBe(0);
      });

      it.each(CONTEXT_STATUSES)('status %s', async (status: ContextStatus) => {
        const { context } = await store.create({ agent_id: 'a', status });
        const inUse = status === 'running' || status === 'waiting_for_input';
        expect(await store.delete(context.id)).toEqual(inUse ? { kind: 'in_use', status } : { kind: 'deleted' });
        expect(await store.get(context.id) === null).toBe(!inUse);
      });

      it('answers not_found for an unknown id', async () => {
        expect(await store.delete('ctx_missing')).toEqual({ kind: 'not_found' });
      });
    });

    describe('api keys and sessions', () => {
      it('upserts one key hash per role', async () => {
        await store.upsertApiKey('admin', 'h1');
        await store.upsertApiKey('viewer', 'h2');
        await store.upsertApiKey('admin', 'h3');
        expect(await store.apiKeyHashes()).toEqual([
          { role: 'admin', keyHash: 'h3' },
          { role: 'viewer', keyHash: 'h2' },
        ]);
      });

      it('finds live sessions only', async () => {
        const now = new Date('2026-06-01T12:00:00Z');
        const later = new Date(now.getTime() + 3_600_000);
        await store.upsertApiKey('editor', 'key1');
        await store.createSession('tok1', 'editor', 'key1', later);
        expect(await store.findSession('tok1', now)).toMatchObject({ role: 'editor', keyHash: 'key1', name: 'editor (key file)' });
        expect(await store.findSession('tok-unknown', now)).toBeNull();
        // Expired: at and after expires_at.
        expect(await store.findSession('tok1', later)).toBeNull();
        expect(await store.findSession('tok1', new Date(later.getTime() + 1))).toBeNull();
        // Signed out.
        await store.deleteSession('tok1');
        expect(await store.findSession('tok1', now)).toBeNull();
      });

      it('ends sessions whose key was rotated', async () => {
        const now = new Date();
        const later = new Date(now.getTime() + 3_600_000);
        await store.upsertApiKey('admin', 'old');
        await store.createSession('tok', 'admin', 'old', later);
        expect(await store.findSession('tok', now)).not.toBeNull();
        await store.upsertApiKey('admin', 'new');
        expect(await store.findSession('tok', now)).toBeNull();
        // A session whose role has no key at all is not found either.
        await store.createSession('tok2', 'viewer', 'whatever', later);
        expect(await store.findSession('tok2', now)).toBeNull();
      });

    });

    describe('accountability (issue 11)', () => {
      const actor = { key_id: 'key_t', name: 'tester', role: 'admin' as const };
      const meta = (over: Partial<WriteMeta> = {}): WriteMeta => ({
        actor,
        client_ip: '127.0.0.1',
        recordVersion: true,
        keepDeleted: true,
        ...over,
      });
      const big = (n: number) => `{"n":${n},"pad":"${'x'.repeat(5000)}","big":750727362669608961}`;

      it('records a version and an event with each write, exactly, and reads any version back', async () => {
        const created = await store.create({ agent_id: 'a', context_json: big(0) }, meta());
        const id = created.context.id;
        for (let n = 1; n <= 60; n += 1) {
          const result = await store.update(id, { context_json: big(n) }, undefined, meta());
          expect(result.kind).toBe('updated');
        }
        // Deltas and periodic full versions decode to the exact text of every version.
        for (const n of [0, 1, 30, 49, 50, 51, 60]) {
          expect((await store.getVersion(id, n + 1))?.context_json).toBe(big(n));
        }
        const page = await store.listVersions(id, 5);
        expect(page?.data.map((v) => [v.version, v.action])).toEqual([[61, 'update'], [60, 'update'], [59, 'update'], [58, 'update'], [57, 'update']]);
        const events = await store.listEvents({ per_page: 100, context_id: id });
        expect(events.data).toHaveLength(61);
        expect(events.data[0]).toMatchObject({ action: 'context.updated', version: 61, actor });
      });

      it('a refused write records nothing; without meta (seeding) nothing is recorded', async () => {
        const id = (await store.create({ agent_id: 'a', context_json: '{}' })).context.id;
        expect(await store.listVersions(id, 10)).toEqual({ data: [], next_cursor: null });
        expect((await store.update(id, { context_json: '{"a":1}' }, 7, meta())).kind).toBe('precondition_failed');
        expect((await store.listEvents({ per_page: 10 })).data).toEqual([]);
      });

      it('restores a version (If-Match atomic), keeps deleted contexts, undeletes (404 twice, exists → refused)', async () => {
        const id = (await store.create({ agent_id: 'a', context_json: '{"v":1}', session_id: 's1' }, meta())).context.id;
        await store.update(id, { context_json: '{"v":2}', session_id: 's2' }, undefined, meta());
        expect((await store.restoreVersion(id, 1, meta(), 1)).kind).toBe('precondition_failed');
        expect((await store.restoreVersion(id, 9, meta(), 2)).kind).toBe('version_not_found');
        const restored = await store.restoreVersion(id, 1, meta(), 2);
        expect(restored.kind === 'restored' && [restored.stored.version, restored.stored.context.context_json, restored.stored.context.session_id]).toEqual([3, '{"v":1}', 's1']);

        expect((await store.delete(id, meta({ deleteJob: 'job_x' }))).kind).toBe('deleted');
        expect(await store.get(id)).toBeNull();
        const deleted = await store.listDeleted({ per_page: 10, delete_job: 'job_x' });
        expect(deleted.data.map((d) => [d.id, d.version, d.deleted_by.name])).toEqual([[id, 4, 'tester']]);
        const back = await store.undelete(id, meta());
        expect(back.kind === 'restored' && [back.stored.version, back.stored.context.context_json]).toEqual([5, '{"v":1}']);
        expect((await store.undelete(id, meta())).kind).toBe('not_found');
        await store.delete(id, meta());
        expect(await store.erase(id, actor, null)).toBe(true);
        expect(await store.listVersions(id, 10)).toBeNull();
        expect(await store.erase(id, actor, null)).toBe(false);
      });

      it('deletes without retention are final, versions included', async () => {
        const id = (await store.create({ agent_id: 'a', context_json: '{}' }, meta())).context.id;
        await store.delete(id, meta({ keepDeleted: false }));
        expect((await store.listDeleted({ per_page: 10 })).data).toEqual([]);
        expect(await store.listVersions(id, 10)).toBeNull();
        expect((await store.listEvents({ per_page: 10, action: ['context.deleted'] })).data[0]?.details).toEqual({ final: true });
      });

      it('prunes beyond the maximum and by age, rebasing the oldest kept version', async () => {
        const id = (await store.create({ agent_id: 'a', context_json: big(0) }, meta())).context.id;
        for (let n = 1; n <= 5; n += 1) await store.update(id, { context_json: big(n) }, undefined, meta());
        const now = Date.now();
        const report = await store.prune({ versionsBefore: now - 86_400_000, maxVersions: 2, deletedBefore: now - 86_400_000 }, new Date(now));
        expect(report.versions).toBe(4);
        expect((await store.listVersions(id, 10))?.data.map((v) => v.version)).toEqual([6, 5]);
        expect((await store.getVersion(id, 5))?.context_json).toBe(big(4));
        await store.prune({ versionsBefore: now + 1000, maxVersions: 2, deletedBefore: 0 }, new Date(now));
        expect((await store.listVersions(id, 10))?.data).toEqual([]);
      });

      it('keys: role keys with origin, named keys, revocation ends sessions, the last admin key stays', async () => {
        const admin = await store.syncRoleKey('admin', 'ha', 'env', new Date());
        expect(admin).toMatchObject({ role: 'admin', origin: 'env', name: 'admin (environment)', revokedAt: null });
        expect((await store.syncRoleKey('admin', 'ha', 'env', new Date())).id).toBe(admin.id);
        expect((await store.revokeKey(admin.id, { actor }, new Date())).kind).toBe('last_admin');
        const named = await store.createKey(
          { id: 'key_named', name: '__proto__', role: 'admin', origin: 'api', keyHash: 'hn', createdAt: Date.now(), lastUsedAt: null, createdBy: admin.id, revokedAt: null },
          { action: 'key.created', actor },
        );
        await store.createSession('tok', 'admin', 'ha', new Date(Date.now() + 60_000), admin.id);
        expect(await store.findSession('tok', new Date())).toMatchObject({ keyId: admin.id });
        expect((await store.revokeKey(admin.id, { actor }, new Date())).kind).toBe('revoked');
        expect(await store.findSession('tok', new Date())).toBeNull();
        expect((await store.activeKeys()).map((k) => k.name)).toEqual([named.name]);
        // A revoked role key stays revoked when it is synced again (a restart).
        expect((await store.syncRoleKey('admin', 'ha', 'env', new Date())).revokedAt).not.toBeNull();
        expect((await store.revokeKey(named.id, { actor }, new Date())).kind).toBe('last_admin');
        expect(({} as Record<string, unknown>).isAdmin).toBeUndefined();
      });
    });

  });
}
