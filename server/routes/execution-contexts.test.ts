/**
 * The execution-context endpoints over real HTTP: every success path of the contract, the
 * documented extensions (ETag/If-Match, POST status, PATCH semantics) and their errors.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { CONTEXTS, api, apiView, contextPath, createContexts, storeSnapshot, startTestServer, type ApiClient, type TestServer } from '../testing';

let server: TestServer;
let editor: ApiClient;
let admin: ApiClient;
let viewer: ApiClient;

beforeAll(async () => {
  server = await startTestServer();
  editor = api(server.url, server.keys.editor);
  admin = api(server.url, server.keys.admin);
  viewer = api(server.url, server.keys.viewer);
});
afterAll(() => server.close());

const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

describe('POST /api/ai/execution-contexts', () => {
  it('creates a context: 201, the resource, ETag "v1" and Location', async () => {
    const response = await editor.post(CONTEXTS, {
      agent_id: 'agent_123',
      workflow_id: 'wf_onboarding',
      session_id: 'session_456',
      context: { current_step: 'processing', progress: 75 },
    });
    expect(response.status).toBe(201);
    expect(response.headers.get('etag')).toBe('"v1"');
    const created = response.body;
    expect(created).toEqual({
      id: expect.stringMatching(/^ctx_/),
      agent_id: 'agent_123',
      workflow_id: 'wf_onboarding',
      session_id: 'session_456',
      context: { current_step: 'processing', progress: 75 },
      status: 'idle',
      created_at: expect.stringMatching(ISO),
      updated_at: expect.stringMatching(ISO),
    });
    expect(response.headers.get('location')).toBe(contextPath(created.id));
    expect(apiView((await server.store.get(created.id))?.context)).toEqual(created);
  });

  it('needs only agent_id (null allowed); the rest default to null and idle', async () => {
    for (const agent_id of ['agent_min', null]) {
      const response = await editor.post(CONTEXTS, { agent_id });
      expect(response.status).toBe(201);
      expect(response.body).toMatchObject({ agent_id, workflow_id: null, session_id: null, context: null, status: 'idle' });
    }
  });

  it('accepts the status extension', async () => {
    const response = await editor.post(CONTEXTS, { agent_id: 'a', status: 'running' });
    expect(response.status).toBe(201);
    expect(response.body.status).toBe('running');
  });

  it('keeps unicode, nesting and large numbers in context exactly', async () => {
    const context = { text: 'Grüße 👋 \u2028', nested: { list: [1, 'two', null, { deep: true }] }, big: 12345678901234 };
    const response = await editor.post(CONTEXTS, { agent_id: 'a', context });
    expect(response.status).toBe(201);
    const fetched = await viewer.get(contextPath(response.body.id));
    expect(fetched.body.context).toEqual(context);
  });
});

describe('GET /api/ai/execution-contexts/{id}', () => {
  it('answers 200 with the context and its ETag', async () => {
    const [created] = await createContexts(editor, 1);
    const response = await viewer.get(contextPath(created!.id));
    expect(response.status).toBe(200);
    expect(response.body).toEqual(created);
    expect(response.headers.get('etag')).toBe('"v1"');
    expect(response.headers.get('content-type')).toMatch(/^application\/json/);
    expect(response.headers.get('cache-control')).toBe('no-store');
  });

  it('answers 404 not_found for an id that does not exist, any length', async () => {
    for (const id of ['ctx_does_not_exist', 'x', 'a'.repeat(200), 'a'.repeat(201), 'a'.repeat(5000), 'ü/..%2F']) {
      const response = await viewer.get(contextPath(id));
      expect(response.status, id.slice(0, 20)).toBe(404);
      expect(response.body.error.code).toBe('not_found');
      expect(response.body.error.message.length).toBeLessThan(200);
    }
  });
});

describe('PATCH /api/ai/execution-contexts/{id}', () => {
  let id: string;
  beforeEach(async () => {
    const response = await editor.post(CONTEXTS, {
      agent_id: 'agent_patch',
      workflow_id: 'wf_patch',
      session_id: 'session_before',
      context: { a: 1, nested: { b: 2 } },
    });
    id = response.body.id;
  });

  it('replaces context as a whole and keeps a left-out session_id; bumps ETag', async () => {
    const response = await editor.patch(contextPath(id), { context: { nested: { c: 3 } } });
    expect(response.status).toBe(200);
    expect(response.body.context).toEqual({ nested: { c: 3 } });
    expect(response.body.session_id).toBe('session_before');
    expect(response.body.agent_id).toBe('agent_patch');
    expect(response.headers.get('etag')).toBe('"v2"');
    expect(await server.store.get(id)).toMatchObject({ version: 2, context: { context_json: '{"nested":{"c":3}}' } });
  });

  it('updates session_id and keeps a left-out context', async () => {
    const response = await editor.patch(contextPath(id), { session_id: 'session_after' });
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ session_id: 'session_after', context: { a: 1, nested: { b: 2 } } });
  });

  it('clears with null', async () => {
    const response = await editor.patch(contextPath(id), { context: null, session_id: null });
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ context: null, session_id: null });
    expect((await viewer.get(contextPath(id))).body).toMatchObject({ context: null, session_id: null });
  });

  it('moves updated_at forward and never created_at', async () => {
    const before = (await server.store.get(id))!.context;
    await new Promise((r) => setTimeout(r, 5));
    const response = await editor.patch(contextPath(id), { context: {} });
    expect(response.body.created_at).toBe(before.created_at);
    expect(response.body.updated_at > before.updated_at).toBe(true);
  });

  it('{} changes nothing: 200, same body, version kept', async () => {
    const before = await storeSnapshot(server.store);
    const response = await editor.patch(contextPath(id), {});
    expect(response.status).toBe(200);
    expect(response.headers.get('etag')).toBe('"v1"');
    expect(response.body).toEqual(apiView((await server.store.get(id))!.context));
    expect(await storeSnapshot(server.store)).toEqual(before);
  });

  it('refuses any other field with 400 invalid_body naming it, and changes nothing', async () => {
    for (const body of [
      { status: 'completed' },
      { agent_id: 'other' },
      { workflow_id: 'other' },
      { id: 'ctx_other' },
      { created_at: '2020-01-01T00:00:00.000Z' },
      { context: {}, extra: 1 },
    ]) {
      const before = await storeSnapshot(server.store);
      const response = await editor.patch(contextPath(id), body);
      expect(response.status, JSON.stringify(body)).toBe(400); // fidelity-ok: a failure label
      expect(response.body.error.code).toBe('invalid_body');
      const field = Object.keys(body).find((k) => k !== 'context');
      expect(response.body.error.details.fields).toContain(field);
      expect(await storeSnapshot(server.store)).toEqual(before);
    }
  });

  it('answers 404 for an unknown id (with and without If-Match)', async () => {
    for (const headers of [{}, { 'if-match': '"v1"' }, { 'if-match': '*' }] as Array<Record<string, string>>) {
      const response = await editor.patch(contextPath('ctx_missing'), { context: {} }, { headers });
      expect(response.status).toBe(404);
      expect(response.body.error.code).toBe('not_found');
    }
  });

  describe('If-Match', () => {
    it('matching ETag: 200 and the ETag moves on', async () => {
      const first = await editor.patch(contextPath(id), { context: { n: 1 } }, { headers: { 'if-match': '"v1"' } });
      expect(first.status).toBe(200);
      expect(first.headers.get('etag')).toBe('"v2"');
      const second = await editor.patch(contextPath(id), { context: { n: 2 } }, { headers: { 'if-match': '"v2"' } });
      expect(second.status).toBe(200);
      expect(second.headers.get('etag')).toBe('"v3"');
    });

    it('stale ETag: 412 precondition_failed with the current ETag, nothing changes', async () => {
      await editor.patch(contextPath(id), { context: { someone: 'else' } });
      const before = await storeSnapshot(server.store);
      const response = await editor.patch(contextPath(id), { context: { mine: true } }, { headers: { 'if-match': '"v1"' } });
      expect(response.status).toBe(412);
      expect(response.body.error.code).toBe('precondition_failed');
      expect(response.headers.get('etag')).toBe('"v2"');
      expect(response.body.error.details.current_etag).toBe('"v2"');
      expect(await storeSnapshot(server.store)).toEqual(before);
    });

    it('malformed or weak ETags never match: 412', async () => {
      for (const ifMatch of ['v1', '"1"', 'W/"v1"', '"v0"', '"vx"', '', '"v1', 'garbage']) {
        const before = await storeSnapshot(server.store);
        const response = await editor.patch(contextPath(id), { context: { x: 1 } }, { headers: { 'if-match': ifMatch } });
        expect(response.status, ifMatch).toBe(412);
        expect(response.headers.get('etag')).toBe('"v1"');
        expect(await storeSnapshot(server.store)).toEqual(before);
      }
    });

    it('"*" matches any existing context; a list matches when it holds the current ETag', async () => {
      expect((await editor.patch(contextPath(id), { context: { s: 1 } }, { headers: { 'if-match': '*' } })).status).toBe(200);
      const listed = await editor.patch(contextPath(id), { context: { s: 2 } }, { headers: { 'if-match': '"v9", "v2"' } });
      expect(listed.status).toBe(200);
      expect(listed.headers.get('etag')).toBe('"v3"');
    });

    it('applies to {} as well: stale → 412, current → 200 unchanged', async () => {
      await editor.patch(contextPath(id), { context: { moved: true } });
      expect((await editor.patch(contextPath(id), {}, { headers: { 'if-match': '"v1"' } })).status).toBe(412);
      const ok = await editor.patch(contextPath(id), {}, { headers: { 'if-match': '"v2"' } });
      expect(ok.status).toBe(200);
      expect(ok.headers.get('etag')).toBe('"v2"');
    });

    it('of two writers holding the same ETag, exactly one wins', async () => {
      const results = await Promise.all(
        [1, 2, 3, 4].map((n) => editor.patch(contextPath(id), { context: { writer: n } }, { headers: { 'if-match': '"v1"' } })),
      );
      expect(results.map((r) => r.status).sort()).toEqual([200, 412, 412, 412]);
      expect((await server.store.get(id))?.version).toBe(2);
    });
  });
});

describe('DELETE /api/ai/execution-contexts/{id}', () => {
  it('deletes: 204 with no body, then 404', async () => {
    const [created] = await createContexts(editor, 1);
    const response = await admin.delete(contextPath(created!.id));
    expect(response.status).toBe(204);
    expect(response.text).toBe('');
    expect(await server.store.get(created!.id)).toBeNull();
    expect((await viewer.get(contextPath(created!.id))).status).toBe(404);
    const again = await admin.delete(contextPath(created!.id));
    expect(again.status).toBe(404);
    expect(again.body.error.code).toBe('not_found');
  });

  it.each(['running', 'waiting_for_input'] as const)('refuses a %s context: 409 in_use, kept', async (status) => {
    const created = (await editor.post(CONTEXTS, { agent_id: 'busy', status })).body;
    const before = await storeSnapshot(server.store);
    const response = await admin.delete(contextPath(created.id));
    expect(response.status).toBe(409);
    expect(response.body.error).toMatchObject({ code: 'in_use', details: { status } });
    expect(await storeSnapshot(server.store)).toEqual(before);
  });

  it.each(['idle', 'interrupted', 'completed', 'failed'] as const)('deletes a %s context', async (status) => {
    const created = (await editor.post(CONTEXTS, { agent_id: 'done', status })).body;
    expect((await admin.delete(contextPath(created.id))).status).toBe(204);
  });

  it('answers 404 for an id that never existed, however long', async () => {
    for (const id of ['ctx_nope', 'z'.repeat(300)]) {
      const response = await admin.delete(contextPath(id));
      expect(response.status).toBe(404);
      expect(response.body.error.code).toBe('not_found');
    }
  });
});

describe('GET /api/ai/execution-contexts (basics)', () => {
  it('answers { data, has_more, next_cursor } with full contexts', async () => {
    const response = await viewer.get(CONTEXTS, { query: { per_page: 2 } });
    expect(response.status).toBe(200);
    expect(Object.keys(response.body).sort()).toEqual(['data', 'has_more', 'next_cursor']);
    expect(response.body.data[0]).toHaveProperty('context');
  });
});
