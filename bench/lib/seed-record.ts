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

/** One seeding: wall-clock seconds, when, how many contexts, load average before/after. */
export interface SeedRecord {
  seconds: number;
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
