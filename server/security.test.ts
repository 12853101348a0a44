/**
 * The claims of SECURITY.md that no other test file proves, each test named after the
 * claim it proves ("S3: …"). SECURITY.md lists every claim with the test that covers it;
 * the claims proven elsewhere (headers, roles, rate limits…) point to those files.
 * Everything over real HTTP against a real SQLite file in a temporary folder.
 */
import { randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { KEY_FILE_NAME, sha256Hex } from './auth/keys';
import { loadConfig } from './config';
import { DATABASE_FILE, openSqliteStore, type SqliteContextStore } from './store/sqlite/sqlite-store';
import { CONTEXTS, api, contextPath, startTestServer, type TestServer, type TestServerOptions } from './testing';

const servers: TestServer[] = [];
const dirs: string[] = [];

afterEach(async () => {
  for (const server of servers.splice(0)) await server.close();
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

async function start(options: TestServerOptions = {}): Promise<TestServer> {
  const server = await startTestServer(options);
  servers.push(server);
  return server;
}

/** A folder that does not exist yet, inside a temporary one removed after the test. */
function freshPath(): string {
  const parent = mkdtempSync(join(tmpdir(), 'ecc-security-test-'));
  dirs.push(parent);
  return join(parent, 'data');
}

function captureLogs() {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk, _encoding, callback) {
      lines.push(String(chunk));
      callback();
    },
  });
  const entries = () =>
    lines
      .join('')
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line) as Record<string, unknown> & { msg?: string; req?: { remoteAddress?: string } });
  return { stream, text: () => lines.join(''), entries };
}

const modeOf = (path: string) => statSync(path).mode & 0o777;

/** Every file in `dir` with its permission bits, e.g. { 'contexts.sqlite': 0o600 }. */
const fileModes = (dir: string) => Object.fromEntries(readdirSync(dir).map((name) => [name, modeOf(join(dir, name))]));

/** The database and its WAL as raw bytes (what someone copying the files would get). */
const databaseBytes = (dataDir: string): Buffer =>
  Buffer.concat(
    ['', '-wal'].map((suffix) => {
      try {
        return readFileSync(join(dataDir, `${DATABASE_FILE}${suffix}`));
      } catch {
        return Buffer.alloc(0);
      }
    }),
  );

const signIn = (url: string, apiKey: string, headers: Record<string, string> = {}) =>
  api(url).post('/api/session', { api_key: apiKey }, { headers });

describe('S3, S4: private data files', () => {
  it('S3: a fresh DATA_DIR is created 0700 and every file in it is 0600, also after the store wrote its WAL', async () => {
    const dataDir = freshPath();
    // Keys from the file, so the key file is among the files checked.
    const server = await start({ reuseDataDir: dataDir, apiKeys: {} });
    expect(modeOf(dataDir)).toBe(0o700);

    const admin = api(server.url, server.keys.admin);
    for (let i = 0; i < 5; i++) expect((await admin.post(CONTEXTS, { agent_id: `agent-${i}`, context: { i } })).status).toBe(201);
    expect((await signIn(server.url, server.keys.viewer)).status).toBe(200);

    const modes = fileModes(dataDir);
    // WAL mode: the write-ahead log and its index exist while the store is open.
    expect(Object.keys(modes).sort()).toEqual(
      [DATABASE_FILE, `${DATABASE_FILE}-shm`, `${DATABASE_FILE}-wal`, KEY_FILE_NAME].sort(),
    );
    for (const [name, mode] of Object.entries(modes)) expect([name, mode.toString(8)]).toEqual([name, '600']);
    expect(statSync(join(dataDir, `${DATABASE_FILE}-wal`)).size).toBeGreaterThan(0);
  });

  it('S4: an existing folder open to others (0755) and a database file readable by others (0644) are narrowed, with a warning in the log', async () => {
    const dataDir = freshPath();
    mkdirSync(dataDir);
    chmodSync(dataDir, 0o755);
    const store = openSqliteStore(dataDir);
    store.createSync({ agent_id: 'a', context_json: '{"kept":true}' });
    store.closeSync();
    chmodSync(dataDir, 0o755);
    const databaseFile = join(dataDir, DATABASE_FILE);
    chmodSync(databaseFile, 0o644);

    const logs = captureLogs();
    const server = await start({ reuseDataDir: dataDir, logStream: logs.stream });
    expect(modeOf(dataDir)).toBe(0o700);
    for (const [name, mode] of Object.entries(fileModes(dataDir))) expect([name, mode.toString(8)]).toEqual([name, '600']);

    const warnings = logs.entries().filter((entry) => entry.level === 40).map((entry) => entry.msg ?? '');
    expect(warnings).toEqual(
      expect.arrayContaining([
        expect.stringContaining(`${dataDir} was open to other accounts (mode 0755)`),
        expect.stringContaining(`${databaseFile} was readable by others (mode 0644)`),
      ]),
    );
    // Nothing was lost by narrowing.
    expect((await api(server.url, server.keys.viewer).get(CONTEXTS)).body.data).toHaveLength(1);
  });
});

describe('S1: what the store keeps', () => {
  it('S1: the database files hold SHA-256 hashes of keys and session tokens, never a key or a token', async () => {
    const server = await start();
    const response = await signIn(server.url, server.keys.editor);
    const token = /ecc_session=([^;]+)/.exec(response.headers.get('set-cookie') ?? '')?.[1];
    expect(token).toBeDefined();

    const bytes = databaseBytes(server.dataDir);
    for (const secret of [...Object.values(server.keys), token!]) {
      expect(bytes.includes(Buffer.from(secret))).toBe(false);
      expect(bytes.includes(Buffer.from(sha256Hex(secret)))).toBe(true);
    }
  });
});

describe('S6: the session cookie', () => {
  it('S6: ecc_session is HttpOnly, SameSite=Strict, Path=/api, with Max-Age from SESSION_TTL_HOURS; Secure only with COOKIE_SECURE', async () => {
    for (const cookieSecure of [false, true]) {
      const server = await start({ cookieSecure, sessionTtlHours: 2 });
      const cookie = (await signIn(server.url, server.keys.viewer)).headers.get('set-cookie') ?? '';
      const attributes = cookie.split(';').slice(1).map((part) => part.trim().toLowerCase());
      expect(attributes).toEqual(expect.arrayContaining(['httponly', 'samesite=strict', 'path=/api', 'max-age=7200']));
      expect(attributes.includes('secure')).toBe(cookieSecure);
    }
  });
});

describe('S13: TRUST_PROXY and the client address', () => {
  const forwarded = (i: number) => ({ 'x-forwarded-for': `203.0.113.${i}`, forwarded: `for=198.51.100.${i}` });

  it('S13: off (the default), eleven failed sign-ins from one socket with eleven different X-Forwarded-For/Forwarded values → the eleventh is 429', async () => {
    const server = await start({ rateLimits: loadConfig({ RATE_LIMITS: 'off' }).rateLimits });
    expect(server.config.trustProxy).toBe(false);
    expect(server.config.signInFailuresPerMinute).toBe(10);
    for (let i = 1; i <= 10; i++) expect((await signIn(server.url, `wrong-key-${i}`, forwarded(i))).status).toBe(401);
    const eleventh = await signIn(server.url, 'wrong-key-11', forwarded(11));
    expect(eleventh.status).toBe(429);
    expect(eleventh.body.error.code).toBe('rate_limited');
    expect(Number(eleventh.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
  });

  it('S13: off, the log names the socket’s address, not a forwarded one', async () => {
    const logs = captureLogs();
    const server = await start({ logStream: logs.stream });
    await api(server.url).get('/api/health', { headers: forwarded(7) });
    const addresses = logs.entries().flatMap((entry) => (entry.req?.remoteAddress ? [entry.req.remoteAddress] : []));
    expect(addresses.length).toBeGreaterThan(0);
    expect(new Set(addresses)).toEqual(new Set(['127.0.0.1']));
    expect(logs.text()).not.toMatch(/203\.0\.113\.7|198\.51\.100\.7/);
  });

  it('S13: TRUST_PROXY=1, two clients that differ only in X-Forwarded-For are limited separately; the log shows the forwarded address', async () => {
    const logs = captureLogs();
    const server = await start({ trustProxy: loadConfig({ TRUST_PROXY: '1' }).trustProxy, logStream: logs.stream });
    const first = { 'x-forwarded-for': '203.0.113.1' };
    const second = { 'x-forwarded-for': '203.0.113.2' };
    for (let i = 0; i < 10; i++) expect((await signIn(server.url, `wrong-${i}`, first)).status).toBe(401);
    expect((await signIn(server.url, 'wrong-again', first)).status).toBe(429);
    // The other client, same socket address (the balancer), is not blocked.
    expect((await signIn(server.url, 'wrong-once', second)).status).toBe(401);
    expect((await signIn(server.url, server.keys.viewer, second)).status).toBe(200);
    // Only the hop the balancer appended counts: a client cannot pick its address by
    // prepending entries of its own.
    expect((await signIn(server.url, 'wrong-spoof', { 'x-forwarded-for': '203.0.113.2, 203.0.113.1' })).status).toBe(429);

    const addresses = new Set(logs.entries().flatMap((entry) => (entry.req?.remoteAddress ? [entry.req.remoteAddress] : [])));
    expect(addresses).toEqual(new Set(['203.0.113.1', '203.0.113.2']));
  });

  it('S13: TRUST_PROXY as addresses: forwarded addresses count only when the socket’s peer is in the list', async () => {
    const trusted = await start({ trustProxy: loadConfig({ TRUST_PROXY: '127.0.0.1/8, ::1' }).trustProxy });
    for (let i = 0; i < 10; i++) await signIn(trusted.url, `wrong-${i}`, { 'x-forwarded-for': '203.0.113.1' });
    expect((await signIn(trusted.url, 'wrong', { 'x-forwarded-for': '203.0.113.1' })).status).toBe(429);
    expect((await signIn(trusted.url, 'wrong', { 'x-forwarded-for': '203.0.113.2' })).status).toBe(401);

    // The balancer lives elsewhere: this socket's peer (127.0.0.1) is not a trusted proxy.
    const untrusted = await start({ trustProxy: loadConfig({ TRUST_PROXY: '10.0.0.0/8' }).trustProxy });
    for (let i = 0; i < 10; i++) await signIn(untrusted.url, `wrong-${i}`, { 'x-forwarded-for': `203.0.113.${i}` });
    expect((await signIn(untrusted.url, 'wrong', { 'x-forwarded-for': '203.0.113.99' })).status).toBe(429);
  });
});

describe('S9, S15: headers', () => {
  it('S9: helmet’s hardening headers besides the CSP (tested in app.test.ts) on API answers and pages', async () => {
    const server = await start();
    for (const path of ['/api/health', '/']) {
      const response = await fetch(`${server.url}${path}`);
      await response.arrayBuffer();
      expect(Object.fromEntries(response.headers)).toMatchObject({
        'cross-origin-opener-policy': 'same-origin',
        'cross-origin-resource-policy': 'same-origin',
        'origin-agent-cluster': '?1',
        'referrer-policy': 'no-referrer',
        'x-content-type-options': 'nosniff',
        'x-frame-options': 'SAMEORIGIN',
        'x-permitted-cross-domain-policies': 'none',
      });
    }
  });

  it('S15: no CORS: a cross-origin caller gets no Access-Control-* header, and writes need Content-Type: application/json', async () => {
    const server = await start();
    const origin = { origin: 'https://elsewhere.example' };
    const preflight = await fetch(`${server.url}${CONTEXTS}`, {
      method: 'OPTIONS',
      headers: { ...origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' },
    });
    await preflight.arrayBuffer();
    const read = await api(server.url, server.keys.viewer).get(CONTEXTS, { headers: origin });
    for (const response of [preflight, read]) {
      expect([...response.headers.keys()].filter((name) => name.startsWith('access-control-'))).toEqual([]);
    }
    // What a cross-site HTML form can send (text/plain, form-encoded) is refused before
    // anything is read.
    for (const type of ['text/plain', 'application/x-www-form-urlencoded']) {
      const response = await api(server.url, server.keys.admin).request('POST', CONTEXTS, {
        rawBody: '{"agent_id":"x"}',
        headers: { 'content-type': type },
      });
      expect(response.status).toBe(415);
    }
    expect((await api(server.url, server.keys.viewer).get(CONTEXTS)).body.data).toEqual([]);
  });
});

describe('S12: the failed sign-in limit', () => {
  it('S12: holds with RATE_LIMITS=off, and blocks even the right key while blocked', async () => {
    const server = await start({ rateLimits: { read: null, write: null, delete: null } });
    for (let i = 0; i < 10; i++) await signIn(server.url, `wrong-${i}`);
    expect((await signIn(server.url, server.keys.admin)).status).toBe(429);
  });
});

describe('S17: deletion', () => {
  /** Creates a small and a large (overflow pages) context whose text is easy to find. */
  async function createSecrets(admin: ReturnType<typeof api>) {
    const small = `erase-me-${randomBytes(8).toString('hex')}`;
    // Large enough to spill into overflow pages (8 KiB pages), which SQLite frees separately.
    const large = `erase-me-too-${randomBytes(8).toString('hex')}`;
    const ids: string[] = [];
    for (const context of [{ note: small }, { note: large, padding: 'x'.repeat(40_000) }]) {
      const created = await admin.post(CONTEXTS, { agent_id: 'privacy', context });
      expect(created.status).toBe(201);
      ids.push(created.body.id as string);
    }
    return { small, large, ids };
  }

  function expectGoneFromFiles(server: TestServer, texts: string[]) {
    // Once the WAL is checkpointed (SQLite does so by itself every ~1,000 pages), nothing of
    // the deleted contexts is left in either file.
    (server.store as SqliteContextStore).db.pragma('wal_checkpoint(TRUNCATE)');
    const bytes = databaseBytes(server.dataDir);
    for (const text of texts) expect(bytes.includes(Buffer.from(text))).toBe(false);
  }

  it('S17: with DELETED_RETENTION_DAYS=0 a deleted context is gone for good at once: 404 through the API, and its bytes are overwritten in the database file', async () => {
    const server = await start({ history: { historyDays: 30, maxVersions: 200, deletedDays: 0, pruneIntervalMs: 600_000 } });
    const admin = api(server.url, server.keys.admin);
    const { small, large, ids } = await createSecrets(admin);
    expect(databaseBytes(server.dataDir).includes(Buffer.from(small))).toBe(true);

    for (const id of ids) expect((await admin.delete(contextPath(id))).status).toBe(204);
    for (const id of ids) expect((await admin.get(contextPath(id))).status).toBe(404);
    for (const id of ids) expect((await admin.post(`/api/ai/deleted-execution-contexts/${id}/restore`)).status).toBe(404);
    expectGoneFromFiles(server, [small, large]);
  });

  it('S17: with the default retention a deleted context is 404 through the API at once, and an admin\'s erase overwrites its bytes (content and versions)', async () => {
    const server = await start();
    const admin = api(server.url, server.keys.admin);
    const { small, large, ids } = await createSecrets(admin);
    for (const id of ids) expect((await admin.delete(contextPath(id))).status).toBe(204);
    for (const id of ids) expect((await admin.get(contextPath(id))).status).toBe(404);
    for (const id of ids) expect((await admin.delete(`/api/ai/deleted-execution-contexts/${id}`)).status).toBe(204);
    expectGoneFromFiles(server, [small, large]);
  });
});

describe('S20: readiness', () => {
  it('S20: /api/ready answers 200 ready without a key while the store answers; so does /api/health', async () => {
    const server = await start();
    const ready = await api(server.url).get('/api/ready');
    expect(ready.status).toBe(200);
    expect(ready.body).toEqual({ status: 'ready' });
    expect(ready.headers.get('cache-control')).toBe('no-store');
    expect((await api(server.url).get('/api/health')).body).toEqual({ status: 'ok' });
  });

  it('S20: a store whose ping fails → 503 unavailable with Retry-After on /api/ready and /api/health; the cause only in the log', async () => {
    const logs = captureLogs();
    const server = await start({
      logStream: logs.stream,
      wrapStore: (store) =>
        Object.assign(Object.create(store) as typeof store, {
          ping: () => Promise.reject(new Error('connect ECONNREFUSED db.internal:5432')),
        }),
    });
    const ready = await api(server.url).get('/api/ready');
    expect(ready.status).toBe(503);
    expect(ready.body).toEqual({ error: { code: 'unavailable', message: expect.any(String) } });
    expect(Number(ready.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(ready.text).not.toContain('db.internal');
    expect(logs.text()).toContain('ECONNREFUSED');
    const health = await api(server.url).get('/api/health');
    expect(health.status).toBe(503);
    expect(health.body).toEqual({ error: { code: 'unavailable', message: expect.any(String) } });
    expect(Number(health.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(health.text).not.toContain('db.internal');
  });

  it('S20: /api/health asks the store at most once a second, however often it is polled', async () => {
    let pings = 0;
    const server = await start({
      wrapStore: (store) =>
        Object.assign(Object.create(store) as typeof store, {
          ping: () => {
            pings += 1;
            return store.ping();
          },
        }),
    });
    const answers = await Promise.all(Array.from({ length: 20 }, () => api(server.url).get('/api/health')));
    expect(answers.every((a) => a.status === 200)).toBe(true);
    for (let i = 0; i < 10; i += 1) expect((await api(server.url).get('/api/health')).status).toBe(200);
    // 30 probes within well under a second or two: one or two pings, never one per probe.
    expect(pings).toBeGreaterThanOrEqual(1);
    expect(pings).toBeLessThanOrEqual(3);
  });

  it('S20: a store that does not answer within 2 s, or is closed, is not ready', async () => {
    const hanging = await start({
      wrapStore: (store) =>
        Object.assign(Object.create(store) as typeof store, { ping: () => new Promise<void>(() => {}) }),
    });
    const started = Date.now();
    expect((await api(hanging.url).get('/api/ready')).status).toBe(503);
    expect(Date.now() - started).toBeLessThan(5_000);

    const closed = await start();
    await closed.store.close();
    const response = await api(closed.url).get('/api/ready');
    expect(response.status).toBe(503);
    expect(response.body.error.code).toBe('unavailable');
  });

  it('S20: a database whose schema is not fully migrated is not ready', async () => {
    const server = await start();
    const db = (server.store as SqliteContextStore).db;
    const version = db.pragma('user_version', { simple: true }) as number;
    db.pragma(`user_version = ${version - 1}`);
    expect((await api(server.url).get('/api/ready')).status).toBe(503);
    db.pragma(`user_version = ${version}`);
    expect((await api(server.url).get('/api/ready')).status).toBe(200);
  });
});
