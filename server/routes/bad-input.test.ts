/**
 * Bad input over real HTTP: every case answers the documented 4xx with the contract's
 * error shape and code, never a 500, and leaves the stored data exactly as it was.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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
let existingId: string;

beforeAll(async () => {
  server = await startTestServer({ bodyLimit: 64 * 1024 });
  admin = api(server.url, server.keys.admin);
  const created = await createContexts(admin, 5, (i) => ({
    agent_id: `agent_${i}`,
    context: { i },
    status: i === 0 ? 'running' : 'idle',
  }));
  existingId = created[1]!.id;
});
afterAll(() => server.close());

/** Runs a bad request and checks the status, the error shape and that nothing changed. */
async function expectRefused(
  send: () => Promise<ApiResult>,
  status: number,
  code: string,
): Promise<ApiResult> {
  const before = await storeSnapshot(server.store);
  const response = await send();
  expect(response.status, response.text).toBe(status);
  expect(response.headers.get('content-type')).toMatch(/^application\/json/);
  expect(response.body).toEqual({
    error: { code, message: expect.any(String), ...(response.body?.error?.details ? { details: expect.any(Object) } : {}) },
  });
  expect(response.body.error.message.length).toBeGreaterThan(0);
  expect(await storeSnapshot(server.store)).toEqual(before);
  return response;
}

describe('list query', () => {
  const badQueries: Array<[string, Record<string, string | string[]>, string]> = [
    ['page=0', { page: '0' }, 'page'],
    ['page=-1', { page: '-1' }, 'page'],
    ['page=1.5', { page: '1.5' }, 'page'],
    ['page=1e3', { page: '1e3' }, 'page'],
    ['page=abc', { page: 'abc' }, 'page'],
    ['page empty', { page: '' }, 'page'],
    ['page=+2', { page: '+2' }, 'page'],
    ['page=0x10', { page: '0x10' }, 'page'],
    ['page beyond PAGE_MAX', { page: '100001' }, 'page'],
    ['page repeated', { page: ['1', '2'] }, 'page'],
    ['per_page=0', { per_page: '0' }, 'per_page'],
    ['per_page=101', { per_page: '101' }, 'per_page'],
    ['per_page=1.5', { per_page: '1.5' }, 'per_page'],
    ['per_page=1e3', { per_page: '1e3' }, 'per_page'],
    ['per_page=-1', { per_page: '-1' }, 'per_page'],
    ['per_page=ten', { per_page: 'ten' }, 'per_page'],
    ['unknown parameter', { agentId: 'agent_1' }, 'agentId'],
    ['unknown parameter api_key', { api_key: 'x' }, 'api_key'],
    ['status not a status', { status: 'bogus' }, 'status'],
    ['status partly wrong', { status: 'idle,bogus' }, 'status'],
    ['status empty', { status: '' }, 'status'],
    ['updated_before not a date', { updated_before: 'yesterday' }, 'updated_before'],
    ['updated_before without time', { updated_before: '2026-01-01' }, 'updated_before'],
    ['view unknown', { view: 'compact' }, 'view'],
    ['agent_id empty', { agent_id: '' }, 'agent_id'],
    ['agent_id over 200 characters', { agent_id: 'a'.repeat(201) }, 'agent_id'],
    ['workflow_id over 200 characters', { workflow_id: 'w'.repeat(201) }, 'workflow_id'],
    ['after with page 2', { after: 'WzE3LCJ4Il0', page: '2' }, 'after'],
    ['__proto__ parameter', { __proto__x: '1' }, '__proto__x'],
    ['constructor parameter', { constructor: '1' }, 'constructor'],
  ];

  it.each(badQueries)('%s → 400 invalid_query naming the field', async (_name, query, field) => {
    const response = await expectRefused(() => admin.get(CONTEXTS, { query }), 400, 'invalid_query');
    expect(response.body.error.details.fields).toContain(field);
  });

  it.each(['garbage!', 'bm90LWpzb24', 'WyJ4Il0', 'WzEsMiwzXQ', 'x'.repeat(501)])('after=%s (not our cursor) → 400 invalid_query', async (after) => {
    const response = await expectRefused(() => admin.get(CONTEXTS, { query: { after } }), 400, 'invalid_query');
    expect(response.body.error.details.fields).toContain('after');
  });

  it('a __proto__ query parameter is refused without polluting anything', async () => {
    const response = await expectRefused(
      () => fetch(`${server.url}${CONTEXTS}?__proto__[x]=1&__proto__=2`, { headers: { authorization: `Bearer ${server.keys.admin}` } })
        .then(async (r) => ({ status: r.status, headers: r.headers, text: '', body: await r.json() })),
      400,
      'invalid_query',
    );
    expect(response.body.error.details.fields.length).toBeGreaterThan(0);
    expect(({} as Record<string, unknown>).x).toBeUndefined();
  });

  it('a query string over 8 KiB → 414 uri_too_long', async () => {
    await expectRefused(() => admin.get(CONTEXTS, { query: { agent_id: 'a'.repeat(9000) } }), 414, 'uri_too_long');
    // Far past Node's default 16 KiB header limit still gets our JSON answer.
    await expectRefused(() => admin.get(CONTEXTS, { query: { agent_id: 'a'.repeat(40_000) } }), 414, 'uri_too_long');
  });

  it('a query string just under 8 KiB is served', async () => {
    const response = await admin.get(CONTEXTS, { query: { agent_id: 'a'.repeat(200), view: 'summary' } });
    expect(response.status).toBe(200);
  });
});

describe('request bodies', () => {
  const post = (rawBody: string, contentType = 'application/json') =>
    admin.request('POST', CONTEXTS, { rawBody, headers: { 'content-type': contentType } });
  const patch = (rawBody: string, contentType = 'application/json') =>
    admin.request('PATCH', contextPath(existingId), { rawBody, headers: { 'content-type': contentType } });

  it.each(['{', '{"agent_id": }', "{'agent_id': 'a'}", '{"agent_id":"a",}', 'nope', '{"a":1}{"b":2}'])(
    'malformed JSON %s → 400 invalid_json (POST and PATCH)',
    async (raw) => {
      await expectRefused(() => post(raw), 400, 'invalid_json');
      await expectRefused(() => patch(raw), 400, 'invalid_json');
    },
  );

  it('an empty body → 400 invalid_body saying it is empty, whatever the Content-Type', async () => {
    for (const type of ['application/json', 'text/plain']) {
      expect((await expectRefused(() => post('', type), 400, 'invalid_body')).body.error.message).toContain('empty');
      expect((await expectRefused(() => patch('', type), 400, 'invalid_body')).body.error.message).toContain('empty');
    }
  });

  it.each([
    ['\\u0000 in a value', '{"agent_id":"nul","context":{"s":"abc\\u0000def"}}', '$.context.s'],
    ['\\u0000 in a member name', '{"agent_id":"nul","context":{"a\\u0000":1}}', '$.context["a\\u0000"]'],
    ['a lone high surrogate', '{"agent_id":"sur","context":{"s":"\\ud800abc"}}', '$.context.s'],
    ['a lone low surrogate', '{"agent_id":"sur","context":{"s":["x\\udc00"]}}', '$.context.s[0]'],
    ['\\u0000 in agent_id', '{"agent_id":"a\\u0000"}', '$.agent_id'],
  ])('%s → 400 invalid_body (PostgreSQL cannot store it), and `where` still works', async (_name, raw, path) => {
    const refused = await expectRefused(() => post(raw), 400, 'invalid_body');
    expect(refused.body.error.details.path).toBe(path);
    expect(refused.body.error.message).toContain('surrogate');
    // PATCH: the same string as the context, or as session_id when it sat in agent_id.
    const patchRaw = raw.replace(/^\{"agent_id":"nul","context"|^\{"agent_id":"sur","context"/, '{"context"').replace('"agent_id":"a', '"session_id":"a');
    await expectRefused(() => patch(patchRaw), 400, 'invalid_body');
    const found = await admin.get(`${CONTEXTS}?where=${encodeURIComponent('i exists')}`);
    expect(found.status, found.text).toBe(200);
  });

  it.each([
    ['1e131072', '$.context.e'],
    ['1e1000000', '$.context.e'],
    ['1e-16384', '$.context.e'],
    ['0e-999999', '$.context.e'],
    ['-1.5e-16383', '$.context.e'],
  ])('a number beyond PostgreSQL numeric (%s) → 400 invalid_body, and `where` still works', async (number, path) => {
    const refused = await expectRefused(() => post(`{"agent_id":"big","context":{"e":${number}}}`), 400, 'invalid_body');
    expect(refused.body.error.details.path).toBe(path);
    await expectRefused(() => patch(`{"context":{"e":${number}}}`), 400, 'invalid_body');
    const found = await admin.get(`${CONTEXTS}?where=${encodeURIComponent('e > 1')}`);
    expect(found.status, found.text).toBe(200);
  });

  it('numbers at the edge of PostgreSQL numeric are kept exactly and searchable', async () => {
    const text = '{"a":1e131071,"b":1e-16383,"c":0e999999,"d":1e400,"e":-0}';
    const response = await post(`{"agent_id":"edge","context":${text}}`);
    expect(response.status, response.text).toBe(201);
    expect(response.text).toContain(`"context":${text}`);
    const found = await admin.get(`${CONTEXTS}?where=${encodeURIComponent('a > 1e131070')}`);
    expect(found.status, found.text).toBe(200);
    expect(found.body.data.map((row: { id: string }) => row.id)).toEqual([response.body.id]);
    expect((await admin.delete(contextPath(response.body.id))).status).toBe(204);
  });

  it('bytes that are not UTF-8 → 400 invalid_json (they were stored as U+FFFD)', async () => {
    for (const bytes of [Buffer.from('{"agent_id":"bad\xff"}', 'latin1'), Buffer.concat([Buffer.from('{"agent_id":"'), Buffer.from([0xed, 0xa0, 0x80]), Buffer.from('"}')])]) {
      const send = () => fetch(`${server.url}${CONTEXTS}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${server.keys.admin}`, 'content-type': 'application/json' },
        body: bytes,
      });
      const before = await storeSnapshot(server.store);
      const response = await send();
      expect(response.status).toBe(400);
      const body = await response.json();
      expect(body.error.code).toBe('invalid_json');
      expect(body.error.message).toContain('UTF-8');
      expect(await storeSnapshot(server.store)).toEqual(before);
    }
  });

  it('a surrogate pair written as escapes is kept exactly', async () => {
    const response = await post('{"agent_id":"pair","context":{"s":"\\ud83d\\ude00 \\u0001"}}');
    expect(response.status, response.text).toBe(201);
    expect(response.text).toContain('{"s":"\\ud83d\\ude00 \\u0001"}');
    expect((await admin.delete(contextPath(response.body.id))).status).toBe(204);
  });

  it('a body that tries prototype pollution is refused', async () => {
    const response = await post('{"agent_id":"a","__proto__":{"polluted":true}}');
    expect(response.status).toBeGreaterThanOrEqual(400);
    expect(response.status).toBeLessThan(500);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it.each([
    ['text/plain', '{"agent_id":"a"}'],
    ['application/x-www-form-urlencoded', 'agent_id=a'],
    ['multipart/form-data; boundary=x', '--x\r\nContent-Disposition: form-data; name="agent_id"\r\n\r\na\r\n--x--'],
    ['application/xml', '<agent_id>a</agent_id>'],
    ['application/jsonp', '{"agent_id":"a"}'],
  ])('Content-Type %s → 415 unsupported_media_type', async (contentType, raw) => {
    await expectRefused(() => post(raw, contentType), 415, 'unsupported_media_type');
    await expectRefused(() => patch(raw, contentType), 415, 'unsupported_media_type');
  });

  it('a body without Content-Type → 415', async () => {
    const send = () => fetch(`${server.url}${CONTEXTS}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${server.keys.admin}` },
      body: new Blob(['{"agent_id":"a"}']),
    });
    const before = await storeSnapshot(server.store);
    const response = await send();
    expect(response.status).toBe(415);
    expect((await response.json()).error.code).toBe('unsupported_media_type');
    expect(await storeSnapshot(server.store)).toEqual(before);
  });

  it('Content-Type with charset is fine', async () => {
    const response = await post('{"agent_id":"charset"}', 'application/json; charset=utf-8');
    expect(response.status).toBe(201);
    expect((await admin.delete(contextPath(response.body.id))).status).toBe(204);
  });

  it('a body over BODY_LIMIT → 413 payload_too_large (POST and PATCH)', async () => {
    const big = JSON.stringify({ agent_id: 'a', context: { blob: 'x'.repeat(70 * 1024) } });
    const response = await expectRefused(() => post(big), 413, 'payload_too_large');
    expect(response.body.error.details.limit_bytes).toBe(64 * 1024);
    await expectRefused(() => patch(JSON.stringify({ context: { blob: 'x'.repeat(70 * 1024) } })), 413, 'payload_too_large');
  });

  it('a streamed (chunked) body over BODY_LIMIT → 413 as well', async () => {
    const chunk = new TextEncoder().encode(`{"agent_id":"a","context":{"blob":"${'x'.repeat(16 * 1024)}`);
    let sent = 0;
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent++ < 6) controller.enqueue(chunk);
        else controller.close();
      },
    });
    const before = await storeSnapshot(server.store);
    const response = await fetch(`${server.url}${CONTEXTS}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${server.keys.admin}`, 'content-type': 'application/json' },
      body: stream,
      duplex: 'half',
    } as RequestInit);
    expect(response.status).toBe(413);
    expect((await response.json()).error.code).toBe('payload_too_large');
    expect(await storeSnapshot(server.store)).toEqual(before);
  });

  it('a body just under BODY_LIMIT is accepted', async () => {
    const response = await post(JSON.stringify({ agent_id: 'a', context: { blob: 'x'.repeat(60 * 1024) } }));
    expect(response.status).toBe(201);
    expect((await admin.delete(contextPath(response.body.id))).status).toBe(204);
  });

  const badCreates: Array<[string, unknown, string]> = [
    ['context as array', { agent_id: 'a', context: [1, 2] }, 'context'],
    ['context as string', { agent_id: 'a', context: '{"a":1}' }, 'context'],
    ['context as number', { agent_id: 'a', context: 42 }, 'context'],
    ['context as boolean', { agent_id: 'a', context: true }, 'context'],
    ['agent_id missing', { workflow_id: 'w' }, 'agent_id'],
    ['agent_id as number', { agent_id: 123 }, 'agent_id'],
    ['agent_id empty', { agent_id: '' }, 'agent_id'],
    ['agent_id over 200 characters', { agent_id: 'a'.repeat(201) }, 'agent_id'],
    ['session_id as number', { agent_id: 'a', session_id: 5 }, 'session_id'],
    ['workflow_id as object', { agent_id: 'a', workflow_id: {} }, 'workflow_id'],
    ['unknown status', { agent_id: 'a', status: 'paused' }, 'status'],
    ['unknown field', { agent_id: 'a', priority: 1 }, 'priority'],
    ['id given', { agent_id: 'a', id: 'ctx_mine' }, 'id'],
    ['timestamps given', { agent_id: 'a', created_at: '2020-01-01T00:00:00Z' }, 'created_at'],
  ];

  it.each(badCreates)('POST with %s → 400 invalid_body naming the field', async (_name, body, field) => {
    const response = await expectRefused(() => admin.post(CONTEXTS, body), 400, 'invalid_body');
    expect(response.body.error.details.fields).toContain(field);
  });

  it.each([
    ['an array', [{ agent_id: 'a' }]],
    ['a string', 'agent_id'],
    ['a number', 1],
    ['null', null],
  ])('POST with %s as the body → 400 invalid_body', async (_name, body) => {
    await expectRefused(() => post(JSON.stringify(body)), 400, 'invalid_body');
  });

  it('POST without any body → 400', async () => {
    const before = await storeSnapshot(server.store);
    const response = await admin.request('POST', CONTEXTS);
    expect([400, 415]).toContain(response.status);
    expect(response.body.error.code).toMatch(/^invalid_body|unsupported_media_type$/);
    expect(await storeSnapshot(server.store)).toEqual(before);
  });

  const badPatches: Array<[string, unknown, string]> = [
    ['context as array', { context: [] }, 'context'],
    ['context as string', { context: 'x' }, 'context'],
    ['context as number', { context: 1 }, 'context'],
    ['session_id as number', { session_id: 1 }, 'session_id'],
    ['session_id empty', { session_id: '' }, 'session_id'],
    ['status', { status: 'idle' }, 'status'],
    ['unknown field', { contxt: {} }, 'contxt'],
  ];

  it.each(badPatches)('PATCH with %s → 400 invalid_body naming the field', async (_name, body, field) => {
    const response = await expectRefused(() => admin.patch(contextPath(existingId), body), 400, 'invalid_body');
    expect(response.body.error.details.fields).toContain(field);
  });

  it('PATCH body errors win over a missing id (validation before 404)', async () => {
    await expectRefused(() => admin.patch(contextPath('ctx_missing'), { context: [] }), 400, 'invalid_body');
  });

  it('an invalid body to a stale If-Match → 400 (validation before 412)', async () => {
    await expectRefused(
      () => admin.patch(contextPath(existingId), { context: 1 }, { headers: { 'if-match': '"v99"' } }),
      400,
      'invalid_body',
    );
  });
});

describe('routes', () => {
  it.each([
    ['GET', '/api/nope'],
    ['GET', '/api'],
    ['GET', '/api/ai/execution-contexts/a/b'],
    ['PUT', '/api/nope'],
  ] as const)('%s %s → 404 not_found as JSON', async (method, path) => {
    const response = await expectRefused(() => admin.request(method, path, { json: method === 'GET' ? undefined : {} }), 404, 'not_found');
    expect(response.body.error.message).toContain(path.split('?')[0]!.slice(0, 50));
  });

  it.each([
    ['PUT', CONTEXTS, 'GET, HEAD, POST'],
    ['PUT', `${CONTEXTS}/x`, 'GET, HEAD, PATCH, DELETE'],
    ['DELETE', CONTEXTS, 'GET, HEAD, POST'],
    ['POST', `${CONTEXTS}/x`, 'GET, HEAD, PATCH, DELETE'],
  ] as const)('%s %s (a path that takes other methods) → 405 method_not_allowed, Allow: %s', async (method, path, allow) => {
    const response = await expectRefused(() => admin.request(method, path, { json: method === 'DELETE' ? undefined : {} }), 405, 'method_not_allowed');
    expect(response.headers.get('allow')).toBe(allow);
    expect(response.body.error.message).toContain(allow);
  });

  it('an unknown /api route does not fall back to the dashboard even for browsers', async () => {
    const response = await admin.get('/api/unknown', { headers: { accept: 'text/html' } });
    expect(response.status).toBe(404);
    expect(response.body.error.code).toBe('not_found');
  });
});

describe('no secret is echoed', () => {
  it('error bodies never contain the key', async () => {
    const responses = await Promise.all([
      admin.get(CONTEXTS, { query: { api_key: server.keys.admin } }),
      admin.post(CONTEXTS, { agent_id: 1 }),
      admin.request('POST', CONTEXTS, { rawBody: '{', headers: { 'content-type': 'application/json' } }),
      api(server.url, `${server.keys.admin}x`).get(CONTEXTS),
    ]);
    for (const response of responses) {
      expect(response.status).toBeGreaterThanOrEqual(400);
      expect(response.text).not.toContain(server.keys.admin);
    }
  });
});
