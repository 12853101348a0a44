/**
 * Seeds the store with demo contexts:
 *
 *   npm run seed -- --count 1000000 [--data-dir ./.data] [--seed 1] [--if-empty]
 *
 * The store is the server's: PostgreSQL when DATABASE_URL is set (multi-row INSERTs of a
 * few thousand rows each, on two connections; into an empty table the list indexes are
 * dropped first and built again at the end), else the SQLite file in --data-dir, DATA_DIR,
 * then ./.data.
 * Rows are appended to whatever the store holds unless --if-empty is given. Prints
 * progress and the time taken.
 */
import os from 'node:os';
import { parseArgs } from 'node:util';
import { DEMO_SEED } from './seed/demo-data';
import { seedInParallel } from './seed/parallel-seed';
import { ConfigError, loadConfig } from './config';
import { openStore } from './store/open';
import { searchIndexState } from './store/postgres/migrations';
import { PostgresContextStore } from './store/postgres/postgres-store';
import { SqliteContextStore } from './store/sqlite/sqlite-store';

const USAGE = 'usage: npm run seed -- --count <n> [--data-dir <dir>] [--seed <n>] [--if-empty]';

function wholeNumber(name: string, raw: string | undefined, fallback: number): number {
  if (raw === undefined) return fallback;
  if (!/^\d+$/.test(raw)) {
    console.error(`--${name} must be a whole number, got "${raw}"\n${USAGE}`);
    process.exit(2);
  }
  return Number(raw);
}

const { values } = parseArgs({
  options: {
    count: { type: 'string' },
    'data-dir': { type: 'string' },
    seed: { type: 'string' },
    'if-empty': { type: 'boolean', default: false },
    help: { type: 'boolean', short: 'h', default: false },
  },
});
if (values.help) {
  console.log(USAGE);
  process.exit(0);
}
const count = wholeNumber('count', values.count, 2000);
const seed = wholeNumber('seed', values.seed, DEMO_SEED);
let config;
try {
  config = loadConfig({ ...process.env, ...(values['data-dir'] !== undefined ? { DATA_DIR: values['data-dir'] } : {}) });
} catch (error) {
  if (!(error instanceof ConfigError)) throw error;
  console.error(error.message);
  process.exit(2);
}

const store = await openStore(config);
if (!(store instanceof SqliteContextStore || store instanceof PostgresContextStore)) throw new Error('unknown store');
// Never print DATABASE_URL: it holds the password.
const where = store instanceof SqliteContextStore ? store.filePath : 'the PostgreSQL database of DATABASE_URL';
try {
  const existing = await store.count();
  if (values['if-empty'] && existing > 0) {
    console.log(`${where} already holds ${existing.toLocaleString('en')} contexts; nothing to do.`);
  } else {
    console.log(`Seeding ${count.toLocaleString('en')} contexts into ${where} (seed ${seed})…`);
    const started = performance.now();
    const cpuBefore = process.cpuUsage();
    // A line every ~5%, so a long run shows life.
    const step = Math.max(10_000, Math.ceil(count / 20 / 10_000) * 10_000);
    let nextReport = step;
    const inserted = await seedInParallel(store, count, {
      seed,
      onProgress: (done) => {
        if (done < nextReport) return;
        nextReport += step;
        const seconds = (performance.now() - started) / 1000;
        console.log(`  ${done.toLocaleString('en')} rows, ${seconds.toFixed(1)} s`);
      },
    });
    const seconds = (performance.now() - started) / 1000;
    const cpu = process.cpuUsage(cpuBefore);
    console.log(
      `Inserted ${inserted.toLocaleString('en')} contexts in ${seconds.toFixed(1)} s ` +
        `(${Math.round(inserted / Math.max(seconds, 0.001)).toLocaleString('en')} rows/s); ` +
        `the store now holds ${(existing + inserted).toLocaleString('en')}.`,
    );
    // Wall time depends on what else the machine runs; CPU time (both threads) and the
    // load average say how much of it was this job.
    console.log(
      `CPU time ${((cpu.user + cpu.system) / 1e6).toFixed(1)} s (writer + generator threads); ` +
        `load average ${os.loadavg()[0]?.toFixed(1)} on ${os.cpus().length} CPUs.`,
    );
    if (store instanceof PostgresContextStore && (await searchIndexState(store.pool)) !== 'valid') {
      // A load into an empty table dropped the trigram index; a server builds it again.
      console.log(
        'Search: the trigram index is rebuilt in the background by a server running on this database (or the next to start) ' +
          '(CREATE INDEX CONCURRENTLY, a few minutes per 1,000,000 contexts); until then q finds contexts by scanning.',
      );
    }
    if (store instanceof SqliteContextStore) {
      const pending = store.pendingSearchCount();
      if (pending > 0) {
        // The load deferred FTS5 indexing (beginBulkLoad); the server finishes it.
        console.log(
          `Search: ${pending.toLocaleString('en')} contexts join the search index in the background while a server ` +
            `runs on this store (about 15 s per 100,000 demo contexts); until then q finds them by scanning.`,
        );
      }
    }
  }
} finally {
  await store.close();
}
