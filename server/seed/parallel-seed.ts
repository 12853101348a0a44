/**
 * Seeds a large number of demo contexts on two threads: a worker generates and serialises
 * rows (about half of the CPU cost) while this thread writes them to the store (SQLite
 * transactions or PostgreSQL multi-row INSERTs). Used by the seed CLI and the benchmarks;
 * the server's small start-up seed (seedIfEmpty) stays single-threaded.
 */
import { Worker } from 'node:worker_threads';
import type { PreparedContext } from '../store/prepared';
import { DEMO_SEED } from './demo-data';
import type { SeedWorkerData, SeedWorkerMessage } from './seed-worker';

/** What the seeder needs from a store: both engines' insertPrepared (and SQLite's bulk mode). */
export interface BulkLoadTarget {
  /** Inserts rows whose context is already serialised; resolves to how many. */
  insertPrepared(rows: PreparedContext[]): number | Promise<number>;
  /**
   * Optional bulk-load mode; returns (or resolves to) the function that ends it, which may
   * itself be async (PostgreSQL builds its list indexes then).
   */
  beginBulkLoad?(): (() => void) | Promise<() => void | Promise<void>>;
  /**
   * How many batches may be written at once (default 1: one after another). PostgreSQL
   * writes on several connections, so that the database's work spreads over its CPUs.
   */
  readonly bulkWriters?: number;
}

export interface ParallelSeedOptions {
  seed?: number;
  now?: Date;
  /** Called after each written batch with the running total. */
  onProgress?: (inserted: number) => void;
}

const BATCH_SIZE = 5_000;
const CREDIT = 3;

/**
 * Worker threads do not inherit tsx's module hooks on Node 20, so the worker starts from a
 * tiny evaluated script that loads tsx first and then the TypeScript worker module.
 */
function workerBootstrap(): string {
  // Resolved here (ESM conditions) rather than in the worker, whose eval'd code would
  // resolve bare specifiers against the working directory.
  const tsxApi = import.meta.resolve('tsx/esm/api');
  const worker = new URL('./seed-worker.ts', import.meta.url).href;
  return `import(${JSON.stringify(tsxApi)}).then((tsx) => { tsx.register(); return import(${JSON.stringify(worker)}); });`;
}

/** Inserts `count` demo contexts (deterministic for a seed); resolves to how many. */
export async function seedInParallel(
  store: BulkLoadTarget,
  count: number,
  options: ParallelSeedOptions = {},
): Promise<number> {
  const writers = Math.max(1, Math.floor(store.bulkWriters ?? 1));
  const workerData: SeedWorkerData = {
    count,
    seed: options.seed ?? DEMO_SEED,
    now: (options.now ?? new Date()).getTime(),
    batchSize: BATCH_SIZE,
    // One batch ready for each writer, and the usual head start.
    credit: CREDIT + writers - 1,
  };
  const endBulkLoad = (await store.beginBulkLoad?.()) ?? (() => {});
  return new Promise<number>((resolve, reject) => {
    let inserted = 0;
    let finished = false;
    /** One chain of writes per writer; batch n goes to lane n % writers. */
    const lanes: Array<Promise<void>> = Array.from({ length: writers }, () => Promise.resolve());
    let batches = 0;
    /** The worker sent everything (it then exits while the last batches are written). */
    let done = false;
    const worker = new Worker(workerBootstrap(), { eval: true, workerData });
    const fail = (error: unknown): void => {
      if (finished) return;
      finished = true;
      void worker.terminate();
      reject(error instanceof Error ? error : new Error(String(error)));
    };
    worker.on('message', (message: SeedWorkerMessage) => {
      if (finished) return;
      if (message.type === 'done') {
        done = true;
        void Promise.all(lanes).then(() => {
          if (finished) return;
          finished = true;
          resolve(inserted);
        });
        return;
      }
      // Each lane writes its batches one after another, in the order the worker made them;
      // the worker's credit keeps it at most a few batches ahead.
      const lane = batches % writers;
      batches += 1;
      lanes[lane] = (lanes[lane] as Promise<void>)
        .then(() => store.insertPrepared(message.rows))
        .then(
          (n) => {
            if (finished) return;
            inserted += n;
            worker.postMessage(1);
            options.onProgress?.(inserted);
          },
          (error: unknown) => fail(error),
        );
    });
    worker.on('error', fail);
    worker.on('exit', (code) => {
      if (!finished && !done) fail(new Error(`seed worker exited with code ${code} before finishing`));
    });
  }).finally(endBulkLoad);
}
