/**
 * Where the benchmarks keep their stores, and how long seeding each one took, so that
 * `bench:api` and `bench:search` share one 1,000,000-context store per engine (seeding it
 * takes minutes) and both report the seeding time of the run that filled it.
 *
 * A record is a small JSON file next to the store (`<store>.seeded.json`), written right
 * after a seeding and read by any later run that reuses the store.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { seedInParallel, type BulkLoadTarget } from '../../server/seed/parallel-seed';

/** One seeding: wall-clock seconds, when, how many contexts, load average before/after. */
export interface SeedRecord {
  /** The load (seedInParallel): every context stored, listed, read and found by search. */
  seconds: number;
  /**
   * After the load, the server's background work on the search index, run to its end with
   * nothing else running: SQLite's indexer catching up (indexPendingSync at its server
   * pace), PostgreSQL's `CREATE INDEX CONCURRENTLY` of the trigram index.
   */
  indexSeconds?: number;
  date: string;
  rows: number;
  loadBefore: number[];
  loadAfter: number[];
}

/**
 * The SQLite data folder the benchmarks share: `BENCH_DATA_DIR`, else
 * `os.tmpdir()/ecc-bench-1m` for 1,000,000 contexts and `ecc-bench-<rows>` otherwise.
 */
export const benchSqliteDir = (rows: number): string =>
  process.env.BENCH_DATA_DIR ?? path.join(os.tmpdir(), rows === 1_000_000 ? 'ecc-bench-1m' : `ecc-bench-${rows}`);

/** The record file of a store (a folder or a path naming the database). */
export const seedRecordFile = (store: string): string => `${store}.seeded.json`;

/** The record, or null when there is none (or it is unreadable, or for another row count). */
export function readSeedRecord(file: string, rows: number): SeedRecord | null {
  try {
    // fidelity-ok: our own small record of numbers and dates, never context data.
    const record = JSON.parse(fs.readFileSync(file, 'utf8')) as SeedRecord;
    return record.rows === rows ? record : null;
  } catch {
    return null;
  }
}

export function writeSeedRecord(file: string, record: SeedRecord): void {
  // fidelity-ok: our own small record, never context data.
  fs.writeFileSync(file, `${JSON.stringify(record, null, 2)}\n`);
}

/** A store the benches seed: a bulk-load target, and its background search-index work. */
export type SeedTarget = BulkLoadTarget & {
  /** SQLite: one step of the background indexer. */
  indexPendingSync?: () => number;
  /** PostgreSQL: the background build of the trigram index (its seconds; null: none needed). */
  ensureSearchIndex?: () => Promise<number | null>;
};

/**
 * Seeds `rows` demo contexts (the seed CLI's code path, seedInParallel) and times it; on
 * SQLite then runs the background indexer's catch-up to the end (finishIndexing) and times
 * that apart. Writes the record next to the store (both benches report it) and returns it.
 */
export async function seedAndRecord(store: SeedTarget, rows: number, where: string, recordFile: string): Promise<SeedRecord> {
  console.log(`Seeding ${rows.toLocaleString('en')} contexts into ${where} (kept for later runs)…`);
  const loadBefore = os.loadavg();
  const started = performance.now();
  const step = Math.max(5_000, Math.round(rows / 10 / 5_000) * 5_000);
  await seedInParallel(store, rows, {
    onProgress: (n) => {
      if (n % step === 0) console.log(`  ${n.toLocaleString('en')} rows, ${((performance.now() - started) / 1000).toFixed(1)} s`);
    },
  });
  const seconds = Math.round((performance.now() - started) / 100) / 10;
  console.log(`Seeded in ${seconds.toFixed(1)} s.`);
  const record: SeedRecord = { seconds, date: new Date().toISOString(), rows, loadBefore, loadAfter: os.loadavg() };
  const indexSeconds = await finishIndexing(store);
  if (indexSeconds !== null) record.indexSeconds = indexSeconds;
  writeSeedRecord(recordFile, record);
  return record;
}

/**
 * Runs the store's background search-index work to its end, so that searches are measured
 * on the complete index: SQLite's indexer (indexPendingSync, its server chunk size) until
 * nothing is pending, PostgreSQL's trigram index build. Returns its seconds (null: nothing
 * was left to do).
 */
export async function finishIndexing(store: SeedTarget): Promise<number | null> {
  if (store.ensureSearchIndex !== undefined) {
    const built = await store.ensureSearchIndex();
    if (built !== null) console.log(`Trigram index built (CREATE INDEX CONCURRENTLY) in ${built.toFixed(1)} s.`);
    return built === null ? null : Math.round(built * 10) / 10;
  }
  if (store.indexPendingSync === undefined) return null;
  const started = performance.now();
  let moved = 0;
  let lastReport = started;
  for (let n = store.indexPendingSync(); n > 0; n = store.indexPendingSync()) {
    moved += n;
    if (performance.now() - lastReport > 10_000) {
      lastReport = performance.now();
      console.log(`  search index: ${moved.toLocaleString('en')} contexts, ${((lastReport - started) / 1000).toFixed(1)} s`);
    }
  }
  if (moved === 0) return null;
  const seconds = Math.round((performance.now() - started) / 100) / 10;
  console.log(`Search index caught up with ${moved.toLocaleString('en')} contexts in ${seconds.toFixed(1)} s.`);
  return seconds;
}
