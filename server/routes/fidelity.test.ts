/**
 * Issue 8: a context is stored and served exactly as written. Every assertion on a
 * context compares the RAW response text (JSON.parse would round the very numbers under
 * test), and every refusal checks that nothing stored changed.
 */
import { request as httpRequest } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_CONTEXT_DEPTH } from '../../contract/json/lossless-json';
import {
  CONTEXTS,
  api,
  contextPath,
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
afterAll(async () => {
  await server.close();
});

/** The raw text of `"context":…` in a response holding one context. */
function contextTextOf(responseText: string): string {
  const start = responseText.indexOf('"context":') + '"context":'.length;
  const end = responseText.lastIndexOf(',"status":');
  return responseText.slice(start, end);
}

const postRaw = (body: string, headers: Record<string, string> = {}) =>
  admin.request('POST', CONTEXTS, { rawBody: body, headers: { 'content-type': 'application/json', ...headers } });
const patchRaw = (id: string, body: string, headers: Record<string, string> = {}) =>
  admin.request('PATCH', contextPath(id), { rawBody: body, headers: { 'content-type': 'application/json', ...headers } });

async function createWith(contextText: string): Promise<ApiResult> {
  const response = await postRaw(`{"agent_id":"fidelity","context":${contextText}}`);
  expect(response.status, response.text).toBe(201);
  return response;
}

/** A refused request: the status and code, a message, and not one stored byte changed. */
async function expectRefused(send: () => Promise<ApiResult>, status: number, code: string): Promise<ApiResult> {
  const before = await storeSnapshot(server.store);
  const response = await send();
  expect(response.status, response.text).toBe(status);
  expect(response.body?.error?.code).toBe(code);
  expect(response.body.error.message.length).toBeGreaterThan(0);
  expect(await storeSnapshot(server.store)).toEqual(before);
  return response;
}

const EXACT_CASES: Array<[string, string]> = [
  ['64-bit integers', '{"creatorID":750727362669608961,"i64max":9223372036854775807,"edge":9007199254740993}'],
  ['number spellings', '{"price":1.10,"one":1.0,"negzero":-0,"exp":1E2,"small":-1.5e-7,"plus":2e+10}'],
  ['a number that overflows a double', '{"d":1e400,"tiny":1e-400}'],
  ['member order with integer-like names', '{"z":1,"a":2,"10":3,"2":4}'],
  ['prototype names as ordinary members', '{"__proto__":{"isAdmin":true},"constructor":{"prototype":{"isAdmin":true}},"prototype":1}'],
  ['strings, escapes and unicode as sent', '{"s":"line\\nnext \\u00e9 \\"q\\" 🚀","empty":"","arr":[1,[2,[3]],{}]}'],
];

describe('a context comes back exactly as written', () => {
  it.each(EXACT_CASES)('%s: POST answer, GET by id, both list views, PATCH answer', async (_name, text) => {
    const created = await createWith(text);
    expect(contextTextOf(created.text)).toBe(text);
    const id = created.body.id as string;

    const got = await admin.get(contextPath(id));
    expect(contextTextOf(got.text)).toBe(text);

    const list = await admin.get(CONTEXTS, { query: { agent_id: 'fidelity', per_page: 100 } });
    const row = list.text.indexOf(`"id":"${id}"`);
    expect(row).toBeGreaterThan(0);
    expect(list.text.slice(row)).toContain(`"context":${text},"status"`);

    const summary = await admin.get(CONTEXTS, { query: { agent_id: 'fidelity', per_page: 100, view: 'summary' } });
    const summaryRow = (summary.body.data as Array<{ id: string; context_preview: string; context_size: number }>).find(
      (r) => r.id === id,
    );
    expect(summaryRow?.context_preview).toBe(text.slice(0, 300));
    expect(summaryRow?.context_size).toBe(Buffer.byteLength(text));

    // PATCH of another field keeps the context's text; PATCH of the context stores the new text.
    const sessionOnly = await patchRaw(id, '{"session_id":"s1"}');
    expect(contextTextOf(sessionOnly.text)).toBe(text);
    const replaced = await patchRaw(id, `{"context":${text}}`);
    expect(contextTextOf(replaced.text)).toBe(text);
    expect((await server.store.get(id))?.context.context_json).toBe(text);
  });

  it('compacts whitespace outside strings and keeps every token', async () => {
    const created = await createWith('{ "a" : [ 1.50 , 2 ] ,\n\t"b" : "x  y" }');
    expect(contextTextOf(created.text)).toBe('{"a":[1.50,2],"b":"x  y"}');
  });

  it(`keeps nesting of exactly ${MAX_CONTEXT_DEPTH} levels`, async () => {
    const text = `${'{"a":'.repeat(MAX_CONTEXT_DEPTH - 1)}{}${'}'.repeat(MAX_CONTEXT_DEPTH - 1)}`;
    const created = await createWith(text);
    expect(contextTextOf(created.text)).toBe(text);
  });

  it('handles a body with __proto__ members without polluting any prototype', async () => {
    const created = await createWith('{"__proto__":{"isAdmin":true,"polluted":1},"constructor":{"prototype":{"isAdmin":true}}}');
    expect(created.status).toBe(201);
    await patchRaw(created.body.id, '{"context":{"__proto__":{"isAdmin":true}}}');
    expect(({} as Record<string, unknown>).isAdmin).toBeUndefined();
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.prototype).not.toHaveProperty('isAdmin');
  });

  it('refuses __proto__ as a top-level body member like any unknown field (400 naming it)', async () => {
    const response = await expectRefused(() => postRaw('{"agent_id":"a","__proto__":{"isAdmin":true}}'), 400, 'invalid_body');
    expect(response.body.error.details.fields).toContain('__proto__');
    expect(({} as Record<string, unknown>).isAdmin).toBeUndefined();
  });
});

describe('bad input is refused with a 400 that names the problem, and changes nothing', () => {
  let id: string;
  beforeAll(async () => {
    id = (await createWith('{"keep":750727362669608961}')).body.id;
  });

  it.each([
    ['at the top of the context', '{"k":"first","k":"second"}', 'k', '$.context.k'],
    ['deep inside', '{"items":[{"sku":1},{"sku":2,"sku":3}]}', 'sku', '$.context.items[1].sku'],
    ['with an odd name', '{"a.b":{"x y":1,"x y":2}}', 'x y', '$.context["a.b"]["x y"]'],
  ])('duplicate member names %s → 400 invalid_body naming the key and its path', async (_where, text, key, path) => {
    for (const send of [() => postRaw(`{"agent_id":"dup","context":${text}}`), () => patchRaw(id, `{"context":${text}}`)]) {
      const response = await expectRefused(send, 400, 'invalid_body');
      expect(response.body.error.details).toMatchObject({ key, path, fields: ['context'] });
      expect(response.body.error.message).toContain(JSON.stringify(key));
      expect(response.body.error.message).toContain(path);
    }
    expect(contextTextOf((await admin.get(contextPath(id))).text)).toBe('{"keep":750727362669608961}');
  });

  it('a duplicate top-level body member → 400 invalid_body', async () => {
    const response = await expectRefused(() => postRaw('{"agent_id":"a","agent_id":"b"}'), 400, 'invalid_body');
    expect(response.body.error.details).toMatchObject({ key: 'agent_id', path: '$.agent_id' });
  });

  it.each([MAX_CONTEXT_DEPTH + 1, 10_000, 200_000])('a context nested %i levels deep → 400 with details.max_depth', async (depth) => {
    const text = '['.repeat(depth - 1);
    const context = `{"a":${text}${']'.repeat(depth - 1)}}`;
    for (const send of [() => postRaw(`{"agent_id":"deep","context":${context}}`), () => patchRaw(id, `{"context":${context}}`)]) {
      const response = await expectRefused(send, 400, 'invalid_body');
      expect(response.body.error.details.max_depth).toBe(MAX_CONTEXT_DEPTH);
      expect(response.body.error.message).toContain(String(MAX_CONTEXT_DEPTH));
    }
    // The server keeps answering.
    expect((await admin.get(contextPath(id))).status).toBe(200);
  });

  it('an unclosed 200,000-level body → 400 (depth first, never a crash)', async () => {
    await expectRefused(() => postRaw(`{"agent_id":"x","context":${'['.repeat(200_000)}`), 400, 'invalid_body');
    expect((await admin.get(contextPath(id))).status).toBe(200);
  });

  it('a body that starts with a byte order mark is read without it (RFC 8259 §8.1; PowerShell 5 sends one); a second one is refused', async () => {
    const created = await postRaw('\uFEFF{"agent_id":"bom","context":{"s":"\uFEFF kept inside","n":1.10}}');
    expect(created.status, created.text).toBe(201);
    expect(contextTextOf(created.text)).toBe('{"s":"\uFEFF kept inside","n":1.10}');
    const id = (created.body as { id: string }).id;
    const patched = await patchRaw(id, '\uFEFF{"context":{"n":2.50}}');
    expect(patched.status, patched.text).toBe(200);
    expect((await server.store.get(id))?.context.context_json).toBe('{"n":2.50}');
    await expectRefused(() => postRaw('\uFEFF\uFEFF{"agent_id":"bom"}'), 400, 'invalid_json');
  });

  it.each([
    ['a trailing comma', '{"agent_id":"a","context":{"x":1,}}', 'line 1'],
    ['a leading zero', '{"agent_id":"a","context":{"x":01}}', 'line 1'],
    ['a comment', '{"agent_id":"a",\n"context":{"x":1 /* c */}}', 'line 2'],
    ['NaN', '{"agent_id":"a","context":{"x":NaN}}', 'line 1'],
  ])('malformed JSON (%s) → 400 invalid_json with the position', async (_name, body, where) => {
    const response = await expectRefused(() => postRaw(body), 400, 'invalid_json');
    expect(response.body.error.message).toContain(where);
    expect(response.body.error.details).toMatchObject({ line: expect.any(Number), column: expect.any(Number) });
  });

  it.each([
    ['an array', '[1,2]'],
    ['a string', '"x"'],
    ['a big number', '750727362669608961'],
  ])('a context that is %s → 400 invalid_body "must be a JSON object or null"', async (_name, text) => {
    const response = await expectRefused(() => postRaw(`{"agent_id":"a","context":${text}}`), 400, 'invalid_body');
    expect(response.body.error.message).toContain('must be a JSON object or null');
  });
});

/** A request exactly as a given client sends it (fetch cannot send some of these shapes). */
function rawRequest(
  method: string,
  path: string,
  headers: Record<string, string>,
  body?: string,
): Promise<{ status: number; text: string }> {
  const url = new URL(path, server.url);
  return new Promise((resolve, reject) => {
    // Node sends a DELETE body unframed unless told its length, as real clients do.
    const framed = body === undefined ? headers : { 'content-length': String(Buffer.byteLength(body)), ...headers };
    const req = httpRequest(
      { host: url.hostname, port: url.port, path: url.pathname + url.search, method, headers: framed },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (text += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
      },
    );
    req.on('error', reject);
    if (body !== undefined) req.write(body);
    req.end();
  });
}

describe('requests from real HTTP clients', () => {
  const auth = () => ({ authorization: `Bearer ${server.keys.admin}` });
  const LABELS = ['text/plain', 'application/json'];
  const LENGTHS: Array<Record<string, string>> = [{}, { 'content-length': '0' }];

  it.each(LABELS)('a bodiless DELETE labelled %s deletes (react-admin, axios)', async (type) => {
    for (const length of LENGTHS) {
      const id = (await createWith('{"n":1}')).body.id as string;
      const response = await rawRequest('DELETE', contextPath(id), { ...auth(), 'content-type': type, ...length });
      expect(response.status, response.text).toBe(204);
      expect(await server.store.get(id)).toBeNull();
      // …and a second one is a plain 404, not a 4xx about the body.
      const again = await rawRequest('DELETE', contextPath(id), { ...auth(), 'content-type': type, ...length });
      expect(again.status).toBe(404);
    }
  });

  it.each(LABELS)('bodiless GETs labelled %s are served', async (type) => {
    const id = (await createWith('{"big":750727362669608961}')).body.id as string;
    for (const length of LENGTHS) {
      const one = await rawRequest('GET', contextPath(id), { ...auth(), 'content-type': type, ...length });
      expect(one.status).toBe(200);
      expect(contextTextOf(one.text)).toBe('{"big":750727362669608961}');
      const list = await rawRequest('GET', `${CONTEXTS}?per_page=1`, { ...auth(), 'content-type': type, ...length });
      expect(list.status).toBe(200);
    }
  });

  it.each(LABELS)('a bodiless POST or PATCH labelled %s → 400 invalid_body "empty", nothing stored', async (type) => {
    const id = (await createWith('{"n":1}')).body.id as string;
    for (const length of LENGTHS) {
      const before = await storeSnapshot(server.store);
      for (const [method, path] of [
        ['POST', CONTEXTS],
        ['PATCH', contextPath(id)],
      ] as const) {
        const response = await rawRequest(method, path, { ...auth(), 'content-type': type, ...length });
        expect(response.status, response.text).toBe(400);
        const body = JSON.parse(response.text) as { error: { code: string; message: string } };
        expect(body.error.code).toBe('invalid_body');
        expect(body.error.message).toContain('empty');
      }
      expect(await storeSnapshot(server.store)).toEqual(before);
    }
  });

  it('a DELETE with a body is handled as without one: the body is ignored, whatever its type', async () => {
    for (const [type, body] of [
      ['application/json', '{"id":"other"}'],
      ['application/json', 'not json'],
      ['text/plain', 'x'],
    ]) {
      const id = (await createWith('{"n":1}')).body.id as string;
      const response = await rawRequest('DELETE', contextPath(id), { ...auth(), 'content-type': type as string }, body);
      expect(response.status, response.text).toBe(204);
      expect(await server.store.get(id)).toBeNull();
    }
  });

  it('a POST with a body still needs application/json (415 otherwise), nothing stored', async () => {
    await expectRefused(
      () => admin.request('POST', CONTEXTS, { rawBody: '{"agent_id":"a"}', headers: { 'content-type': 'text/plain' } }),
      415,
      'unsupported_media_type',
    );
  });
});
