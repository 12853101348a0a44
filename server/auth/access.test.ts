/**
 * The role × operation matrix over real HTTP: 401 for missing, unknown or malformed
 * credentials, 403 for a known key without the right, and the order of those checks
 * before anything else (body, validation, existence).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Role } from '../../contract/constants';
import {
  CONTEXTS,
  api,
  contextPath,
  createContexts,
  storeSnapshot,
  startTestServer,
  type ApiClient,
  type ApiResult,
  type TestServer,
} from '../testing';

let server: TestServer;
let admin: ApiClient;

beforeAll(async () => {
  server = await startTestServer();
  admin = api(server.url, server.keys.admin);
});
afterAll(() => server.close());

type Operation = 'list' | 'get' | 'create' | 'update' | 'delete' | 'session';

/** Runs one operation with the given Authorization header (or none). */
async function perform(operation: Operation, authorization: string | undefined): Promise<ApiResult> {
  const client = api(server.url);
  const headers: Record<string, string> = authorization === undefined ? {} : { authorization };
  const [target] = await createContexts(admin, 1);
  const id = target!.id;
  switch (operation) {
    case 'list':
      return client.get(CONTEXTS, { headers });
    case 'get':
      return client.get(contextPath(id), { headers });
    case 'create':
      return client.post(CONTEXTS, { agent_id: 'matrix' }, { headers });
    case 'update':
      return client.patch(contextPath(id), { context: { by: 'matrix' } }, { headers });
    case 'delete':
      return client.delete(contextPath(id), { headers });
    case 'session':
      return client.get('/api/session', { headers });
  }
}

const OPERATIONS: Operation[] = ['list', 'get', 'create', 'update', 'delete', 'session'];

const SUCCESS: Record<Operation, number> = { list: 200, get: 200, create: 201, update: 200, delete: 204, session: 200 };

const ALLOWED: Record<Role, Operation[]> = {
  viewer: ['list', 'get', 'session'],
  editor: ['list', 'get', 'create', 'update', 'session'],
  admin: OPERATIONS,
};

const matrix = (['viewer', 'editor', 'admin'] as const).flatMap((role) =>
  OPERATIONS.map((operation) => [role, operation, ALLOWED[role].includes(operation)] as const),
);

describe('roles', () => {
  it.each(matrix)('%s → %s: allowed=%s', async (role, operation, allowed) => {
    const response = await perform(operation, `Bearer ${server.keys[role]}`);
    if (allowed) {
      expect(response.status, response.text).toBe(SUCCESS[operation]);
      if (operation === 'session') expect(response.body.role).toBe(role);
    } else {
      expect(response.status).toBe(403);
      expect(response.body.error.code).toBe('forbidden');
      expect(response.body.error.message).toContain(role);
    }
  });

  it('a refused write changes nothing', async () => {
    const [target] = await createContexts(admin, 1);
    const viewer = api(server.url, server.keys.viewer);
    const editor = api(server.url, server.keys.editor);
    const before = await storeSnapshot(server.store);
    expect((await viewer.post(CONTEXTS, { agent_id: 'x' })).status).toBe(403);
    expect((await viewer.patch(contextPath(target!.id), { context: null })).status).toBe(403);
    expect((await viewer.delete(contextPath(target!.id))).status).toBe(403);
    expect((await editor.delete(contextPath(target!.id))).status).toBe(403);
    expect(await storeSnapshot(server.store)).toEqual(before);
  });
});

describe('401', () => {
  const badCredentials: Array<[string, string | undefined]> = [
    ['no Authorization header', undefined],
    ['an unknown key', 'Bearer ecc_admin_not-a-real-key-000000000000'],
    ['an empty Bearer', 'Bearer '],
    ['"Bearer" alone', 'Bearer'],
    ['the Basic scheme', 'Basic YWRtaW46YWRtaW4='],
    ['a bare key without scheme', 'KEY_PLACEHOLDER'],
    ['a key with extra words', 'Bearer KEY_PLACEHOLDER extra'],
    ['a key in another case', 'Bearer KEY_UPPER'],
    ['a key with a suffix', 'Bearer KEY_PLACEHOLDERx'],
    ['a key prefix', 'Bearer KEY_PREFIX'],
  ];

  const resolve = (header: string | undefined) =>
    header
      ?.replace('KEY_PLACEHOLDER', server.keys.admin)
      .replace('KEY_UPPER', server.keys.admin.toUpperCase())
      .replace('KEY_PREFIX', server.keys.admin.slice(0, -1));

  it.each(badCredentials.flatMap(([name, header]) => OPERATIONS.map((op) => [name, op, header] as const)))(
    '%s → %s: 401 unauthorized, nothing changed',
    async (_name, operation, header) => {
      const before = (await storeSnapshot(server.store)).length;
      const response = await perform(operation, resolve(header));
      expect(response.status).toBe(401);
      expect(response.body.error.code).toBe('unauthorized');
      expect(response.headers.get('www-authenticate')).toMatch(/^Bearer/);
      // perform() itself created one context with the admin key; nothing else changed.
      expect((await storeSnapshot(server.store)).length).toBe(before + 1);
    },
  );

  it('the scheme is case-insensitive (RFC 7235)', async () => {
    const response = await api(server.url).get(CONTEXTS, { headers: { authorization: `bearer ${server.keys.viewer}` } });
    expect(response.status).toBe(200);
  });

  it('a malformed Authorization header is not rescued by a valid session cookie', async () => {
    const signIn = await api(server.url).post('/api/session', { api_key: server.keys.admin });
    const cookie = (signIn.headers.get('set-cookie') ?? '').split(';')[0]!;
    const response = await api(server.url, undefined, cookie).get(CONTEXTS, { headers: { authorization: 'Basic x' } });
    expect(response.status).toBe(401);
  });
});

describe('order of checks', () => {
  it('401 before 415, 413, 400 and 404', async () => {
    const anonymous = api(server.url);
    const cases = [
      () => anonymous.request('POST', CONTEXTS, { rawBody: 'x', headers: { 'content-type': 'text/plain' } }),
      () => anonymous.request('POST', CONTEXTS, { rawBody: '{', headers: { 'content-type': 'application/json' } }),
      () => anonymous.post(CONTEXTS, { bogus: true }),
      () => anonymous.get(CONTEXTS, { query: { per_page: '1000' } }),
      () => anonymous.get(contextPath('ctx_missing')),
      () => anonymous.delete(contextPath('ctx_missing')),
      () =>
        anonymous.request('POST', CONTEXTS, {
          rawBody: JSON.stringify({ agent_id: 'a', context: { x: 'y'.repeat(11 * 1024 * 1024) } }),
          headers: { 'content-type': 'application/json' },
        }),
    ];
    for (const send of cases) {
      const response = await send();
      expect(response.status).toBe(401);
    }
  });

  it('403 before 415, 400, 404 and 409', async () => {
    const viewer = api(server.url, server.keys.viewer);
    const editor = api(server.url, server.keys.editor);
    const running = (await admin.post(CONTEXTS, { agent_id: 'busy', status: 'running' })).body;
    const cases = [
      () => viewer.request('POST', CONTEXTS, { rawBody: 'x', headers: { 'content-type': 'text/plain' } }),
      () => viewer.post(CONTEXTS, { bogus: true }),
      () => viewer.patch(contextPath('ctx_missing'), { context: {} }),
      () => editor.delete(contextPath('ctx_missing')),
      () => editor.delete(contextPath(running.id)),
    ];
    for (const send of cases) {
      const response = await send();
      expect(response.status).toBe(403);
    }
  });
});

describe('public endpoints', () => {
  it('health, readiness and the OpenAPI document need no key', async () => {
    const anonymous = api(server.url);
    const health = await anonymous.get('/api/health');
    expect(health.status).toBe(200);
    expect(health.body).toEqual({ status: 'ok' });
    expect((await anonymous.get('/api/ready')).body).toEqual({ status: 'ready' });
    expect((await anonymous.get('/api/openapi.json')).status).toBe(200);
  });
});
