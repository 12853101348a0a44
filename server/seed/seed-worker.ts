/**
 * Worker thread of the parallel seeder (see parallel-seed.ts): generates and serialises
 * demo contexts, posting them in batches while the main thread writes the previous ones.
 * Flow control: it may run at most `credit` batches ahead of the writer, so memory stays
 * bounded however slow the disk is.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { prepareContext, type PreparedContext } from '../store/prepared';
import { generateDemoContexts } from './demo-data';
import { searchTextOf } from '../../contract/search/search-text';

export interface SeedWorkerData {
  count: number;
  seed: number;
  /** ms since the epoch: the newest possible created_at. */
  now: number;
  batchSize: number;
  /** Batches that may be in flight before the worker waits for the writer. */
  credit: number;
}

export type SeedWorkerMessage = { type: 'batch'; rows: PreparedContext[] } | { type: 'done' };

async function run(port: NonNullable<typeof parentPort>, data: SeedWorkerData): Promise<void> {
  let credit = data.credit;
  let wake: (() => void) | null = null;
  // Each message from the writer returns one batch's credit.
  port.on('message', () => {
    credit += 1;
    wake?.();
    wake = null;
  });
  const send = async (rows: PreparedContext[]): Promise<void> => {
    while (credit === 0) await new Promise<void>((resolve) => (wake = resolve));
    credit -= 1;
    port.postMessage({ type: 'batch', rows } satisfies SeedWorkerMessage);
  };

  let batch: PreparedContext[] = [];
  for (const input of generateDemoContexts(data.count, { seed: data.seed, now: new Date(data.now) })) {
    const row = prepareContext(input);
    // Computed here, beside the generation, rather than on the writing thread (the
    // stores' bulk inserts take it as given: SQLite's insertPrepared).
    if (row.context_json !== null) row.search_text = searchTextOf(row.context_json);
    batch.push(row);
    if (batch.length >= data.batchSize) {
      await send(batch);
      batch = [];
    }
  }
  if (batch.length > 0) await send(batch);
  port.postMessage({ type: 'done' } satisfies SeedWorkerMessage);
  port.close();
}

if (parentPort !== null) {
  void run(parentPort, workerData as SeedWorkerData);
}
