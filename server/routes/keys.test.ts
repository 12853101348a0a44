/**
 * Named API keys (issue 11) over HTTP, on the configured store: list with origins and no
 * secrets, create (shown once, works at once), revoke (key and sessions end at once, the
 * last admin key is refused), role rules, prototype-safe names, SessionInfo names the key.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { SESSION_COOKIE } from '../../contract/constants';
import { CONTEXTS, api, startTestServer, type TestServer } from '../testing';

const servers: TestServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
});
async function start(): Promise<TestServer> {
  const server = await startTestServer();
  servers.push(server);
  return server;
}

async function signIn(url: string, key: string): Promise<string> {
  const response = await api(url).post('/api/session', { api_key: key });
  expect(response.status).toBe(200);
  const cookie = /ecc_session=([^;]+)/.exec(response.headers.get('set-cookie') ?? '')?.[1];
  expect(cookie).toBeDefined();
  return `${SESSION_COOKIE}=${cookie}`;
}

describe('/api/keys', () => {
  it('lists the environment keys with their origin, never a key or a hash', async () => {
    const server = await start();
    const listed = await api(server.url, server.keys.admin).get('/api/keys');
    expect(listed.status).toBe(200);
    expect(listed.body.data.map((k: { name: string; role: string; origin: string }) => [k.name, k.role, k.origin])).toEqual(
      expect.arrayContaining([
        ['admin (environment)', 'admin', 'env'],
        ['editor (environment)', 'editor', 'env'],
        ['viewer (environment)', 'viewer', 'env'],
      ]),
    );
    for (const key of Object.values(server.keys)) expect(listed.text).not.toContain(key);
    expect(listed.text).not.toMatch(/[0-9a-f]{64}/);
    expect(Object.keys(listed.body.data[0]).sort()).toEqual(['created_at', 'created_by', 'id', 'last_used_at', 'name', 'origin', 'role']);
  });

  it('creates a named key, shown once, that works at once with its role and name', async () => {
    const server = await start();
    const admin = api(server.url, server.keys.admin);
    const created = await admin.post('/api/keys', { name: 'alice', role: 'editor' });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ name: 'alice', role: 'editor', origin: 'api', last_used_at: null });
    expect(created.body.key).toMatch(/^ecc_editor_/);
    expect(created.headers.get('location')).toBe(`/api/keys/${created.body.id}`);

    const alice = api(server.url, created.body.key as string);
    expect((await alice.post(CONTEXTS, { agent_id: 'a', context: { x: 1 } })).status).toBe(201);
    expect((await alice.delete(`${CONTEXTS}/nope`)).status).toBe(403);
    const session = await alice.get('/api/session');
    expect(session.body.key).toEqual({ id: created.body.id, name: 'alice' });

    const listed = await admin.get('/api/keys');
    const entry = listed.body.data.find((k: { id: string }) => k.id === created.body.id);
    expect(entry).toMatchObject({ name: 'alice', created_by: expect.stringMatching(/^key_/) });
    expect(entry.last_used_at).not.toBeNull();
    expect(listed.text).not.toContain(created.body.key);

    const events = await admin.get('/api/audit-events', { query: { action: 'key.created' } });
    expect(events.body.data[0]).toMatchObject({ action: 'key.created', details: { key_id: created.body.id, name: 'alice', role: 'editor' } });
    expect(events.text).not.toContain(created.body.key);
  });

  it('revoking a key ends it and its sessions at once; revoking twice is 404', async () => {
    const server = await start();
    const admin = api(server.url, server.keys.admin);
    const created = await admin.post('/api/keys', { name: 'temp', role: 'viewer' });
    const cookie = await signIn(server.url, created.body.key as string);
    expect((await api(server.url, undefined, cookie).get(CONTEXTS)).status).toBe(200);

    expect((await admin.delete(`/api/keys/${created.body.id}`)).status).toBe(204);
    expect((await api(server.url, created.body.key as string).get(CONTEXTS)).status).toBe(401);
    expect((await api(server.url, undefined, cookie).get(CONTEXTS)).status).toBe(401);
    expect((await admin.delete(`/api/keys/${created.body.id}`)).status).toBe(404);
    // An impossible id names the resource it failed to find (it said "execution context").
    const empty = await admin.delete('/api/keys/');
    expect(empty.status).toBe(404);
    expect(empty.body.error.message).toBe('API key not found');
    const listed = await admin.get('/api/keys');
    expect(listed.body.data.some((k: { id: string }) => k.id === created.body.id)).toBe(false);
    const events = await admin.get('/api/audit-events', { query: { action: 'key.revoked' } });
    expect(events.body.data[0]).toMatchObject({ details: { key_id: created.body.id, name: 'temp' } });
  });

  it('refuses to revoke the last admin key (409), and allows it once another admin key exists', async () => {
    const server = await start();
    const admin = api(server.url, server.keys.admin);
    const envAdmin = (await admin.get('/api/keys')).body.data.find((k: { role: string }) => k.role === 'admin');
    const refused = await admin.delete(`/api/keys/${envAdmin.id}`);
    expect(refused.status).toBe(409);
    expect(refused.body.error).toMatchObject({ code: 'conflict', details: { reason: 'last_admin_key' } });

    const second = await admin.post('/api/keys', { name: 'ops admin', role: 'admin' });
    expect((await admin.delete(`/api/keys/${envAdmin.id}`)).status).toBe(204);
    expect((await admin.get('/api/keys')).status).toBe(401);
    expect((await api(server.url, second.body.key as string).get('/api/keys')).status).toBe(200);
  });

  it('is for admins only', async () => {
    const server = await start();
    for (const role of ['viewer', 'editor'] as const) {
      const client = api(server.url, server.keys[role]);
      expect((await client.get('/api/keys')).status).toBe(403);
      expect((await client.post('/api/keys', { name: 'x', role: 'admin' })).status).toBe(403);
      expect((await client.delete('/api/keys/key_x')).status).toBe(403);
    }
    expect((await api(server.url).get('/api/keys')).status).toBe(401);
  });

  it('validates names and roles; prototype-like names are ordinary names', async () => {
    const server = await start();
    const admin = api(server.url, server.keys.admin);
    for (const body of [{ name: '', role: 'viewer' }, { name: 'x', role: 'root' }, { name: 'a\u0000b', role: 'viewer' }, { name: 'a\u0085b', role: 'viewer' }, { name: 'alice\u202eecila', role: 'viewer' }, { name: '\u2066admin\u2069', role: 'viewer' }, { name: 'x', role: 'viewer', extra: 1 }, { name: 'y'.repeat(101), role: 'viewer' }]) {
      const response = await admin.post('/api/keys', body);
      expect(response.status, JSON.stringify(body)).toBe(400); // fidelity-ok: a failure label
      expect(response.body.error.code).toBe('invalid_body');
    }
    for (const name of ['__proto__', 'constructor', 'prototype']) {
      const created = await admin.post('/api/keys', { name, role: 'viewer' });
      expect(created.status).toBe(201);
      expect(created.body.name).toBe(name);
      const session = await api(server.url, created.body.key as string).get('/api/session');
      expect(session.body.key.name).toBe(name);
    }
    expect(({} as Record<string, unknown>).isAdmin).toBeUndefined();
  });
});
