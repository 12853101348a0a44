/**
 * Listing over HTTP: defaults and bounds of page/per_page, exact has_more, ordering, the
 * filters and the summary view, and the cursor's promise that rows are neither repeated
 * nor skipped while others create and delete contexts.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { PER_PAGE_MAX } from '../../contract/constants';
import { summaryFields } from '../../contract/summary';
import {
  CONTEXTS,
  api,
  contextPath,
  insertContexts,
  storeSnapshot,
  startTestServer,
  type ApiClient,
  type ExecutionContext,
  type TestServer,
} from '../testing';

/** The summary row of a context read over HTTP (its small test contexts JSON.stringify exactly). */
const toSummary = ({ context, ...rest }: ExecutionContext) => ({
  ...rest,
  ...summaryFields(context === null ? null : JSON.stringify(context)),
});

let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function withRows(n: number): Promise<{ client: ApiClient; idsNewestFirst: string[]; server: TestServer }> {
  server = await startTestServer();
  const ids = await insertContexts(server.store, n);
  return { client: api(server.url, server.keys.viewer), idsNewestFirst: [...ids].reverse(), server };
}

const ids = (data: Array<{ id: string }>) => data.map((c) => c.id);

describe('page and per_page', () => {
  it('defaults to page 1 of 20, newest first', async () => {
    const { client, idsNewestFirst } = await withRows(25);
    const response = await client.get(CONTEXTS);
    expect(response.status).toBe(200);
    expect(ids(response.body.data)).toEqual(idsNewestFirst.slice(0, 20));
    expect(response.body.has_more).toBe(true);
    const second = await client.get(CONTEXTS, { query: { page: 2 } });
    expect(ids(second.body.data)).toEqual(idsNewestFirst.slice(20));
    expect(second.body.has_more).toBe(false);
    expect(second.body.next_cursor).toBeNull();
  });

  it('per_page goes up to 100; 101 is a 400', async () => {
    const { client } = await withRows(150);
    const full = await client.get(CONTEXTS, { query: { per_page: PER_PAGE_MAX } });
    expect(full.body.data).toHaveLength(100);
    expect(full.body.has_more).toBe(true);
    const tooMany = await client.get(CONTEXTS, { query: { per_page: PER_PAGE_MAX + 1 } });
    expect(tooMany.status).toBe(400);
    expect(tooMany.body.error.code).toBe('invalid_query');
  });

  it('has_more is exact on page boundaries', async () => {
    const { client } = await withRows(40);
    const cases: Array<[number, number, number, boolean]> = [
      // per_page, page, rows, has_more
      [20, 1, 20, true],
      [20, 2, 20, false],
      [40, 1, 40, false],
      [39, 1, 39, true],
      [39, 2, 1, false],
      [41, 1, 40, false],
      [1, 40, 1, false],
      [1, 39, 1, true],
    ];
    for (const [per_page, page, rows, hasMore] of cases) {
      const response = await client.get(CONTEXTS, { query: { per_page, page } });
      expect(response.body.data, `${per_page}/${page}`).toHaveLength(rows);
      expect(response.body.has_more, `${per_page}/${page}`).toBe(hasMore);
      expect(response.body.next_cursor === null, `${per_page}/${page}`).toBe(!hasMore);
    }
  });

  it('a page beyond the end is empty, not an error', async () => {
    const { client } = await withRows(5);
    for (const page of [2, 3, 100_000]) {
      const response = await client.get(CONTEXTS, { query: { page } });
      expect(response.status).toBe(200);
      expect(response.body).toEqual({ data: [], has_more: false, next_cursor: null });
    }
  });

  it('an empty store answers an empty first page', async () => {
    const { client } = await withRows(0);
    expect((await client.get(CONTEXTS)).body).toEqual({ data: [], has_more: false, next_cursor: null });
  });

  it('pages together hold every row exactly once, in order', async () => {
    const { client, idsNewestFirst } = await withRows(95);
    const seen: string[] = [];
    for (let page = 1; ; page++) {
      const response = await client.get(CONTEXTS, { query: { per_page: 10, page } });
      seen.push(...ids(response.body.data));
      if (!response.body.has_more) break;
    }
    expect(seen).toEqual(idsNewestFirst);
  });
});

describe('ordering', () => {
  it('created_at desc, then id desc for equal timestamps', async () => {
    server = await startTestServer();
    const sameTime = new Date('2026-01-01T00:00:00.000Z');
    await server.store.insertMany(
      Array.from({ length: 12 }, (_, i) => ({ agent_id: `same_${i}`, created_at: sameTime, updated_at: sameTime })),
    );
    await server.store.insertMany([{ agent_id: 'older', created_at: new Date('2025-01-01T00:00:00Z') }]);
    const response = await api(server.url, server.keys.viewer).get(CONTEXTS, { query: { per_page: 100 } });
    const data: ExecutionContext[] = response.body.data;
    expect(data.at(-1)?.agent_id).toBe('older');
    const tied = data.slice(0, 12).map((c) => c.id);
    expect(tied).toEqual([...tied].sort().reverse());

    // The cursor walks ties correctly as well.
    const client = api(server.url, server.keys.viewer);
    const walked: string[] = [];
    let after: string | undefined;
    do {
      const page = await client.get(CONTEXTS, { query: { per_page: 5, after } });
      walked.push(...ids(page.body.data));
      after = page.body.next_cursor ?? undefined;
    } while (after);
    expect(walked).toEqual(data.map((c) => c.id));
  });

  it('a newly created context comes first', async () => {
    const { client } = await withRows(3);
    const created = await api(server!.url, server!.keys.editor).post(CONTEXTS, { agent_id: 'newest' });
    expect((await client.get(CONTEXTS)).body.data[0].id).toBe(created.body.id);
  });
});

describe('cursor', () => {
  it('walks the same rows as the pages and ends with next_cursor null', async () => {
    const { client, idsNewestFirst } = await withRows(57);
    const walked: string[] = [];
    let after: string | undefined;
    let pages = 0;
    do {
      const response = await client.get(CONTEXTS, { query: { per_page: 10, after } });
      expect(response.status).toBe(200);
      walked.push(...ids(response.body.data));
      expect(response.body.has_more).toBe(response.body.next_cursor !== null);
      after = response.body.next_cursor ?? undefined;
      pages++;
    } while (after);
    expect(pages).toBe(6);
    expect(walked).toEqual(idsNewestFirst);
  });

  it('accepts page=1 together with after', async () => {
    const { client, idsNewestFirst } = await withRows(10);
    const first = await client.get(CONTEXTS, { query: { per_page: 4 } });
    const second = await client.get(CONTEXTS, { query: { per_page: 4, page: 1, after: first.body.next_cursor } });
    expect(ids(second.body.data)).toEqual(idsNewestFirst.slice(4, 8));
  });

  it('neither repeats nor skips rows while others create and delete contexts', async () => {
    const { client, idsNewestFirst, server: running } = await withRows(120);
    const admin = api(running.url, running.keys.admin);
    const deleted = new Set<string>();
    const seen: string[] = [];
    let after: string | undefined;
    let round = 0;
    do {
      const page = await client.get(CONTEXTS, { query: { per_page: 10, after } });
      expect(page.status).toBe(200);
      seen.push(...ids(page.body.data));
      after = page.body.next_cursor ?? undefined;

      // Between pages: new contexts arrive (newest first, so before the cursor) …
      await Promise.all([0, 1, 2].map((i) => admin.post(CONTEXTS, { agent_id: `during_${round}_${i}` })));
      // … and some old ones go: one already seen, two not yet reached.
      const victims = [seen[seen.length - 3], ...idsNewestFirst.slice(seen.length + 5 + round, seen.length + 7 + round)];
      for (const id of victims) {
        if (!id || deleted.has(id)) continue;
        expect((await admin.delete(contextPath(id))).status).toBe(204);
        deleted.add(id);
      }
      round++;
    } while (after);

    expect(new Set(seen).size).toBe(seen.length);
    // Every original row not deleted before the walk reached it was seen, in order.
    const expected = idsNewestFirst.filter((id) => seen.includes(id) || !deleted.has(id));
    expect(seen).toEqual(expected);
    // No row created during the walk leaked in (they are all newer than the first page).
    expect(seen.every((id) => idsNewestFirst.includes(id))).toBe(true);
  });

  it('an after that is not our cursor → 400 invalid_query, data unchanged', async () => {
    const { client, server: running } = await withRows(3);
    const before = await storeSnapshot(running.store);
    const response = await client.get(CONTEXTS, { query: { after: 'not-a-cursor' } });
    expect(response.status).toBe(400);
    expect(response.body.error.code).toBe('invalid_query');
    expect(await storeSnapshot(running.store)).toEqual(before);
  });
});

describe('filters', () => {
  async function filteredServer() {
    server = await startTestServer();
    const statuses = ['idle', 'running', 'failed', 'completed'] as const;
    const base = Date.parse('2026-06-01T00:00:00.000Z');
    await server.store.insertMany(
      Array.from({ length: 24 }, (_, i) => ({
        agent_id: `agent_${i % 3}`,
        workflow_id: `wf_${i % 2}`,
        status: statuses[i % 4],
        context_json: `{"i":${i}}`,
        created_at: new Date(base + i * 60_000),
        updated_at: new Date(base + i * 60_000 + 1000),
      })),
    );
    return { client: api(server.url, server.keys.viewer), all: (await storeSnapshot(server.store)).map((r) => r.context) };
  }

  it('agent_id and workflow_id (alone and together)', async () => {
    const { client, all } = await filteredServer();
    const byAgent = await client.get(CONTEXTS, { query: { agent_id: 'agent_1', per_page: 100 } });
    expect(ids(byAgent.body.data)).toEqual(ids(all.filter((c) => c.agent_id === 'agent_1')));
    const both = await client.get(CONTEXTS, { query: { agent_id: 'agent_1', workflow_id: 'wf_0', per_page: 100 } });
    expect(ids(both.body.data)).toEqual(ids(all.filter((c) => c.agent_id === 'agent_1' && c.workflow_id === 'wf_0')));
    const none = await client.get(CONTEXTS, { query: { agent_id: 'agent_unknown' } });
    expect(none.body).toEqual({ data: [], has_more: false, next_cursor: null });
  });

  it('status: one, a comma list, or repeated', async () => {
    const { client, all } = await filteredServer();
    const failed = await client.get(CONTEXTS, { query: { status: 'failed', per_page: 100 } });
    expect(ids(failed.body.data)).toEqual(ids(all.filter((c) => c.status === 'failed')));
    const expected = ids(all.filter((c) => c.status === 'failed' || c.status === 'running'));
    const comma = await client.get(CONTEXTS, { query: { status: 'failed,running', per_page: 100 } });
    expect(ids(comma.body.data)).toEqual(expected);
    const repeated = await client.get(CONTEXTS, { query: { status: ['failed', 'running'], per_page: 100 } });
    expect(ids(repeated.body.data)).toEqual(expected);
  });

  it('updated_before (RFC 3339, with Z or an offset), with paging', async () => {
    const { client, all } = await filteredServer();
    const cutoff = '2026-06-01T00:10:00.000Z';
    const expected = ids(all.filter((c) => c.updated_at < cutoff));
    expect(expected.length).toBe(10);
    const response = await client.get(CONTEXTS, { query: { updated_before: cutoff, per_page: 4 } });
    expect(ids(response.body.data)).toEqual(expected.slice(0, 4));
    expect(response.body.has_more).toBe(true);
    const offset = await client.get(CONTEXTS, { query: { updated_before: '2026-06-01T02:10:00+02:00', per_page: 100 } });
    expect(ids(offset.body.data)).toEqual(expected);
  });

  it('filters combine with the cursor', async () => {
    const { client, all } = await filteredServer();
    const expected = ids(all.filter((c) => c.workflow_id === 'wf_1' && (c.status === 'running' || c.status === 'completed')));
    const walked: string[] = [];
    let after: string | undefined;
    do {
      const page = await client.get(CONTEXTS, { query: { workflow_id: 'wf_1', status: 'running,completed', per_page: 2, after } });
      walked.push(...ids(page.body.data));
      after = page.body.next_cursor ?? undefined;
    } while (after);
    expect(walked).toEqual(expected);
  });
});

describe('view=summary', () => {
  it('replaces context by context_preview and context_size, matching toSummary', async () => {
    server = await startTestServer();
    const editor = api(server.url, server.keys.editor);
    const big = { text: 'é'.repeat(400), list: Array.from({ length: 50 }, (_, i) => i) };
    for (const context of [null, {}, { a: 1 }, big]) await editor.post(CONTEXTS, { agent_id: 'summary', context });
    const full = await editor.get(CONTEXTS, { query: { per_page: 10 } });
    const summary = await editor.get(CONTEXTS, { query: { per_page: 10, view: 'summary' } });
    expect(summary.status).toBe(200);
    expect(summary.body.data).toEqual(full.body.data.map(toSummary));
    expect(summary.body.data[0]).not.toHaveProperty('context');
    expect(summary.body.data[0].context_preview).toHaveLength(300);
  });

  it('view=full is the default shape', async () => {
    const { client } = await withRows(2);
    const response = await client.get(CONTEXTS, { query: { view: 'full' } });
    expect(response.body.data[0]).toHaveProperty('context');
  });
});
