/**
 * The app around the API: security headers, the built dashboard (and its absence), the
 * OpenAPI document, the generic 500, and logs that never hold a key or session token.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { get as httpGet, type IncomingHttpHeaders } from 'node:http';
import { Writable } from 'node:stream';
import { gunzipSync } from 'node:zlib';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { CONTEXTS, api, contextPath, createContexts, startTestServer, type TestServer } from './testing';
import { storeSnapshot } from './testing/fixtures';

let server: TestServer | undefined;

/** A GET whose body is not decoded, to see exactly what goes over the wire. */
function rawGet(url: string, headers: Record<string, string>): Promise<{ headers: IncomingHttpHeaders; body: Buffer }> {
  return new Promise((resolve, reject) => {
    httpGet(url, { headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ headers: res.headers, body: Buffer.concat(chunks) }));
      res.on('error', reject);
    }).on('error', reject);
  });
}
afterEach(async () => {
  await server?.close();
  server = undefined;
});

describe('security headers', () => {
  it('a CSP fit for the dashboard and Monaco, plus the usual hardening headers', async () => {
    server = await startTestServer();
    for (const path of ['/api/health', '/']) {
      const response = await fetch(`${server.url}${path}`);
      await response.arrayBuffer();
      const csp = response.headers.get('content-security-policy') ?? '';
      const directives = Object.fromEntries(
        csp.split(';').map((d) => {
          const [name, ...values] = d.trim().split(/\s+/);
          return [name, values];
        }),
      );
      expect(directives['default-src']).toEqual(["'self'"]);
      expect(directives['script-src']).toEqual(["'self'"]);
      expect(directives['worker-src']).toEqual(["'self'"]);
      expect(directives['style-src']).toEqual(["'self'", "'unsafe-inline'"]);
      expect(directives['font-src']).toEqual(["'self'", 'data:']);
      expect(directives['connect-src']).toEqual(["'self'"]);
      expect(directives['object-src']).toEqual(["'none'"]);
      expect(directives['frame-ancestors']).toEqual(["'none'"]);
      expect(csp).not.toContain('upgrade-insecure-requests');
      expect(response.headers.get('x-content-type-options')).toBe('nosniff');
      expect(response.headers.get('referrer-policy')).toBe('no-referrer');
      expect(response.headers.get('strict-transport-security')).toBeNull();
    }
  });

  it('HSTS when COOKIE_SECURE says the server sits behind HTTPS', async () => {
    server = await startTestServer({ cookieSecure: true });
    const response = await fetch(`${server.url}/api/health`);
    expect(response.headers.get('strict-transport-security')).toMatch(/max-age=\d+/);
  });

  it('API answers are never cached', async () => {
    server = await startTestServer();
    const admin = api(server.url, server.keys.admin);
    const [created] = await createContexts(admin, 1);
    for (const response of [await admin.get(CONTEXTS), await admin.get(contextPath(created!.id)), await admin.get('/api/nope')]) {
      expect(response.headers.get('cache-control')).toBe('no-store');
    }
  });
});

describe('methods an API path does not take (RFC 9110 §15.5.6)', () => {
  let server: TestServer;
  afterEach(async () => {
    await server.close();
  });

  it('answer 405 method_not_allowed with Allow, change nothing, and unknown paths stay 404', async () => {
    server = await startTestServer();
    const admin = api(server.url, server.keys.admin);
    const [created] = await createContexts(admin, 1);
    const before = await storeSnapshot(server.store);
    // PUT where PATCH was meant: the context exists, so "not found" would mislead.
    const put = await admin.request('PUT', contextPath(created!.id), { json: { context: { a: 1 } } });
    expect(put.status).toBe(405);
    expect(put.body.error.code).toBe('method_not_allowed');
    expect(put.headers.get('allow')).toBe('GET, HEAD, PATCH, DELETE');
    expect(put.body.error.details.allow).toEqual(['GET', 'HEAD', 'PATCH', 'DELETE']);
    const deleteAll = await admin.request('DELETE', CONTEXTS);
    expect(deleteAll.status).toBe(405);
    expect(deleteAll.headers.get('allow')).toBe('GET, HEAD, POST');
    // No key needed to learn a path's methods, and no data in the answer.
    const anonymous = await fetch(`${server.url}/api/health`, { method: 'POST' });
    expect(anonymous.status).toBe(405);
    expect(anonymous.headers.get('allow')).toBe('GET, HEAD');
    expect(await storeSnapshot(server.store)).toEqual(before);
    expect((await admin.request('PUT', '/api/nope')).status).toBe(404);
    // The methods a path does take are untouched.
    expect((await admin.get(contextPath(created!.id))).status).toBe(200);
    expect((await fetch(`${server.url}/api/health`, { method: 'HEAD' })).status).toBe(200);
  });
});

describe('the dashboard', () => {
  let distDir: string;
  beforeAll(() => {
    distDir = mkdtempSync(join(tmpdir(), 'ecc-dist-'));
    mkdirSync(join(distDir, 'assets'));
    writeFileSync(join(distDir, 'index.html'), '<!doctype html><title>ECC test build</title><div id="root"></div>');
    writeFileSync(join(distDir, 'assets', 'index-Ab12Cd34.js'), 'console.log("app")');
    writeFileSync(join(distDir, 'assets', 'big-Ef56Gh78.js'), `export const rows = ${JSON.stringify(Array.from({ length: 2000 }, (_, i) => ({ i })))};`);
    writeFileSync(join(distDir, 'favicon.svg'), '<svg xmlns="http://www.w3.org/2000/svg"/>');
  });
  afterAll(() => rmSync(distDir, { recursive: true, force: true }));

  it('serves index.html at / without caching it', async () => {
    server = await startTestServer({ distDir });
    const response = await fetch(`${server.url}/`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/html/);
    expect(response.headers.get('cache-control')).toBe('no-cache');
    expect(await response.text()).toContain('ECC test build');
    expect((await fetch(`${server.url}/`, { method: 'HEAD' })).status).toBe(200);
  });

  it('caches hashed assets for a year; other files are revalidated', async () => {
    server = await startTestServer({ distDir });
    const asset = await fetch(`${server.url}/assets/index-Ab12Cd34.js`);
    expect(asset.status).toBe(200);
    expect(asset.headers.get('content-type')).toMatch(/javascript/);
    expect(asset.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    const icon = await fetch(`${server.url}/favicon.svg`);
    expect(icon.status).toBe(200);
    expect(icon.headers.get('cache-control')).toBe('no-cache');
  });

  it('compresses bundles and list pages for clients that accept it, and not for those that do not', async () => {
    server = await startTestServer({ distDir });
    const js = await rawGet(`${server.url}/assets/big-Ef56Gh78.js`, { 'accept-encoding': 'gzip' });
    expect(js.headers['content-encoding']).toBe('gzip');
    expect(gunzipSync(js.body).toString()).toContain('export const rows');
    const br = await rawGet(`${server.url}/assets/big-Ef56Gh78.js`, { 'accept-encoding': 'br, gzip' });
    expect(br.headers['content-encoding']).toBe('br');
    const plain = await rawGet(`${server.url}/assets/big-Ef56Gh78.js`, {});
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.body.toString()).toContain('export const rows');

    await createContexts(api(server.url, server.keys.editor), 30, (i) => ({ agent_id: `agent_${i}`, context: { notes: 'x'.repeat(200) } }));
    const list = await rawGet(`${server.url}${CONTEXTS}?per_page=30`, {
      'accept-encoding': 'gzip',
      authorization: `Bearer ${server.keys.viewer}`,
    });
    expect(list.headers['content-encoding']).toBe('gzip');
    expect(JSON.parse(gunzipSync(list.body).toString()).data).toHaveLength(30);
  });

  it('answers browser navigations to app routes with index.html (SPA fallback)', async () => {
    server = await startTestServer({ distDir });
    for (const path of ['/contexts', '/contexts?context=ctx_1&status=failed', '/deep/link/here']) {
      const response = await fetch(`${server.url}${path}`, { headers: { accept: 'text/html,application/xhtml+xml' } });
      expect(response.status, path).toBe(200);
      expect(await response.text()).toContain('ECC test build');
      expect(response.headers.get('cache-control')).toBe('no-cache');
    }
  });

  it('a missing file that is not a page is a 404, not index.html', async () => {
    server = await startTestServer({ distDir });
    const response = await fetch(`${server.url}/assets/missing-0000.js`, { headers: { accept: '*/*' } });
    expect(response.status).toBe(404);
    expect((await response.json()).error.code).toBe('not_found');
    const post = await fetch(`${server.url}/contexts`, { method: 'POST', headers: { accept: 'text/html' } });
    expect(post.status).toBe(404);
  });

  it('without a build, pages answer 503 saying to run npm run build; the API still works', async () => {
    server = await startTestServer({ distDir: join(distDir, 'does-not-exist') });
    for (const path of ['/', '/contexts']) {
      const response = await fetch(`${server.url}${path}`, { headers: { accept: 'text/html' } });
      expect(response.status).toBe(503);
      expect(response.headers.get('content-type')).toMatch(/^text\/plain/);
      expect(await response.text()).toContain('npm run build');
    }
    expect((await api(server.url, server.keys.viewer).get(CONTEXTS)).status).toBe(200);
  });
});

describe('OpenAPI', () => {
  it('documents every operation from the same schemas, without auth', async () => {
    server = await startTestServer();
    const response = await api(server.url).get('/api/openapi.json');
    expect(response.status).toBe(200);
    const doc = response.body;
    expect(doc.openapi).toBe('3.1.0');
    expect(Object.keys(doc.paths).sort()).toEqual([
      '/api/ai/deleted-execution-contexts',
      '/api/ai/deleted-execution-contexts/{id}',
      '/api/ai/deleted-execution-contexts/{id}/restore',
      '/api/ai/execution-contexts',
      '/api/ai/execution-contexts/{id}',
      '/api/ai/execution-contexts/{id}/versions',
      '/api/ai/execution-contexts/{id}/versions/{version}',
      '/api/ai/execution-contexts/{id}/versions/{version}/restore',
      '/api/audit-events',
      '/api/health',
      '/api/keys',
      '/api/keys/{id}',
      '/api/ready',
      '/api/session',
    ]);
    expect(Object.keys(doc.paths['/api/ai/execution-contexts']).sort()).toEqual(['get', 'post']);
    expect(Object.keys(doc.paths['/api/ai/execution-contexts/{id}']).sort()).toEqual(['delete', 'get', 'patch']);
    expect(Object.keys(doc.paths['/api/session']).sort()).toEqual(['delete', 'get', 'post']);
    const listParams = doc.paths['/api/ai/execution-contexts'].get.parameters.map((p: { name: string }) => p.name);
    expect(listParams).toEqual(
      expect.arrayContaining(['page', 'per_page', 'agent_id', 'workflow_id', 'status', 'updated_before', 'after', 'view']),
    );
    const patchParams = doc.paths['/api/ai/execution-contexts/{id}'].patch.parameters.map((p: { name: string }) => p.name);
    expect(patchParams).toEqual(expect.arrayContaining(['id', 'if-match']));
    expect(Object.keys(doc.components.schemas)).toEqual(
      expect.arrayContaining(['ExecutionContext', 'CreateExecutionContext', 'UpdateExecutionContext', 'Error', 'SessionInfo']),
    );
    expect(doc.components.securitySchemes.apiKey).toMatchObject({ type: 'http', scheme: 'bearer' });
    expect(Object.keys(doc.paths['/api/ai/execution-contexts/{id}'].delete.responses)).toEqual(
      expect.arrayContaining(['204', '401', '403', '404', '409', '429']),
    );
  });
});

/** Collects log lines in memory. */
function captureLogs() {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk, _encoding, callback) {
      lines.push(String(chunk));
      callback();
    },
  });
  return { stream, text: () => lines.join('') };
}

describe('unexpected errors', () => {
  it('answer 500 internal_error with a generic message; the cause goes to the log only', async () => {
    const logs = captureLogs();
    server = await startTestServer({
      logStream: logs.stream,
      wrapStore: (store) =>
        Object.assign(Object.create(store) as typeof store, {
          list: () => {
            throw new Error('SQLITE_CORRUPT: database disk image is malformed at /secret/path');
          },
        }),
    });
    const response = await api(server.url, server.keys.viewer).get(CONTEXTS);
    expect(response.status).toBe(500);
    expect(response.body).toEqual({ error: { code: 'internal_error', message: expect.any(String) } });
    expect(response.text).not.toMatch(/SQLITE|secret|stack/i);
    expect(logs.text()).toContain('SQLITE_CORRUPT');
  });
});

describe('list serialization', () => {
  it('sends the store’s rows as they are, without validating each one again', async () => {
    // A row the response schema would refuse: with zod serialization this were a 500.
    const odd = { id: 'ctx_odd', agent_id: 7, extra_field: 'kept' };
    server = await startTestServer({
      wrapStore: (store) =>
        Object.assign(Object.create(store) as typeof store, {
          list: () => ({ data: [odd], has_more: false, next_cursor: null }),
        }),
    });
    const response = await api(server.url, server.keys.viewer).get(CONTEXTS);
    expect(response.status).toBe(200);
    expect(response.body.data).toEqual([odd]);
  });
});

describe('logs', () => {
  it('never contain a key or a session token', async () => {
    const logs = captureLogs();
    server = await startTestServer({ logStream: logs.stream });
    const { keys, url } = server;
    const admin = api(url, keys.admin);
    await createContexts(admin, 2);
    await admin.get(CONTEXTS);
    await admin.request('POST', CONTEXTS, { rawBody: `{"agent_id":"${keys.admin}"`, headers: { 'content-type': 'application/json' } });
    await api(url, `${keys.admin}-wrong`).get(CONTEXTS);
    await api(url).post('/api/session', { api_key: `${keys.editor}-wrong` });
    const signIn = await api(url).post('/api/session', { api_key: keys.viewer });
    const cookie = signIn.headers.get('set-cookie')!.split(';')[0]!;
    const token = cookie.split('=')[1]!;
    await api(url, undefined, cookie).get(CONTEXTS);
    await api(url, undefined, cookie).delete('/api/session');

    const text = logs.text();
    expect(text).toContain('incoming request');
    for (const secret of [keys.admin, keys.editor, keys.viewer, token]) expect(text).not.toContain(secret);
  });
});
