/**
 * A real server for API tests: buildApp on a fresh temporary DATA_DIR with known keys,
 * listening on 127.0.0.1 at a free port. Rate limits are off unless a test asks for them,
 * so that only the rate-limit tests depend on timing.
 *
 * The store is SQLite unless the test (or the environment, `TEST_STORE=postgres`, which the
 * `server:postgres` vitest project sets) asks for PostgreSQL: each such server then gets a
 * fresh database of its own on the run's test PostgreSQL, so the same API test files run
 * the whole contract matrix against both engines without a copy.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { ROLES, type Role } from '../../contract/constants';
import { buildApp, type BuildOptions } from '../app';
import { loadConfig, type DatabaseConfig, type ServerConfig } from '../config';
import { openStore } from '../store/open';
import type { ContextStore, StoreEngine } from '../store/types';
import { createTestDatabase, type TestDatabase } from './postgres';

export interface TestServer {
  url: string;
  keys: Record<Role, string>;
  store: ContextStore;
  app: FastifyInstance;
  config: ServerConfig;
  dataDir: string;
  engine: StoreEngine;
  /** PostgreSQL only: the test database's URL (other processes may share it). */
  databaseUrl?: string;
  /** Stops the server and removes its data folder and database (unless reused). */
  close(): Promise<void>;
}

export interface TestServerOptions extends Partial<ServerConfig> {
  /** Reuse a data folder (restart tests) — and, on PostgreSQL, the database of the server
   *  that first used it; neither is then removed on close. */
  reuseDataDir?: string;
  /** Capture the server's log lines. */
  logStream?: BuildOptions['logStream'];
  /** Wrap the store, e.g. to make one method fail (500 tests). */
  wrapStore?: (store: ContextStore) => ContextStore;
  /** Which engine; default TEST_STORE from the environment, else sqlite. */
  engine?: StoreEngine;
  /** PostgreSQL: use this database instead of a fresh one (multi-instance tests). */
  databaseUrl?: string;
}

/** The engine API tests run on by default: `TEST_STORE=postgres` or sqlite. */
export function defaultTestEngine(): StoreEngine {
  return process.env.TEST_STORE === 'postgres' ? 'postgres' : 'sqlite';
}

/** Fresh keys per server: tests never depend on another server's keys. */
export const testKeys = (): Record<Role, string> => {
  const suffix = randomBytes(8).toString('hex');
  return { admin: `test-admin-${suffix}`, editor: `test-editor-${suffix}`, viewer: `test-viewer-${suffix}` };
};

/** The database each data folder's first server got, so a restart finds it again. */
const databasesByDataDir = new Map<string, TestDatabase>();

/** PostgreSQL settings for test servers: a small pool and short waits. */
export const testDatabaseConfig = (url: string): DatabaseConfig => ({
  url,
  poolSize: 5,
  statementTimeoutMs: 15_000,
  connectTimeoutMs: 2_000,
});

/** Starts a test server (see the file comment). */
export async function startTestServer(options: TestServerOptions = {}): Promise<TestServer> {
  const { reuseDataDir, logStream, wrapStore, engine = defaultTestEngine(), databaseUrl, ...overrides } = options;
  const dataDir = reuseDataDir ?? mkdtempSync(join(tmpdir(), 'ecc-api-test-'));
  let database: TestDatabase | undefined;
  let ownsDatabase = false;
  if (engine === 'postgres' && databaseUrl === undefined) {
    database = databasesByDataDir.get(dataDir);
    if (database === undefined) {
      database = await createTestDatabase();
      databasesByDataDir.set(dataDir, database);
      ownsDatabase = reuseDataDir === undefined;
    }
  }
  const url = databaseUrl ?? database?.url;
  const base = loadConfig({ PORT: '0', HOST: '127.0.0.1', DATA_DIR: dataDir, SEED_CONTEXTS: '0' });
  const config: ServerConfig = {
    ...base,
    apiKeys: testKeys(),
    rateLimits: { read: null, write: null, delete: null },
    logLevel: logStream ? 'info' : 'silent',
    database: url === undefined ? null : testDatabaseConfig(url),
    ...overrides,
  };
  const buildOptions: BuildOptions = {};
  if (logStream) buildOptions.logStream = logStream;
  if (wrapStore) buildOptions.store = wrapStore(await openStore(config));
  const { app, store, keys } = await buildApp(config, buildOptions);
  await app.listen({ host: '127.0.0.1', port: 0 });
  const { port } = app.server.address() as AddressInfo;
  const allKeys = {} as Record<Role, string>;
  for (const role of ROLES) {
    const key = keys[role];
    if (key === undefined) throw new Error(`test server has no ${role} key`);
    allKeys[role] = key;
  }
  return {
    url: `http://127.0.0.1:${port}`,
    keys: allKeys,
    store,
    app,
    config,
    dataDir,
    engine,
    ...(url !== undefined ? { databaseUrl: url } : {}),
    async close() {
      const closing = app.close();
      // A keep-alive socket whose answer was still being written when close() began is not
      // idle then, and Node keeps it until the keep-alive timeout (72 s): a test server has
      // no in-flight work worth draining, so every socket goes now.
      app.server.closeAllConnections();
      await closing;
      if (!reuseDataDir) rmSync(dataDir, { recursive: true, force: true });
      if (ownsDatabase && database !== undefined) {
        databasesByDataDir.delete(dataDir);
        await database.drop();
      }
    },
  };
}
