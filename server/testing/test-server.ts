/**
 * A real server for API tests: buildApp on a fresh temporary DATA_DIR with known keys,
 * listening on 127.0.0.1 at a free port. Rate limits are off unless a test asks for them,
 * so that only the rate-limit tests depend on timing.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import type { Role } from '../../contract/constants';
import { buildApp, type BuildOptions } from '../app';
import { loadConfig, type ServerConfig } from '../config';
import { openSqliteStore } from '../store/sqlite-store';
import type { ContextStore } from '../store/types';

export interface TestServer {
  url: string;
  keys: Record<Role, string>;
  store: ContextStore;
  app: FastifyInstance;
  config: ServerConfig;
  dataDir: string;
  /** Stops the server and removes its data folder (unless keepDataDir). */
  close(): Promise<void>;
}

export interface TestServerOptions extends Partial<ServerConfig> {
  /** Reuse a data folder (restart tests); it is then not removed on close. */
  reuseDataDir?: string;
  /** Capture the server's log lines. */
  logStream?: BuildOptions['logStream'];
  /** Wrap the SQLite store, e.g. to make one method fail (500 tests). */
  wrapStore?: (store: ContextStore) => ContextStore;
}

/** Fresh keys per server: tests never depend on another server's keys. */
export const testKeys = (): Record<Role, string> => {
  const suffix = randomBytes(8).toString('hex');
  return { admin: `test-admin-${suffix}`, editor: `test-editor-${suffix}`, viewer: `test-viewer-${suffix}` };
};

export async function startTestServer(options: TestServerOptions = {}): Promise<TestServer> {
  const { reuseDataDir, logStream, wrapStore, ...overrides } = options;
  const dataDir = reuseDataDir ?? mkdtempSync(join(tmpdir(), 'ecc-api-test-'));
  const base = loadConfig({ PORT: '0', HOST: '127.0.0.1', DATA_DIR: dataDir, SEED_CONTEXTS: '0' });
  const config: ServerConfig = {
    ...base,
    apiKeys: testKeys(),
    rateLimits: { read: null, write: null, delete: null },
    logLevel: logStream ? 'info' : 'silent',
    ...overrides,
  };
  const buildOptions: BuildOptions = {};
  if (logStream) buildOptions.logStream = logStream;
  if (wrapStore) buildOptions.store = wrapStore(openSqliteStore(dataDir));
  const { app, store, keys } = await buildApp(config, buildOptions);
  await app.listen({ host: '127.0.0.1', port: 0 });
  const { port } = app.server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    keys,
    store,
    app,
    config,
    dataDir,
    async close() {
      await app.close();
      if (!reuseDataDir) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
