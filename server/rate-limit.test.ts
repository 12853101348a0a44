/**
 * Rate limits over real HTTP, with small limits and a 3-second "sustained" window so the
 * whole file runs in seconds: burst and sustained windows, headers on success and on 429,
 * Retry-After, isolation per key and per class, recovery, sessions sharing their key's
 * budget, RATE_LIMITS=off, and failed sign-ins per address.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { RateLimitConfig } from './config';
import { parseRateLimits } from './config';
import { CONTEXTS, api, contextPath, createContexts, startTestServer, type ApiResult, type TestServer } from './testing';

const SUSTAINED_SECONDS = 3;
let server: TestServer | undefined;

afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function start(rateLimits: Partial<RateLimitConfig>, signInFailuresPerMinute = 10): Promise<TestServer> {
  server = await startTestServer({
    rateLimits: { read: null, write: null, delete: null, ...rateLimits },
    rateLimitWindows: { burstSeconds: 1, sustainedSeconds: SUSTAINED_SECONDS },
    signInFailuresPerMinute,
  });
  return server;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Waits until the start of a fresh burst window is certain. */
const nextSecond = () => sleep(1100);

const limitHeaders = (response: ApiResult) => ({
  limit: response.headers.get('ratelimit-limit'),
  remaining: response.headers.get('ratelimit-remaining'),
  reset: response.headers.get('ratelimit-reset'),
});

function expect429(response: ApiResult): number {
  expect(response.status).toBe(429);
  expect(response.body.error.code).toBe('rate_limited');
  const retryAfter = response.headers.get('retry-after');
  expect(retryAfter).toMatch(/^\d+$/);
  expect(Number(retryAfter)).toBeGreaterThanOrEqual(1);
  expect(response.headers.get('ratelimit-remaining')).toBe('0');
  return Number(retryAfter);
}

describe('burst window', () => {
  it('serves perSecond requests with counting-down headers, then 429 with Retry-After, then recovers', async () => {
    const { url, keys } = await start({ read: { perSecond: 5, perMinute: 1000 } });
    const viewer = api(url, keys.viewer);
    for (let i = 0; i < 5; i++) {
      const response = await viewer.get(CONTEXTS);
      expect(response.status).toBe(200);
      expect(limitHeaders(response)).toEqual({ limit: '5', remaining: String(4 - i), reset: '1' });
      expect(response.headers.get('ratelimit-policy')).toBe(`5;w=1, 1000;w=${SUSTAINED_SECONDS}`);
    }
    const refused = await viewer.get(CONTEXTS);
    expect(expect429(refused)).toBe(1);
    expect(limitHeaders(refused)).toEqual({ limit: '5', remaining: '0', reset: '1' });
    expect(refused.body.error.details).toMatchObject({ class: 'read' });

    await nextSecond();
    expect((await viewer.get(CONTEXTS)).status).toBe(200);
  });

  it('counts concurrent requests exactly', async () => {
    const { url, keys } = await start({ read: { perSecond: 5, perMinute: 1000 } });
    const viewer = api(url, keys.viewer);
    const responses = await Promise.all(Array.from({ length: 12 }, () => viewer.get(CONTEXTS)));
    expect(responses.filter((r) => r.status === 200)).toHaveLength(5);
    expect(responses.filter((r) => r.status === 429)).toHaveLength(7);
  });
});

describe('sustained window', () => {
  it('refuses past perMinute across bursts, reports that window, and recovers after it', async () => {
    const { url, keys } = await start({ read: { perSecond: 3, perMinute: 5 } });
    const viewer = api(url, keys.viewer);
    for (let i = 0; i < 3; i++) expect((await viewer.get(CONTEXTS)).status).toBe(200);
    await nextSecond();
    const fourth = await viewer.get(CONTEXTS);
    // Burst has 2 left, sustained 1: the sustained window is nearer exhaustion.
    expect(limitHeaders(fourth)).toMatchObject({ limit: '5', remaining: '1' });
    const fifth = await viewer.get(CONTEXTS);
    expect(limitHeaders(fifth)).toMatchObject({ limit: '5', remaining: '0' });
    expect(Number(fifth.headers.get('ratelimit-reset'))).toBeGreaterThanOrEqual(1);
    expect(Number(fifth.headers.get('ratelimit-reset'))).toBeLessThanOrEqual(SUSTAINED_SECONDS);

    const refused = await viewer.get(CONTEXTS);
    const retryAfter = expect429(refused);
    expect(refused.headers.get('ratelimit-limit')).toBe('5');
    expect(retryAfter).toBeLessThanOrEqual(SUSTAINED_SECONDS);

    await sleep(retryAfter * 1000 + 100);
    expect((await viewer.get(CONTEXTS)).status).toBe(200);
  });

  it('a request refused by the burst window is not charged to the sustained window', async () => {
    const { url, keys } = await start({ read: { perSecond: 2, perMinute: 5 } });
    const viewer = api(url, keys.viewer);
    const first = await Promise.all(Array.from({ length: 6 }, () => viewer.get(CONTEXTS)));
    expect(first.map((r) => r.status).sort()).toEqual([200, 200, 429, 429, 429, 429]);
    await nextSecond();
    // Had the four refusals counted, the sustained window (5) would be exhausted already.
    expect((await viewer.get(CONTEXTS)).status).toBe(200);
    expect((await viewer.get(CONTEXTS)).status).toBe(200);
    await nextSecond();
    expect((await viewer.get(CONTEXTS)).status).toBe(200);
    expect429(await viewer.get(CONTEXTS));
  });
});

describe('classes and keys', () => {
  it('every class carries the headers, on success and on errors of that class', async () => {
    const { url, keys } = await start({
      read: { perSecond: 20, perMinute: 100 },
      write: { perSecond: 10, perMinute: 50 },
      delete: { perSecond: 5, perMinute: 50 },
    });
    const admin = api(url, keys.admin);
    const [created] = await createContexts(admin, 2);
    const checks: Array<[() => Promise<ApiResult>, number, string]> = [
      [() => admin.get(CONTEXTS), 200, '20'],
      [() => admin.get(contextPath(created!.id)), 200, '20'],
      [() => admin.get(contextPath('ctx_missing')), 404, '20'],
      [() => admin.get(CONTEXTS, { query: { page: '0' } }), 400, '20'],
      [() => admin.post(CONTEXTS, { agent_id: 'x' }), 201, '10'],
      [() => admin.patch(contextPath(created!.id), { context: {} }), 200, '10'],
      [() => admin.patch(contextPath(created!.id), { nope: 1 }), 400, '10'],
      [() => admin.delete(contextPath(created!.id)), 204, '5'],
      [() => admin.delete(contextPath('ctx_missing')), 404, '5'],
    ];
    for (const [send, status, limit] of checks) {
      const response = await send();
      expect(response.status).toBe(status);
      expect(response.headers.get('ratelimit-limit')).toBe(limit);
      expect(response.headers.get('ratelimit-remaining')).toMatch(/^\d+$/);
      expect(response.headers.get('ratelimit-reset')).toMatch(/^\d+$/);
    }
  });

  it('responses outside the limited classes carry no rate-limit headers', async () => {
    const { url, keys } = await start({ read: { perSecond: 20, perMinute: 100 } });
    for (const path of ['/api/health', '/api/session', '/api/openapi.json']) {
      const response = await api(url, keys.viewer).get(path);
      expect(response.headers.get('ratelimit-limit'), path).toBeNull();
    }
  });

  it('classes are independent: an exhausted read budget leaves writes and deletes alone', async () => {
    const { url, keys } = await start({
      read: { perSecond: 2, perMinute: 100 },
      write: { perSecond: 2, perMinute: 100 },
      delete: { perSecond: 2, perMinute: 100 },
    });
    const admin = api(url, keys.admin);
    await admin.get(CONTEXTS);
    await admin.get(CONTEXTS);
    expect429(await admin.get(CONTEXTS));
    const created = await admin.post(CONTEXTS, { agent_id: 'w' });
    expect(created.status).toBe(201);
    expect((await admin.delete(contextPath(created.body.id))).status).toBe(204);
    expect429(await admin.get(CONTEXTS));
  });

  it('keys are independent: one key exhausted, the others unaffected', async () => {
    const { url, keys } = await start({ read: { perSecond: 2, perMinute: 100 } });
    const viewer = api(url, keys.viewer);
    await viewer.get(CONTEXTS);
    await viewer.get(CONTEXTS);
    expect429(await viewer.get(CONTEXTS));
    const editor = await api(url, keys.editor).get(CONTEXTS);
    expect(editor.status).toBe(200);
    expect(editor.headers.get('ratelimit-remaining')).toBe('1');
  });

  it('a session counts against the key it signed in with', async () => {
    const { url, keys } = await start({ read: { perSecond: 3, perMinute: 100 } });
    const signIn = await api(url).post('/api/session', { api_key: keys.viewer });
    const cookie = signIn.headers.get('set-cookie')!.split(';')[0]!;
    const bySession = api(url, undefined, cookie);
    const byKey = api(url, keys.viewer);
    expect((await bySession.get(CONTEXTS)).headers.get('ratelimit-remaining')).toBe('2');
    expect((await byKey.get(CONTEXTS)).headers.get('ratelimit-remaining')).toBe('1');
    expect((await bySession.get(CONTEXTS)).status).toBe(200);
    expect429(await byKey.get(CONTEXTS));
    expect429(await bySession.get(CONTEXTS));
  });

  it('session endpoints, 401s and 403s are not charged', async () => {
    const { url, keys } = await start({ read: { perSecond: 2, perMinute: 100 }, write: { perSecond: 1, perMinute: 100 } });
    const viewer = api(url, keys.viewer);
    for (let i = 0; i < 5; i++) {
      expect((await viewer.get('/api/session')).status).toBe(200);
      expect((await viewer.post(CONTEXTS, { agent_id: 'x' })).status).toBe(403);
      expect((await api(url, 'wrong-key-0000000000').get(CONTEXTS)).status).toBe(401);
    }
    const list = await viewer.get(CONTEXTS);
    expect(list.status).toBe(200);
    expect(list.headers.get('ratelimit-remaining')).toBe('1');
  });

  it('the session reports the effective limits', async () => {
    const { url, keys } = await start({ read: { perSecond: 7, perMinute: 70 }, delete: { perSecond: 1, perMinute: 9 } });
    const response = await api(url, keys.viewer).get('/api/session');
    expect(response.body).toEqual({
      role: 'viewer',
      key: { id: expect.stringMatching(/^key_/), name: 'viewer (environment)' },
      retention: { deleted_days: 7, history_days: 30 },
      rate_limits: { read: { perSecond: 7, perMinute: 70 }, write: null, delete: { perSecond: 1, perMinute: 9 } },
    });
  });
});

describe('RATE_LIMITS', () => {
  it('unset: the seeds’ figures', async () => {
    server = await startTestServer({ rateLimits: parseRateLimits(undefined) });
    const response = await api(server.url, server.keys.admin).get('/api/session');
    expect(response.body.rate_limits).toEqual({
      read: { perSecond: 20, perMinute: 100 },
      write: { perSecond: 10, perMinute: 50 },
      delete: { perSecond: 5, perMinute: 50 },
    });
    const list = await api(server.url, server.keys.admin).get(CONTEXTS);
    expect(limitHeaders(list)).toEqual({ limit: '20', remaining: '19', reset: '1' });
  });

  it('off: no limit, no headers, null limits in the session', async () => {
    server = await startTestServer({ rateLimits: parseRateLimits('off') });
    const admin = api(server.url, server.keys.admin);
    const responses = await Promise.all(Array.from({ length: 60 }, () => admin.get(CONTEXTS)));
    expect(responses.every((r) => r.status === 200)).toBe(true);
    expect(responses[0]!.headers.get('ratelimit-limit')).toBeNull();
    expect((await admin.get('/api/session')).body.rate_limits).toEqual({ read: null, write: null, delete: null });
  });
});

describe('sign-in failures', () => {
  it('are limited per address: 429 with Retry-After, even for a right key, while blocked', async () => {
    const { url, keys } = await start({}, 3);
    const anonymous = api(url);
    for (let i = 0; i < 3; i++) {
      const response = await anonymous.post('/api/session', { api_key: `wrong-${i}` });
      expect(response.status).toBe(401);
    }
    const blocked = await anonymous.post('/api/session', { api_key: keys.admin });
    expect429Like(blocked);
    // Bearer-authenticated API calls are not affected by the sign-in limiter.
    expect((await api(url, keys.admin).get(CONTEXTS)).status).toBe(200);
  });

  it('successful sign-ins are not counted', async () => {
    const { url, keys } = await start({}, 2);
    for (let i = 0; i < 5; i++) {
      expect((await api(url).post('/api/session', { api_key: keys.viewer })).status).toBe(200);
    }
  });
});

function expect429Like(response: ApiResult) {
  expect(response.status).toBe(429);
  expect(response.body.error.code).toBe('rate_limited');
  expect(Number(response.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
  expect(Number(response.headers.get('retry-after'))).toBeLessThanOrEqual(60);
}
