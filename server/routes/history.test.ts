/**
 * Version history, recently deleted and the activity log (issue 11) over HTTP, on the
 * configured store: versions of every write with their actor, exact text of each version,
 * restore with If-Match (412/404), the delete safety net (restore 201/404/409, erase),
 * retention and pruning, role rules, and events written with their change only.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { pruneOnce } from '../history/pruner';
import { DAY_MS, type HistorySettings } from '../history/settings';
import {
  CONTEXTS,
  api,
  breakAuditTable,
  contextPath,
  insertLiveContextWithId,
  startTestServer,
  type TestServer,
  type TestServerOptions,
} from '../testing';

const DELETED = '/api/ai/deleted-execution-contexts';
const DEFAULTS: HistorySettings = { historyDays: 30, maxVersions: 200, deletedDays: 7, pruneIntervalMs: 600_000 };

const servers: TestServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
});
async function start(history: Partial<HistorySettings> = {}, options: TestServerOptions = {}) {
  const server = await startTestServer({ history: { ...DEFAULTS, ...history }, ...options });
  servers.push(server);
  const admin = api(server.url, server.keys.admin);
  // A named editor, so that versions carry a person's name.
  const created = await admin.post('/api/keys', { name: 'alice', role: 'editor' });
  const alice = api(server.url, created.body.key as string);
  return { server, admin, alice, aliceId: created.body.id as string, viewer: api(server.url, server.keys.viewer) };
}

/** Raw bodies with numbers and order a JSON.parse round trip would change. */
const EXACT = [
  '{"creatorID":750727362669608961,"one":1.0,"exp":1E2,"z":1,"a":2,"__proto__":{"isAdmin":true}}',
  '{"creatorID":750727362669608962,"one":1.0,"exp":1E2,"z":1,"a":2,"__proto__":{"isAdmin":true}}',
];

const raw = (context: string) => ({ rawBody: `{"agent_id":"exact","context":${context}}`, headers: { 'content-type': 'application/json' } });

describe('versions', () => {
  it('records every write with its actor, newest first, with cursor paging', async () => {
    const { alice, admin, viewer, aliceId } = await start();
    const created = await alice.post(CONTEXTS, { agent_id: 'a', context: { step: 1 } });
    const id = created.body.id as string;
    expect((await alice.patch(contextPath(id), { context: { step: 2 } })).status).toBe(200);
    expect((await admin.patch(contextPath(id), { session_id: 's-3' })).status).toBe(200);

    const page1 = await viewer.get(`${contextPath(id)}/versions`, { query: { per_page: 2 } });
    expect(page1.status).toBe(200);
    expect(page1.body.data.map((v: { version: number; action: string; actor: { name: string } }) => [v.version, v.action, v.actor.name])).toEqual([
      [3, 'update', 'admin (environment)'],
      [2, 'update', 'alice'],
    ]);
    expect(page1.body.data[1]).toEqual({
      version: 2,
      action: 'update',
      at: expect.any(String),
      actor: { key_id: aliceId, name: 'alice', role: 'editor' },
      context_size: Buffer.byteLength('{"step":2}'),
    });
    expect(page1.body.has_more).toBe(true);
    const page2 = await viewer.get(`${contextPath(id)}/versions`, { query: { per_page: 2, after: page1.body.next_cursor } });
    expect(page2.body).toMatchObject({ data: [{ version: 1, action: 'create' }], has_more: false, next_cursor: null });
    expect((await viewer.get(`${contextPath(id)}/versions`, { query: { after: 'bogus!' } })).status).toBe(400);
    expect((await viewer.get(`${contextPath('ctx_none')}/versions`)).status).toBe(404);
  });

  it('returns each version exactly as it was written (raw text)', async () => {
    const { alice } = await start();
    const created = await alice.request('POST', CONTEXTS, raw(EXACT[0] as string));
    const id = created.body.id as string;
    await alice.request('PATCH', contextPath(id), { rawBody: `{"context":${EXACT[1]}}`, headers: { 'content-type': 'application/json' } });
    for (const [index, text] of EXACT.entries()) {
      const version = await alice.get(`${contextPath(id)}/versions/${index + 1}`);
      expect(version.status).toBe(200);
      expect(version.text.endsWith(`,"context":${text}}`)).toBe(true);
      expect(version.body).toMatchObject({ version: index + 1, context_id: id, session_id: null });
    }
    expect(({} as Record<string, unknown>).isAdmin).toBeUndefined();
    expect((await alice.get(`${contextPath(id)}/versions/9`)).status).toBe(404);
    for (const bad of ['abc', '-1', '1.0']) {
      const impossible = await alice.get(`${contextPath(id)}/versions/${bad}`);
      expect(impossible.status).toBe(404);
      expect(impossible.body.error.message).toBe('version not found');
    }
  });

  it('restores a version as a new version (editor, If-Match), exactly', async () => {
    const { alice, viewer } = await start();
    const created = await alice.request('POST', CONTEXTS, raw(EXACT[0] as string));
    const id = created.body.id as string;
    await alice.request('PATCH', contextPath(id), { rawBody: `{"context":${EXACT[1]},"session_id":"later"}`, headers: { 'content-type': 'application/json' } });

    expect((await viewer.post(`${contextPath(id)}/versions/1/restore`, undefined, { headers: { 'if-match': '"v2"' } })).status).toBe(403);
    const stale = await alice.post(`${contextPath(id)}/versions/1/restore`, undefined, { headers: { 'if-match': '"v1"' } });
    expect(stale.status).toBe(412);
    expect(stale.headers.get('etag')).toBe('"v2"');
    expect(stale.body.error.details).toEqual({ current_etag: '"v2"' });
    expect((await alice.post(`${contextPath(id)}/versions/7/restore`, undefined, { headers: { 'if-match': '"v2"' } })).status).toBe(404);
    expect((await alice.post(`${contextPath('ctx_none')}/versions/1/restore`)).status).toBe(404);

    const restored = await alice.post(`${contextPath(id)}/versions/1/restore`, undefined, { headers: { 'if-match': '"v2"' } });
    expect(restored.status).toBe(200);
    expect(restored.headers.get('etag')).toBe('"v3"');
    expect(restored.text).toContain(`"session_id":null,"context":${EXACT[0]},`);
    const current = await alice.get(contextPath(id));
    expect(current.text).toContain(`"context":${EXACT[0]},`);
    const versions = await alice.get(`${contextPath(id)}/versions`);
    expect(versions.body.data[0]).toMatchObject({ version: 3, action: 'restore', actor: { name: 'alice' } });
  });
});

describe('recently deleted', () => {
  it('keeps a deleted context restorable for admins: 404 for the API, 201 on restore with the same id and text', async () => {
    const { admin, alice, viewer } = await start();
    const created = await alice.request('POST', CONTEXTS, raw(EXACT[0] as string));
    const id = created.body.id as string;
    expect((await admin.delete(contextPath(id), { headers: { 'x-delete-job': 'job_1' } })).status).toBe(204);
    expect((await admin.get(contextPath(id))).status).toBe(404);

    expect((await alice.get(DELETED)).status).toBe(403);
    expect((await viewer.post(`${DELETED}/${id}/restore`)).status).toBe(403);
    const listed = await admin.get(DELETED);
    expect(listed.body.data).toEqual([
      expect.objectContaining({ id, agent_id: 'exact', delete_job: 'job_1', deleted_by: expect.objectContaining({ name: 'admin (environment)' }) }),
    ]);
    const restorableUntil = Date.parse(listed.body.data[0].restorable_until) - Date.parse(listed.body.data[0].deleted_at);
    expect(restorableUntil).toBe(7 * DAY_MS);
    for (const query of [{ agent_id: 'other' }, { delete_job: 'job_2' }, { deleted_by: 'key_x' }, { deleted_since: new Date(Date.now() + 60_000).toISOString() }]) {
      expect((await admin.get(DELETED, { query })).body.data).toEqual([]);
    }
    // A job id no delete can carry (X-Delete-Job's rule) is a mistake, not an empty list.
    const badJob = await admin.get(DELETED, { query: { delete_job: 'bad job' } });
    expect(badJob.status).toBe(400);
    expect(badJob.body.error.code).toBe('invalid_query');
    expect(JSON.stringify(badJob.body.error)).toContain('delete_job'); // fidelity-ok: an error body

    const restored = await admin.post(`${DELETED}/${id}/restore`);
    expect(restored.status).toBe(201);
    expect(restored.headers.get('location')).toBe(contextPath(id));
    expect(restored.headers.get('etag')).toBe('"v3"');
    expect(restored.text).toContain(`"id":"${id}"`);
    expect((await admin.get(contextPath(id))).text).toContain(`"context":${EXACT[0]},`);
    expect((await admin.post(`${DELETED}/${id}/restore`)).status).toBe(404);
    const versions = await admin.get(`${contextPath(id)}/versions`);
    expect(versions.body.data.map((v: { action: string }) => v.action)).toEqual(['restore', 'delete', 'create']);
  });

  it('409 when the id exists again; erase removes the context and its versions, and the log keeps only that it happened', async () => {
    const { admin, server } = await start();
    const first = await admin.post(CONTEXTS, { agent_id: 'a', context: { secret: 'do-not-log-me' } });
    const id = first.body.id as string;
    await admin.delete(contextPath(id));
    await insertLiveContextWithId(server.store, id);
    const conflict = await admin.post(`${DELETED}/${id}/restore`);
    expect(conflict.status).toBe(409);
    expect(conflict.body.error.code).toBe('conflict');

    expect((await admin.delete(`${DELETED}/${id}`)).status).toBe(204);
    expect((await admin.delete(`${DELETED}/${id}`)).status).toBe(404);
    expect((await admin.post(`${DELETED}/${id}/restore`)).status).toBe(404);
    const events = await admin.get('/api/audit-events', { query: { context_id: id } });
    expect(events.body.data.map((e: { action: string }) => e.action)).toEqual(['context.erased', 'context.deleted', 'context.created']);
    expect(events.text).not.toContain('do-not-log-me');
  });

  it('with DELETED_RETENTION_DAYS=0 deletes are final (versions too)', async () => {
    const { admin } = await start({ deletedDays: 0 });
    const id = (await admin.post(CONTEXTS, { agent_id: 'a', context: {} })).body.id as string;
    expect((await admin.delete(contextPath(id))).status).toBe(204);
    expect((await admin.get(DELETED)).body.data).toEqual([]);
    expect((await admin.post(`${DELETED}/${id}/restore`)).status).toBe(404);
    expect((await admin.get(`${contextPath(id)}/versions`)).status).toBe(404);
    const session = await admin.get('/api/session');
    expect(session.body.retention).toEqual({ deleted_days: 0, history_days: 30 });
  });
});

describe('retention and pruning', () => {
  it('HISTORY_RETENTION_DAYS=0 records no versions; deletes stay restorable', async () => {
    const { admin } = await start({ historyDays: 0 });
    const id = (await admin.post(CONTEXTS, { agent_id: 'a', context: { v: 1 } })).body.id as string;
    await admin.patch(contextPath(id), { context: { v: 2 } });
    expect((await admin.get(`${contextPath(id)}/versions`)).body.data).toEqual([]);
    await admin.delete(contextPath(id));
    expect((await admin.post(`${DELETED}/${id}/restore`)).status).toBe(201);
    expect((await admin.get(contextPath(id))).body.context).toEqual({ v: 2 });
  });

  it('prunes beyond HISTORY_MAX_VERSIONS and by age, keeping the oldest kept version whole', async () => {
    const { admin, server } = await start({ maxVersions: 3 });
    const id = (await admin.post(CONTEXTS, { agent_id: 'a', context: { v: 0, pad: 'p'.repeat(2000) } })).body.id as string;
    for (let v = 1; v <= 5; v += 1) await admin.patch(contextPath(id), { context: { v, pad: 'p'.repeat(2000) } });
    // Pruning runs in the background, never on a request: nothing is gone yet.
    expect((await admin.get(`${contextPath(id)}/versions`)).body.data).toHaveLength(6);
    const settings = { ...DEFAULTS, maxVersions: 3 };
    const report = await pruneOnce(server.store, settings);
    expect(report.versions).toBe(3);
    const versions = await admin.get(`${contextPath(id)}/versions`);
    expect(versions.body.data.map((v: { version: number }) => v.version)).toEqual([6, 5, 4]);
    // Version 4 was stored as a change against 3; it is still whole.
    expect((await admin.get(`${contextPath(id)}/versions/4`)).body.context).toEqual({ v: 3, pad: 'p'.repeat(2000) });
    expect((await admin.get(`${contextPath(id)}/versions/3`)).status).toBe(404);

    // By age: 31 days later every version is older than the retention.
    await pruneOnce(server.store, settings, new Date(Date.now() + 31 * DAY_MS));
    expect((await admin.get(`${contextPath(id)}/versions`)).body.data).toEqual([]);
    expect((await admin.get(contextPath(id))).status).toBe(200);
  });

  it('erases deleted contexts after DELETED_RETENTION_DAYS, with an event', async () => {
    const { admin, server } = await start();
    const id = (await admin.post(CONTEXTS, { agent_id: 'a', context: {} })).body.id as string;
    await admin.delete(contextPath(id));
    expect((await pruneOnce(server.store, DEFAULTS, new Date(Date.now() + 6 * DAY_MS))).erased).toEqual([]);
    expect((await pruneOnce(server.store, DEFAULTS, new Date(Date.now() + 8 * DAY_MS))).erased).toEqual([id]);
    expect((await admin.post(`${DELETED}/${id}/restore`)).status).toBe(404);
    const events = await admin.get('/api/audit-events', { query: { action: 'context.erased' } });
    expect(events.body.data[0]).toMatchObject({ context_id: id, actor: null, details: { reason: 'retention' } });
  });
});

describe('activity log', () => {
  it('records writes and sign-ins with the client address, filters, pages, newest first; admins only', async () => {
    const { admin, alice, aliceId, server } = await start();
    const id = (await alice.post(CONTEXTS, { agent_id: 'a', context: {} })).body.id as string;
    await alice.patch(contextPath(id), { context: { x: 1 } });
    const bad = await api(server.url).post('/api/session', { api_key: 'wrong-key-attempt' });
    expect(bad.status).toBe(401);
    const good = await api(server.url).post('/api/session', { api_key: server.keys.viewer });
    expect(good.status).toBe(200);

    expect((await alice.get('/api/audit-events')).status).toBe(403);
    const all = await admin.get('/api/audit-events');
    expect(all.body.data.map((e: { action: string }) => e.action).slice(0, 4)).toEqual([
      'session.signed_in',
      'session.sign_in_failed',
      'context.updated',
      'context.created',
    ]);
    expect(all.body.data[0]).toMatchObject({ actor: { name: 'viewer (environment)', role: 'viewer' }, client_ip: '127.0.0.1' });
    expect(all.body.data[1]).toMatchObject({ actor: null, client_ip: '127.0.0.1' });
    expect(all.text).not.toContain('wrong-key-attempt');
    for (const key of Object.values(server.keys)) expect(all.text).not.toContain(key);
    expect(all.text).not.toContain(good.headers.get('set-cookie')?.split(';')[0]?.split('=')[1] ?? 'no-cookie');

    const byAlice = await admin.get('/api/audit-events', { query: { actor: aliceId } });
    expect(byAlice.body.data.map((e: { action: string; version: number }) => [e.action, e.version])).toEqual([
      ['context.updated', 2],
      ['context.created', 1],
    ]);
    const both = await admin.get('/api/audit-events', { query: { action: 'context.created,context.updated', context_id: id, per_page: 1 } });
    expect(both.body).toMatchObject({ data: [{ action: 'context.updated' }], has_more: true });
    const next = await admin.get('/api/audit-events', { query: { action: ['context.created', 'context.updated'], context_id: id, per_page: 1, after: both.body.next_cursor } });
    expect(next.body.data[0].action).toBe('context.created');
    expect((await admin.get('/api/audit-events', { query: { until: '2000-01-01T00:00:00Z' } })).body.data).toEqual([]);
    expect((await admin.get('/api/audit-events', { query: { since: new Date(Date.now() + 60_000).toISOString() } })).body.data).toEqual([]);
    expect((await admin.get('/api/audit-events', { query: { action: 'nope' } })).status).toBe(400);
  });

  it('a failed write leaves no event, and a write whose event cannot be written does not happen', async () => {
    const { admin, server } = await start();
    const id = (await admin.post(CONTEXTS, { agent_id: 'a', context: { v: 1 } })).body.id as string;
    const before = (await admin.get('/api/audit-events')).body.data.length;
    expect((await admin.patch(contextPath(id), { context: { v: 2 } }, { headers: { 'if-match': '"v9"' } })).status).toBe(412);
    expect((await admin.patch(contextPath(id), { context: 'nope' })).status).toBe(400);
    expect((await admin.delete(contextPath('ctx_missing'))).status).toBe(404);
    expect((await admin.get('/api/audit-events')).body.data.length).toBe(before);

    await breakAuditTable(server.store);
    expect((await admin.patch(contextPath(id), { context: { v: 3 } })).status).toBe(500);
    expect((await admin.get(contextPath(id))).body.context).toEqual({ v: 1 });
    expect((await admin.delete(contextPath(id))).status).toBe(500);
    expect((await admin.get(contextPath(id))).status).toBe(200);
  });
});
