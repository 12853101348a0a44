/**
 * Several server processes on one PostgreSQL database behave as one server (issue 9):
 * two real `server/main.ts` processes over real HTTP, each with its own DATA_DIR, sharing
 * only DATABASE_URL. Plus the outage: PostgreSQL stopped under a running server → 503
 * `unavailable`, started again → the same process serves again, nothing acknowledged lost.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { SESSION_COOKIE } from '../contract/constants';
import {
  CONTEXTS,
  api,
  contextPath,
  createTestDatabase,
  startEmbeddedPostgres,
  startServerProcess,
  type EmbeddedServer,
  type ServerProcess,
  type TestDatabase,
} from './testing';

const keys = {
  ADMIN_API_KEY: 'multi-admin-key-0123456789',
  EDITOR_API_KEY: 'multi-editor-key-0123456789',
  VIEWER_API_KEY: 'multi-viewer-key-0123456789',
};

const running: ServerProcess[] = [];
const dirs: string[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((server) => server.stop()));
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

async function instance(databaseUrl: string, env: Record<string, string> = {}): Promise<ServerProcess> {
  const dataDir = mkdtempSync(join(tmpdir(), 'ecc-multi-'));
  dirs.push(dataDir);
  const server = await startServerProcess({
    DATABASE_URL: databaseUrl,
    DATA_DIR: dataDir,
    DATABASE_CONNECT_TIMEOUT_MS: '1000',
    ...keys,
    ...env,
  });
  running.push(server);
  return server;
}

async function signIn(url: string, key: string): Promise<string> {
  const response = await fetch(`${url}/api/session`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ api_key: key }), // fidelity-ok: a sign-in body, no context
  });
  expect(response.status).toBe(200);
  const cookie = response.headers.get('set-cookie') ?? '';
  const pair = cookie.split(';')[0] ?? '';
  expect(pair.startsWith(`${SESSION_COOKIE}=`)).toBe(true);
  return pair;
}

describe('two instances on one database', () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase();
  });
  afterAll(async () => {
    await database.drop();
  });

  it('a context created on A is read, patched and deleted on B', async () => {
    const [a, b] = await Promise.all([instance(database.url, { RATE_LIMITS: 'off' }), instance(database.url, { RATE_LIMITS: 'off' })]);
    const created = await api(a.url, keys.EDITOR_API_KEY).post(CONTEXTS, { agent_id: 'multi', context: { step: 1 } });
    expect(created.status).toBe(201);
    const id = created.body.id as string;
    const onB = api(b.url, keys.ADMIN_API_KEY);
    const read = await onB.get(contextPath(id));
    expect(read.status).toBe(200);
    expect(read.text).toBe(created.text);
    const patched = await onB.patch(contextPath(id), { context: { step: 2 } }, { headers: { 'if-match': '"v1"' } });
    expect(patched.status).toBe(200);
    expect(patched.headers.get('etag')).toBe('"v2"');
    expect((await api(a.url, keys.VIEWER_API_KEY).get(contextPath(id))).body.context).toEqual({ step: 2 });
    expect((await onB.delete(contextPath(id))).status).toBe(204);
    expect((await api(a.url, keys.VIEWER_API_KEY).get(contextPath(id))).status).toBe(404);
  });

  it('a session cookie from A works on B; signing out on B ends it on A', async () => {
    const [a, b] = await Promise.all([instance(database.url), instance(database.url)]);
    const cookie = await signIn(a.url, keys.VIEWER_API_KEY);
    const onB = await api(b.url, undefined, cookie).get('/api/session');
    expect(onB.status).toBe(200);
    expect(onB.body.role).toBe('viewer');
    expect((await api(b.url, undefined, cookie).get(CONTEXTS)).status).toBe(200);
    expect((await api(b.url, undefined, cookie).delete('/api/session')).status).toBe(204);
    expect((await api(a.url, undefined, cookie).get('/api/session')).status).toBe(401);
  });

  it('one key’s delete budget (5/s) holds across both: the sixth delete within a second is a 429', async () => {
    const fresh = await createTestDatabase();
    try {
      const [a, b] = await Promise.all([instance(fresh.url), instance(fresh.url)]);
      const ids: string[] = [];
      for (let i = 0; i < 6; i += 1) {
        const created = await api(i % 2 ? a.url : b.url, keys.EDITOR_API_KEY).post(CONTEXTS, { agent_id: `d${i}` });
        expect(created.status).toBe(201);
        ids.push(created.body.id as string);
      }
      const started = Date.now();
      const statuses: number[] = [];
      let last;
      for (const [i, id] of ids.entries()) {
        last = await api(i % 2 ? a.url : b.url, keys.ADMIN_API_KEY).delete(contextPath(id));
        statuses.push(last.status);
      }
      expect(Date.now() - started).toBeLessThan(1000);
      expect(statuses).toEqual([204, 204, 204, 204, 204, 429]);
      expect(last?.headers.get('retry-after')).toMatch(/^[1-9]\d*$/);
      expect(last?.body.error.code).toBe('rate_limited');
    } finally {
      await fresh.drop();
    }
  });

  it('20 concurrent PATCHes with the same If-Match on both instances: exactly one 200, the rest 412', async () => {
    const [a, b] = await Promise.all([instance(database.url, { RATE_LIMITS: 'off' }), instance(database.url, { RATE_LIMITS: 'off' })]);
    const created = await api(a.url, keys.EDITOR_API_KEY).post(CONTEXTS, { agent_id: 'race', context: { n: 0 } });
    const id = created.body.id as string;
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        api(i % 2 ? a.url : b.url, keys.EDITOR_API_KEY).patch(contextPath(id), { context: { n: i + 1 } }, { headers: { 'if-match': '"v1"' } }),
      ),
    );
    const statuses = results.map((r) => r.status);
    expect(statuses.filter((s) => s === 200)).toHaveLength(1);
    expect(statuses.filter((s) => s === 412)).toHaveLength(19);
    const winner = results.find((r) => r.status === 200);
    const stored = await api(b.url, keys.VIEWER_API_KEY).get(contextPath(id));
    expect(stored.headers.get('etag')).toBe('"v2"');
    expect(stored.body.context).toEqual(winner?.body.context);
  });

  it('a key replaced through A ends its sessions on B at once, and the old key stops working on B', async () => {
    const fresh = await createTestDatabase();
    try {
      let a = await instance(fresh.url);
      const b = await instance(fresh.url);
      const cookie = await signIn(b.url, keys.ADMIN_API_KEY);
      expect((await api(b.url, undefined, cookie).get('/api/session')).status).toBe(200);
      // Rotate: restart A with a new admin key.
      await a.stop();
      const newKey = 'multi-admin-key-rotated-987654';
      a = await instance(fresh.url, { ADMIN_API_KEY: newKey });
      expect((await api(b.url, undefined, cookie).get('/api/session')).status).toBe(401);
      expect((await api(b.url, undefined, cookie).get(CONTEXTS)).status).toBe(401);
      // B reloads the key hashes every few seconds: the old key then fails, the new one works.
      const deadline = Date.now() + 10_000;
      let oldKeyStatus = 200;
      while (Date.now() < deadline) {
        oldKeyStatus = (await api(b.url, keys.ADMIN_API_KEY).get(CONTEXTS)).status;
        if (oldKeyStatus === 401) break;
        await new Promise((r) => setTimeout(r, 250));
      }
      expect(oldKeyStatus).toBe(401);
      expect((await api(b.url, newKey).get(CONTEXTS)).status).toBe(200);
      expect((await api(a.url, newKey).get(CONTEXTS)).status).toBe(200);
    } finally {
      await fresh.drop();
    }
  });
});

describe('database outage', () => {
  let postgres: EmbeddedServer;
  beforeAll(async () => {
    // A PostgreSQL of its own (durable settings), so that stopping it disturbs no other test.
    postgres = await startEmbeddedPostgres();
  });
  afterAll(async () => {
    await postgres.destroy();
  });

  it('answers 503 unavailable while PostgreSQL is down and recovers by itself; nothing acknowledged is lost', async () => {
    const database = await createTestDatabase(postgres.url);
    const server = await instance(database.url);
    const editor = api(server.url, keys.EDITOR_API_KEY);
    const acknowledged: Array<{ id: string; text: string }> = [];
    for (let i = 0; i < 8; i += 1) {
      const created = await editor.post(CONTEXTS, { agent_id: 'outage', context: { i, note: 'é'.repeat(i * 100) } });
      expect(created.status).toBe(201);
      acknowledged.push({ id: created.body.id as string, text: created.text });
    }
    const patched = await editor.patch(contextPath(acknowledged[0]!.id), { context: { patched: true } });
    expect(patched.status).toBe(200);
    acknowledged[0] = { id: acknowledged[0]!.id, text: patched.text };

    await postgres.stop();
    // Readiness and health say so (load balancers, monitors); the process is fine.
    const ready = await api(server.url).get('/api/ready');
    expect(ready.status).toBe(503);
    expect(ready.body.error.code).toBe('unavailable');
    expect(ready.headers.get('retry-after')).toMatch(/^[1-9]\d*$/);
    // /api/health reuses a check for up to a second: within two it reports the outage.
    await new Promise((r) => setTimeout(r, 1_100));
    const health = await api(server.url).get('/api/health');
    expect(health.status).toBe(503);
    expect(health.body.error.code).toBe('unavailable');
    expect(health.headers.get('retry-after')).toMatch(/^[1-9]\d*$/);
    for (const response of [
      await editor.get(CONTEXTS),
      await editor.get(contextPath(acknowledged[1]!.id)),
      await editor.post(CONTEXTS, { agent_id: 'during-outage' }),
    ]) {
      expect(response.status).toBe(503);
      expect(response.body.error.code).toBe('unavailable');
      expect(response.headers.get('retry-after')).toMatch(/^[1-9]\d*$/);
      expect(response.text).not.toMatch(/ECONNREFUSED|postgres|password/i);
    }
    expect(server.child.exitCode).toBeNull();

    await postgres.start();
    const deadline = Date.now() + 20_000;
    let status = 0;
    while (Date.now() < deadline) {
      status = (await api(server.url).get('/api/ready')).status;
      if (status === 200) break;
      await new Promise((r) => setTimeout(r, 200));
    }
    expect(status).toBe(200);
    await new Promise((r) => setTimeout(r, 1_100));
    expect((await api(server.url).get('/api/health')).status).toBe(200);
    // The same process serves again, and has everything it acknowledged.
    expect(server.child.exitCode).toBeNull();
    for (const { id, text } of acknowledged) {
      const read = await editor.get(contextPath(id));
      expect(read.status).toBe(200);
      expect(read.text).toBe(text);
    }
    expect((await editor.post(CONTEXTS, { agent_id: 'after-outage' })).status).toBe(201);
    // The outage was logged as such, without a stack trace per request or a crash.
    expect(server.stderr.join('\n')).not.toMatch(/uncaught|unhandled/i);
    await server.stop();
    await database.drop();
  });
});
