/**
 * Seeds the store with demo contexts:
 *
 *   npm run seed -- --count 1000000 [--data-dir ./.data] [--seed 1] [--if-empty]
 *
 * The data dir defaults to DATA_DIR, then ./.data (as the server). Rows are appended to
 * whatever the store holds unless --if-empty is given. Prints progress and the time taken.
 */
import os from 'node:os';
import { parseArgs } from 'node:util';
import { DEMO_SEED } from './seed/demo-data';
import { seedInParallel } from './seed/parallel-seed';
import { openSqliteStore } from './store/sqlite-store';

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
const dataDir = values['data-dir'] ?? process.env.DATA_DIR ?? './.data';

const store = openSqliteStore(dataDir);
try {
  const existing = store.count();
  if (values['if-empty'] && existing > 0) {
    console.log(`${store.filePath} already holds ${existing.toLocaleString('en')} contexts; nothing to do.`);
  } else {
    console.log(`Seeding ${count.toLocaleString('en')} contexts into ${store.filePath} (seed ${seed})…`);
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
  }
} finally {
  store.close();
}
