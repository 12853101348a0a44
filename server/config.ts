/**
 * Environment variables → ServerConfig. Every value is validated here, once, so that a
 * typo (PORT=80a, RATE_LIMITS=read=20) stops the server at start with a message naming the
 * variable instead of misbehaving later. Key values are never echoed in messages.
 */
import { isIP } from 'node:net';
import { INDEX_CANDIDATES } from './store/search';
import { resolve } from 'node:path';
import {
  DELETED_RETENTION_DAYS_DEFAULT,
  HISTORY_MAX_VERSIONS_DEFAULT,
  HISTORY_RETENTION_DAYS_DEFAULT,
} from '../contract/accountability';
import type { HistorySettings } from './history/settings';
import { z } from 'zod';
import {
  DEFAULT_RATE_LIMITS,
  RATE_LIMIT_CLASSES,
  ROLES,
  type RateLimitClass,
  type RateLimitRule,
  type Role,
} from '../contract/constants';

/** Per class: the rule, or null when that class is not limited. */
export type RateLimitConfig = Record<RateLimitClass, RateLimitRule | null>;

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export interface ServerConfig {
  host: string;
  port: number;
  /** Absolute path of the folder holding the database and the generated key file. */
  dataDir: string;
  /** Demo contexts created when the store is empty at start. */
  seedContexts: number;
  /** Keys given in the environment, per role. Roles left out use the key file. */
  apiKeys: Partial<Record<Role, string>>;
  rateLimits: RateLimitConfig;
  /**
   * Lengths of the burst and sustained windows. Always 1 s and 60 s in production (no
   * environment variable sets them); the API tests shorten the sustained window so that
   * "recovers after the window" takes seconds.
   */
  rateLimitWindows: { burstSeconds: number; sustainedSeconds: number };
  /** Failed sign-ins allowed per client address and minute. */
  signInFailuresPerMinute: number;
  /** Largest request body in bytes. */
  bodyLimit: number;
  /** Longest query string in bytes; longer → 414. */
  maxQueryStringBytes: number;
  sessionTtlHours: number;
  cookieSecure: boolean;
  logLevel: LogLevel;
  /**
   * Version history and deletion (issue 11): HISTORY_RETENTION_DAYS (0 keeps no history),
   * HISTORY_MAX_VERSIONS per context, DELETED_RETENTION_DAYS (0: deletes are final), and
   * how often the background pruning runs (no environment variable; tests shorten it).
   */
  history: HistorySettings;
  /**
   * Which proxies in front may name the client (Fastify's `trustProxy`): false = none, the
   * socket's peer is the client and X-Forwarded-For is ignored; a number = that many hops
   * are trusted; a list = proxies at these addresses/CIDRs (or proxy-addr's `loopback`,
   * `linklocal`, `uniquelocal`) are trusted.
   */
  trustProxy: TrustProxy;
  /** The built dashboard (vite's outDir). */
  distDir: string;
  /** PostgreSQL when DATABASE_URL is set (the store shared by several instances); null: SQLite in dataDir. */
  database: DatabaseConfig | null;
  /**
   * Most contexts one list request with q/where examines when no index answers it (the
   * bound on a search's work per request; the next_cursor resumes the scan). Issue 10.
   */
  searchScanRows: number;
  /**
   * Most contexts the text index may name for a q to be answered from it (else the bounded
   * scan). 20,000 in production (no environment variable); tests lower it.
   */
  searchIndexCandidates: number;
}

/** How to reach PostgreSQL (DATABASE_* variables). */
export interface DatabaseConfig {
  /** `postgres://…`; holds a password, so it is never logged or echoed. */
  url: string;
  /** Connections per server process. */
  poolSize: number;
  /** Server-side limit per SQL statement, ms; 0 = none. */
  statementTimeoutMs: number;
  /** Wait for a free or new connection before answering 503, ms. */
  connectTimeoutMs: number;
  /** TLS: undefined leaves it to the URL's sslmode. */
  ssl?: 'off' | 'require' | 'verify';
  /** CA certificate (PEM file) for ssl = verify. */
  sslCaFile?: string;
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** See ServerConfig.trustProxy. */
export type TrustProxy = false | number | string[];

/** Named ranges that @fastify/proxy-addr (behind Fastify's trustProxy) understands. */
const NAMED_RANGES = ['loopback', 'linklocal', 'uniquelocal'] as const;

/** Longest proxy chain worth naming by count; more hops is a configuration mistake. */
const MAX_TRUSTED_HOPS = 16;

/** One `address`, `address/prefix` or `address/netmask` entry of TRUST_PROXY, or a problem. */
function trustedAddressProblem(entry: string): string | null {
  if ((NAMED_RANGES as readonly string[]).includes(entry)) return null;
  const [address = '', suffix, ...extra] = entry.split('/');
  const family = isIP(address);
  if (family === 0 || extra.length > 0) return `"${entry}" is not an IP address or CIDR (e.g. 10.0.0.0/8)`;
  if (suffix === undefined) return null;
  const maxPrefix = family === 4 ? 32 : 128;
  if (/^\d{1,3}$/.test(suffix) && Number(suffix) <= maxPrefix) return null;
  if (family === 4 && isIP(suffix) === 4) return null; // 10.0.0.0/255.0.0.0
  return `"${entry}" has a bad prefix length (0 to ${maxPrefix})`;
}

/**
 * TRUST_PROXY: unset, `off`, `false` or `0` → false (trust no proxy); a whole number 1–16
 * → that many hops; otherwise a comma list of proxy addresses, CIDRs (`10.0.0.0/8`,
 * `fd00::/8`) or the named ranges `loopback`, `linklocal`, `uniquelocal`. `true` is
 * refused on purpose: trusting every hop lets any client pick its own address (the
 * failed sign-in limit then limits nobody). Throws an Error whose message names the fault.
 */
export function parseTrustProxy(raw: string | undefined): TrustProxy {
  const spec = raw?.trim().toLowerCase() ?? '';
  if (spec === '' || spec === 'off' || spec === 'false' || spec === '0') return false;
  if (spec === 'true' || spec === 'on' || spec === 'all' || spec === '*') {
    throw new Error(
      'must not trust every proxy (any client could then choose its address); give the number of proxies in front, e.g. 1, or their addresses',
    );
  }
  if (/^\d+$/.test(spec)) {
    const hops = Number(spec);
    if (hops > MAX_TRUSTED_HOPS) throw new Error(`must be at most ${MAX_TRUSTED_HOPS} hops`);
    return hops;
  }
  const entries = spec.split(',').map((entry) => entry.trim());
  if (entries.some((entry) => entry === '')) throw new Error('has an empty entry in its list');
  for (const entry of entries) {
    const problem = trustedAddressProblem(entry);
    if (problem !== null) throw new Error(`${problem}; use off, a number of hops, or a comma list of addresses/CIDRs`);
  }
  return entries;
}

/**
 * ServerConfig.trustProxy → Fastify's `trustProxy` option. A hop count becomes a function
 * (`i < hops`: the socket's peer is hop 0): Fastify 5.12+ deliberately treats a bare number
 * as "trust nothing", because a count cannot tell a proxy from a client that connects
 * directly — which is why the README recommends the balancer's addresses over a count.
 */
export function fastifyTrustProxy(trust: TrustProxy): false | string[] | ((address: string, hop: number) => boolean) {
  if (typeof trust === 'number') return (_address, hop) => hop < trust;
  return trust;
}

const RULE_PATTERN = /^(\d{1,6})\/(\d{1,7})$/;

/**
 * `off` | `read=20/100,write=10/50,delete=5/50` (per second / per minute); a class may be
 * `off` alone (`delete=off`) and a class left out keeps the seeds' figures.
 */
export function parseRateLimits(raw: string | undefined): RateLimitConfig {
  const defaults: RateLimitConfig = { ...DEFAULT_RATE_LIMITS };
  if (raw === undefined || raw.trim() === '') return defaults;
  const spec = raw.trim();
  if (spec.toLowerCase() === 'off') return { read: null, write: null, delete: null };

  const result = defaults;
  const seen = new Set<string>();
  for (const part of spec.split(',')) {
    const [name, value, ...extra] = part.trim().split('=');
    if (!name || value === undefined || extra.length > 0) {
      throw new Error(`"${part.trim()}" is not class=perSecond/perMinute`);
    }
    if (!(RATE_LIMIT_CLASSES as readonly string[]).includes(name)) {
      throw new Error(`unknown class "${name}" (use ${RATE_LIMIT_CLASSES.join(', ')})`);
    }
    if (seen.has(name)) throw new Error(`class "${name}" is given twice`);
    seen.add(name);
    const cls = name as RateLimitClass;
    if (value.toLowerCase() === 'off') {
      result[cls] = null;
      continue;
    }
    const match = RULE_PATTERN.exec(value);
    if (!match) throw new Error(`"${value}" for ${cls} is not perSecond/perMinute, e.g. 20/100`);
    const perSecond = Number(match[1]);
    const perMinute = Number(match[2]);
    if (perSecond < 1 || perMinute < 1) throw new Error(`limits for ${cls} must be at least 1`);
    if (perSecond > perMinute) throw new Error(`${cls}: the per-second limit exceeds the per-minute limit`);
    result[cls] = { perSecond, perMinute };
  }
  return result;
}

const intFromEnv = (min: number, max: number) =>
  z
    .string()
    .trim()
    .regex(/^\d+$/, 'must be a whole number')
    .transform(Number)
    .refine((n) => n >= min && n <= max, `must be between ${min} and ${max}`);

const booleanFromEnv = z
  .string()
  .trim()
  .toLowerCase()
  .refine((v) => ['true', 'false', '1', '0', 'yes', 'no'].includes(v), 'must be true or false')
  .transform((v) => v === 'true' || v === '1' || v === 'yes');

/**
 * A key from the environment. At least 16 characters: a short key is guessable, and the
 * sign-in limiter is per address, not global.
 */
const apiKeyFromEnv = z
  .string()
  .refine((v) => v.length >= 16 && v.length <= 500, 'must be 16 to 500 characters long')
  .refine((v) => /^[\x21-\x7e]+$/.test(v), 'must be printable ASCII without spaces');

const envSchema = z.object({
  PORT: intFromEnv(0, 65_535).default(4173),
  HOST: z.string().trim().min(1, 'must not be empty').default('127.0.0.1'),
  DATA_DIR: z.string().trim().min(1, 'must not be empty').default('./.data'),
  SEED_CONTEXTS: intFromEnv(0, 10_000_000).default(2000),
  ADMIN_API_KEY: apiKeyFromEnv.optional(),
  EDITOR_API_KEY: apiKeyFromEnv.optional(),
  VIEWER_API_KEY: apiKeyFromEnv.optional(),
  RATE_LIMITS: z.string().optional(),
  // 1 KiB minimum: below that even a small context cannot be saved.
  BODY_LIMIT: intFromEnv(1024, 1024 * 1024 * 1024).default(10 * 1024 * 1024),
  SESSION_TTL_HOURS: z
    .string()
    .trim()
    .regex(/^\d+(\.\d+)?$/, 'must be a number of hours')
    .transform(Number)
    .refine((n) => n > 0 && n <= 24 * 365, 'must be more than 0 and at most 8760')
    .default(12),
  COOKIE_SECURE: booleanFromEnv.default(false),
  LOG_LEVEL: z.enum(LOG_LEVELS).default('info'),
  TRUST_PROXY: z.string().optional(),
  DATABASE_URL: z
    .string()
    .trim()
    .refine((v) => /^postgres(ql)?:\/\/\S+$/.test(v), 'must be a postgres:// or postgresql:// URL')
    .optional(),
  DATABASE_POOL_SIZE: intFromEnv(1, 1000).default(10),
  DATABASE_STATEMENT_TIMEOUT_MS: intFromEnv(0, 3_600_000).default(15_000),
  DATABASE_CONNECT_TIMEOUT_MS: intFromEnv(100, 600_000).default(5_000),
  DATABASE_SSL: z.enum(['off', 'require', 'verify']).optional(),
  DATABASE_SSL_CA: z.string().trim().min(1).optional(),
  SEARCH_SCAN_ROWS: intFromEnv(1, 10_000_000).default(10_000),
  HISTORY_RETENTION_DAYS: intFromEnv(0, 36_500).default(HISTORY_RETENTION_DAYS_DEFAULT),
  HISTORY_MAX_VERSIONS: intFromEnv(1, 100_000).default(HISTORY_MAX_VERSIONS_DEFAULT),
  DELETED_RETENTION_DAYS: intFromEnv(0, 3_650).default(DELETED_RETENTION_DAYS_DEFAULT),
});

/** Variables whose values are secrets: a problem report names them without their value. */
const SECRET_VARIABLES = new Set(['ADMIN_API_KEY', 'EDITOR_API_KEY', 'VIEWER_API_KEY', 'DATABASE_URL']);

const KEY_VARIABLES: Record<Role, 'ADMIN_API_KEY' | 'EDITOR_API_KEY' | 'VIEWER_API_KEY'> = {
  admin: 'ADMIN_API_KEY',
  editor: 'EDITOR_API_KEY',
  viewer: 'VIEWER_API_KEY',
};

/** Reads the server's configuration; throws ConfigError listing every bad variable. */
export function loadConfig(env: Record<string, string | undefined> = process.env): ServerConfig {
  // An empty variable (`PORT=`) means "not set", as in most shells' `VAR= cmd` habit.
  const present = Object.fromEntries(
    Object.keys(envSchema.shape).flatMap((name) => {
      const value = env[name];
      return value === undefined || value === '' ? [] : [[name, value]];
    }),
  );
  const parsed = envSchema.safeParse(present);
  const problems: string[] = [];
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const name = String(issue.path[0] ?? 'environment');
      const shown = SECRET_VARIABLES.has(name) ? '' : ` (got ${JSON.stringify(present[name])})`; // fidelity-ok: an environment value in a message
      problems.push(`${name} ${issue.message}${shown}`);
    }
  }

  let rateLimits: RateLimitConfig = { ...DEFAULT_RATE_LIMITS };
  try {
    rateLimits = parseRateLimits(present.RATE_LIMITS);
  } catch (error) {
    problems.push(`RATE_LIMITS ${(error as Error).message}`);
  }
  let trustProxy: TrustProxy = false;
  try {
    trustProxy = parseTrustProxy(present.TRUST_PROXY);
  } catch (error) {
    problems.push(`TRUST_PROXY ${(error as Error).message} (got ${JSON.stringify(present.TRUST_PROXY)})`); // fidelity-ok: an environment value in a message
  }

  if (!parsed.success || problems.length > 0) throw new ConfigError(problems);
  const values = parsed.data;

  const apiKeys: Partial<Record<Role, string>> = {};
  for (const role of ROLES) {
    const key = values[KEY_VARIABLES[role]];
    if (key !== undefined) apiKeys[role] = key;
  }
  const distinct = new Set(Object.values(apiKeys));
  if (distinct.size !== Object.keys(apiKeys).length) {
    // One key for two roles would make the role of a request ambiguous.
    throw new ConfigError(['ADMIN_API_KEY, EDITOR_API_KEY and VIEWER_API_KEY must differ']);
  }

  return {
    host: values.HOST,
    port: values.PORT,
    dataDir: resolve(values.DATA_DIR),
    seedContexts: values.SEED_CONTEXTS,
    apiKeys,
    rateLimits,
    rateLimitWindows: { burstSeconds: 1, sustainedSeconds: 60 },
    signInFailuresPerMinute: 10,
    bodyLimit: values.BODY_LIMIT,
    maxQueryStringBytes: 8 * 1024,
    sessionTtlHours: values.SESSION_TTL_HOURS,
    cookieSecure: values.COOKIE_SECURE,
    logLevel: values.LOG_LEVEL,
    history: {
      historyDays: values.HISTORY_RETENTION_DAYS,
      maxVersions: values.HISTORY_MAX_VERSIONS,
      deletedDays: values.DELETED_RETENTION_DAYS,
      pruneIntervalMs: 10 * 60_000,
    },
    trustProxy,
    distDir: resolve(import.meta.dirname, '..', 'dist'),
    searchScanRows: values.SEARCH_SCAN_ROWS,
    searchIndexCandidates: INDEX_CANDIDATES,
    database:
      values.DATABASE_URL === undefined
        ? null
        : {
            url: values.DATABASE_URL,
            poolSize: values.DATABASE_POOL_SIZE,
            statementTimeoutMs: values.DATABASE_STATEMENT_TIMEOUT_MS,
            connectTimeoutMs: values.DATABASE_CONNECT_TIMEOUT_MS,
            ...(values.DATABASE_SSL !== undefined ? { ssl: values.DATABASE_SSL } : {}),
            ...(values.DATABASE_SSL_CA !== undefined ? { sslCaFile: resolve(values.DATABASE_SSL_CA) } : {}),
          },
  };
}
