/**
 * The dashboard's session flow over real HTTP: sign in → cookie attributes → who am I →
 * cookie-authenticated calls with the key's role → sign out → the cookie is dead.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { SESSION_COOKIE } from '../../contract/constants';
import { sha256Hex } from '../auth/keys';
import { CONTEXTS, api, contextPath, createContexts, storeSnapshot, startTestServer, type TestServer } from '../testing';

let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

/** The cookie's `name=value` pair and its attributes, lower-cased. */
function parseSetCookie(header: string | null) {
  expect(header).not.toBeNull();
  const [pair, ...attributes] = header!.split(';').map((part) => part.trim());
  const [name, value] = pair!.split('=');
  return { name, value: value ?? '', pair: pair!, attributes: attributes.map((a) => a.toLowerCase()) };
}

async function signIn(url: string, key: string) {
  const response = await api(url).post('/api/session', { api_key: key });
  return { response, cookie: parseSetCookie(response.headers.get('set-cookie')) };
}

describe('sign in', () => {
  it('answers SessionInfo and sets an HttpOnly, SameSite=Strict cookie on /api', async () => {
    server = await startTestServer();
    const { response, cookie } = await signIn(server.url, server.keys.editor);
    expect(response.status).toBe(200);
    expect(response.body).toEqual({
      role: 'editor',
      key: { id: expect.stringMatching(/^key_/), name: 'editor (environment)' },
      retention: { deleted_days: 7, history_days: 30 },
      rate_limits: { read: null, write: null, delete: null },
    });
    expect(cookie.name).toBe(SESSION_COOKIE);
    expect(cookie.value).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(cookie.value).not.toContain(server.keys.editor);
    expect(cookie.attributes).toEqual(
      expect.arrayContaining(['httponly', 'samesite=strict', 'path=/api', `max-age=${12 * 3600}`]),
    );
    expect(cookie.attributes).not.toContain('secure');
    expect(response.text).not.toContain(server.keys.editor);
  });

  it('marks the cookie Secure with COOKIE_SECURE and uses SESSION_TTL_HOURS', async () => {
    server = await startTestServer({ cookieSecure: true, sessionTtlHours: 2 });
    const { cookie } = await signIn(server.url, server.keys.viewer);
    expect(cookie.attributes).toEqual(expect.arrayContaining(['secure', 'max-age=7200']));
  });

  it('stores only the hash of the session token', async () => {
    server = await startTestServer();
    const { cookie } = await signIn(server.url, server.keys.viewer);
    const now = new Date();
    expect(await server.store.findSession(cookie.value, now)).toBeNull();
    expect(await server.store.findSession(sha256Hex(cookie.value), now)).toMatchObject({ role: 'viewer' });
  });

  it('refuses an unknown key with 401 and sets no cookie', async () => {
    server = await startTestServer();
    const response = await api(server.url).post('/api/session', { api_key: 'not-a-key-0000000000' });
    expect(response.status).toBe(401);
    expect(response.body.error.code).toBe('unauthorized');
    expect(response.headers.get('set-cookie')).toBeNull();
  });

  it.each([
    ['a missing api_key', { key: 'x' }, 400, 'invalid_body'],
    ['an empty api_key', { api_key: '' }, 400, 'invalid_body'],
    ['a numeric api_key', { api_key: 5 }, 400, 'invalid_body'],
    ['extra fields', { api_key: 'x', role: 'admin' }, 400, 'invalid_body'],
  ])('refuses %s with %i %s', async (_name, body, status, code) => {
    server = await startTestServer();
    const response = await api(server.url).post('/api/session', body);
    expect(response.status).toBe(status);
    expect(response.body.error.code).toBe(code);
  });

  it('refuses malformed JSON (400) and other content types (415)', async () => {
    server = await startTestServer();
    const anonymous = api(server.url);
    const malformed = await anonymous.request('POST', '/api/session', { rawBody: '{', headers: { 'content-type': 'application/json' } });
    expect(malformed.status).toBe(400);
    expect(malformed.body.error.code).toBe('invalid_json');
    const form = await anonymous.request('POST', '/api/session', {
      rawBody: `api_key=${server.keys.admin}`,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(form.status).toBe(415);
  });
});

describe('a signed-in browser', () => {
  it('is recognised by GET /api/session and may do what its role allows, no more', async () => {
    server = await startTestServer();
    const [target] = await createContexts(api(server.url, server.keys.admin), 1);
    const { cookie } = await signIn(server.url, server.keys.editor);
    const browser = api(server.url, undefined, cookie.pair);

    const me = await browser.get('/api/session');
    expect(me.status).toBe(200);
    expect(me.body).toMatchObject({ role: 'editor', key: { name: 'editor (environment)' }, rate_limits: { read: null, write: null, delete: null } });

    expect((await browser.get(CONTEXTS)).status).toBe(200);
    expect((await browser.patch(contextPath(target!.id), { context: { by: 'cookie' } })).status).toBe(200);
    const before = await storeSnapshot(server.store);
    const forbidden = await browser.delete(contextPath(target!.id));
    expect(forbidden.status).toBe(403);
    expect(await storeSnapshot(server.store)).toEqual(before);
  });

  it('signs out: 204, the cookie is cleared and no longer works', async () => {
    server = await startTestServer();
    const { cookie } = await signIn(server.url, server.keys.admin);
    const browser = api(server.url, undefined, cookie.pair);
    const signOut = await browser.delete('/api/session');
    expect(signOut.status).toBe(204);
    const cleared = parseSetCookie(signOut.headers.get('set-cookie'));
    expect(cleared.name).toBe(SESSION_COOKIE);
    expect(cleared.value).toBe('');
    expect(cleared.attributes).toEqual(expect.arrayContaining(['path=/api', 'httponly', 'samesite=strict']));
    expect(cleared.attributes.some((a) => a === 'max-age=0' || a.startsWith('expires=thu, 01 jan 1970'))).toBe(true);

    for (const response of [await browser.get('/api/session'), await browser.get(CONTEXTS)]) {
      expect(response.status).toBe(401);
      expect(response.body.error.code).toBe('unauthorized');
    }
  });

  it('signing out without a session still answers 204', async () => {
    server = await startTestServer();
    expect((await api(server.url).delete('/api/session')).status).toBe(204);
  });

  it('GET /api/session without cookie or key is a 401; a Bearer key works too', async () => {
    server = await startTestServer();
    expect((await api(server.url).get('/api/session')).status).toBe(401);
    const byKey = await api(server.url, server.keys.viewer).get('/api/session');
    expect(byKey.body.role).toBe('viewer');
  });

  it('a forged or expired cookie is a 401', async () => {
    server = await startTestServer({ sessionTtlHours: 1 / 3600 });
    for (const forged of ['x', 'A'.repeat(43), `${'A'.repeat(42)}=`]) {
      const response = await api(server.url, undefined, `${SESSION_COOKIE}=${forged}`).get('/api/session');
      expect(response.status).toBe(401);
    }
    const { cookie } = await signIn(server.url, server.keys.viewer);
    const browser = api(server.url, undefined, cookie.pair);
    expect((await browser.get('/api/session')).status).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, 1200));
    expect((await browser.get('/api/session')).status).toBe(401);
  });

  it('a session ends when its key is replaced', async () => {
    server = await startTestServer();
    const { dataDir, keys } = server;
    const { cookie } = await signIn(server.url, keys.viewer);
    await server.app.close();
    server = await startTestServer({ reuseDataDir: dataDir, apiKeys: { ...keys, viewer: 'a-brand-new-viewer-key-123' } });
    const browser = api(server.url, undefined, cookie.pair);
    expect((await browser.get('/api/session')).status).toBe(401);
    // Other roles' sessions survive a restart with their key unchanged.
    const admin = await signIn(server.url, keys.admin);
    await server.app.close();
    const restarted = await startTestServer({ reuseDataDir: dataDir, apiKeys: keys });
    server = restarted;
    const stillIn = await api(restarted.url, undefined, admin.cookie.pair).get('/api/session');
    expect(stillIn.body.role).toBe('admin');
    await restarted.close();
    const { rmSync } = await import('node:fs');
    rmSync(dataDir, { recursive: true, force: true });
    server = undefined;
  });
});
