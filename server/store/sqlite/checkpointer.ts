/**
 * WAL checkpoints off the request path (SQLite store, server only).
 *
 * In WAL mode every commit appends to the -wal file, and by default the connection that
 * commits copies the WAL back into the database file once it passes 1,000 pages
 * (`wal_autocheckpoint`), fsyncing both, inside that request. A 5 MiB context write fills
 * the WAL past that mark at once, so nearly every large write paid for a checkpoint too:
 * ~27 ms of a 5 MiB POST's ~120 ms in the store, and most of its spread (bench:api
 * `large`). This runs the checkpoints on a worker thread with its own connection instead:
 * a PASSIVE checkpoint (https://sqlite.org/c3ref/wal_checkpoint_v2.html) never takes the
 * write lock, so writers and readers go on while it copies, on the other CPU.
 *
 * The store's own connection keeps a high `wal_autocheckpoint` (SAFETY_AUTOCHECKPOINT_PAGES)
 * while this runs, as a backstop should the worker fall behind or stop.
 */
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

/** How often the worker checkpoints (ms): each run is cheap when the WAL holds nothing new. */
export const CHECKPOINT_INTERVAL_MS = 200;
/** The store connection's wal_autocheckpoint while the worker runs: 128 MiB of 8 KiB pages. */
export const SAFETY_AUTOCHECKPOINT_PAGES = 16_384;

/** What one checkpoint did: WAL frames in the log, and how many of them are now in the database. */
export interface CheckpointResult {
  log: number;
  checkpointed: number;
}

export interface Checkpointer {
  /** The last checkpoint that copied frames (null: none yet). */
  readonly last: CheckpointResult | null;
  /** How many checkpoints copied frames so far. */
  readonly count: number;
  /** Stops the worker and closes its connection. */
  stop(): Promise<void>;
}

/**
 * The worker: plain CommonJS (no TypeScript, so no loader hooks are needed in the thread),
 * with better-sqlite3 resolved by the parent. busy_timeout 0: a checkpoint that finds
 * another one running skips its turn instead of waiting.
 */
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.module);
const db = new Database(workerData.file, { fileMustExist: true });
db.pragma('busy_timeout = 0');
const timer = setInterval(() => {
  try {
    const [row] = db.pragma('wal_checkpoint(PASSIVE)');
    if (row && row.checkpointed > 0) parentPort.postMessage({ log: row.log, checkpointed: row.checkpointed });
  } catch (error) {
    if (!String(error && error.code).startsWith('SQLITE_BUSY')) parentPort.postMessage({ error: String(error && error.message) });
  }
}, workerData.intervalMs);
parentPort.on('message', () => {
  clearInterval(timer);
  db.close();
  parentPort.close();
});
`;

/**
 * Starts checkpointing `file` (a WAL-mode SQLite database) on a worker thread. `onError`
 * hears of a failed checkpoint or a worker that stopped; `onExit` runs when the worker is
 * gone for any reason other than stop() (the store then checkpoints itself again).
 */
export function startCheckpointer(
  file: string,
  onError: (error: Error) => void,
  onExit: () => void,
  intervalMs = CHECKPOINT_INTERVAL_MS,
): Checkpointer {
  const module = createRequire(import.meta.url).resolve('better-sqlite3');
  const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { file, module, intervalMs } });
  // The worker never keeps the process alive: stopping the server must not wait for it.
  worker.unref();
  let stopping = false;
  const state: { last: CheckpointResult | null; count: number } = { last: null, count: 0 };
  worker.on('message', (message: CheckpointResult | { error: string }) => {
    if ('error' in message) onError(new Error(`WAL checkpoint failed: ${message.error}`));
    else {
      state.last = message;
      state.count += 1;
    }
  });
  worker.on('error', (error) => onError(error));
  worker.on('exit', () => {
    if (!stopping) onExit();
  });
  return {
    get last() {
      return state.last;
    },
    get count() {
      return state.count;
    },
    async stop() {
      if (stopping) return;
      stopping = true;
      const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
      worker.postMessage('stop');
      // A worker stuck in a long checkpoint is ended rather than waited for.
      const timeout = setTimeout(() => void worker.terminate(), 2_000);
      await exited;
      clearTimeout(timeout);
    },
  };
}
