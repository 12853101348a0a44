import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_RATE_LIMITS } from '../contract/constants';
import { ConfigError, fastifyTrustProxy, loadConfig, parseRateLimits, parseTrustProxy } from './config';

describe('loadConfig', () => {
  it('has the documented defaults', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({
      host: '127.0.0.1',
      port: 4173,
      dataDir: resolve('./.data'),
      seedContexts: 2000,
      apiKeys: {},
      rateLimits: DEFAULT_RATE_LIMITS,
      rateLimitWindows: { burstSeconds: 1, sustainedSeconds: 60 },
      bodyLimit: 10 * 1024 * 1024,
      maxQueryStringBytes: 8192,
      sessionTtlHours: 12,
      cookieSecure: false,
      logLevel: 'info',
      trustProxy: false,
    });
  });

  it('reads every variable', () => {
    const config = loadConfig({
      PORT: '0',
      HOST: '0.0.0.0',
      DATA_DIR: '/tmp/ecc-data',
      SEED_CONTEXTS: '0',
      ADMIN_API_KEY: 'admin-key-0123456789',
      EDITOR_API_KEY: 'editor-key-0123456789',
      VIEWER_API_KEY: 'viewer-key-0123456789',
      RATE_LIMITS: 'off',
      BODY_LIMIT: '2048',
      SESSION_TTL_HOURS: '0.5',
      COOKIE_SECURE: 'true',
      LOG_LEVEL: 'warn',
      TRUST_PROXY: '2',
    });
    expect(config).toMatchObject({
      port: 0,
      host: '0.0.0.0',
      dataDir: '/tmp/ecc-data',
      seedContexts: 0,
      apiKeys: { admin: 'admin-key-0123456789', editor: 'editor-key-0123456789', viewer: 'viewer-key-0123456789' },
      rateLimits: { read: null, write: null, delete: null },
      bodyLimit: 2048,
      sessionTtlHours: 0.5,
      cookieSecure: true,
      logLevel: 'warn',
      trustProxy: 2,
    });
  });

  it('treats empty variables as unset', () => {
    expect(loadConfig({ PORT: '', RATE_LIMITS: '' }).port).toBe(4173);
  });

  it.each([
    ['PORT', 'abc'],
    ['PORT', '70000'],
    ['PORT', '-1'],
    ['PORT', '80.5'],
    ['SEED_CONTEXTS', 'many'],
    ['BODY_LIMIT', '10'],
    ['BODY_LIMIT', '1e6'],
    ['SESSION_TTL_HOURS', '0'],
    ['SESSION_TTL_HOURS', 'forever'],
    ['COOKIE_SECURE', 'maybe'],
    ['LOG_LEVEL', 'verbose'],
    ['RATE_LIMITS', 'read=20'],
    ['RATE_LIMITS', 'reads=20/100'],
    ['RATE_LIMITS', 'read=0/100'],
    ['RATE_LIMITS', 'read=200/100'],
    ['RATE_LIMITS', 'read=20/100,read=10/50'],
    ['RATE_LIMITS', 'on'],
    ['HOST', '   '],
    ['TRUST_PROXY', 'true'],
    ['TRUST_PROXY', '17'],
    ['TRUST_PROXY', '10.0.0.0/33'],
    ['TRUST_PROXY', 'proxy.internal'],
    ['TRUST_PROXY', '10.0.0.1,,10.0.0.2'],
  ])('refuses %s=%s with a message naming it', (name, value) => {
    expect(() => loadConfig({ [name]: value })).toThrow(ConfigError);
    try {
      loadConfig({ [name]: value });
    } catch (error) {
      expect((error as ConfigError).message).toContain(name);
    }
  });

  it('lists every problem at once', () => {
    try {
      loadConfig({ PORT: 'x', LOG_LEVEL: 'loud' });
      expect.unreachable();
    } catch (error) {
      expect((error as ConfigError).problems).toHaveLength(2);
    }
  });

  it('refuses short or duplicate keys without echoing them', () => {
    for (const env of [
      { ADMIN_API_KEY: 'short' },
      { ADMIN_API_KEY: 'has spaces in the key 123' },
      { ADMIN_API_KEY: 'same-key-for-both-0000', EDITOR_API_KEY: 'same-key-for-both-0000' },
    ]) {
      let message = '';
      try {
        loadConfig(env);
      } catch (error) {
        message = (error as Error).message;
      }
      expect(message).toMatch(/API_KEY/);
      for (const value of Object.values(env)) expect(message).not.toContain(value);
    }
  });
});

describe('parseRateLimits', () => {
  it('unset: the seeds’ figures; off: none', () => {
    expect(parseRateLimits(undefined)).toEqual(DEFAULT_RATE_LIMITS);
    expect(parseRateLimits('OFF')).toEqual({ read: null, write: null, delete: null });
  });

  it('custom per class; classes left out keep the defaults; a class may be off', () => {
    expect(parseRateLimits('read=20/100,write=10/50,delete=5/50')).toEqual(DEFAULT_RATE_LIMITS);
    expect(parseRateLimits(' read=200/5000 , delete=off')).toEqual({
      read: { perSecond: 200, perMinute: 5000 },
      write: DEFAULT_RATE_LIMITS.write,
      delete: null,
    });
  });
});

describe('parseTrustProxy', () => {
  it('off unless set: unset, empty, off, false and 0 trust no proxy', () => {
    for (const raw of [undefined, '', ' ', 'off', 'FALSE', '0']) expect(parseTrustProxy(raw)).toBe(false);
  });

  it('a whole number is a count of trusted hops', () => {
    expect(parseTrustProxy('1')).toBe(1);
    expect(parseTrustProxy(' 16 ')).toBe(16);
  });

  it('otherwise a comma list of addresses, CIDRs, netmasks and proxy-addr’s named ranges', () => {
    expect(parseTrustProxy('10.0.0.0/8, 192.168.1.7,fd00::/8, ::1, 172.16.0.0/255.240.0.0, loopback')).toEqual([
      '10.0.0.0/8',
      '192.168.1.7',
      'fd00::/8',
      '::1',
      '172.16.0.0/255.240.0.0',
      'loopback',
    ]);
  });

  it.each(['true', 'on', '*', '17', '10.0.0.0/33', '::1/129', '10.0.0.0/8/1', 'lb.internal', '10.0.0.1,', '256.0.0.1'])(
    'refuses %j with a reason',
    (raw) => expect(() => parseTrustProxy(raw)).toThrow(/./),
  );

  it('hands Fastify a hop function (Fastify ≥ 5.12 reads a bare number as "trust nothing")', () => {
    expect(fastifyTrustProxy(false)).toBe(false);
    expect(fastifyTrustProxy(['10.0.0.0/8'])).toEqual(['10.0.0.0/8']);
    const hops = fastifyTrustProxy(2);
    expect(typeof hops).toBe('function');
    if (typeof hops !== 'function') return;
    expect([0, 1, 2].map((hop) => hops('203.0.113.1', hop))).toEqual([true, true, false]);
  });
});
