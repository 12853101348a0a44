/**
 * Crash-test writer for server/durability.test.ts:
 *
 *   node --import tsx server/testing/write-burst.ts <data-dir>
 *
 * Creates and updates contexts as fast as it can, and after each call returns (so after
 * its commit) prints one acknowledgement line: `created <id>` or `updated <id> <version>`.
 * The test kills it with SIGKILL mid-burst and checks that every acknowledged write is in
 * the database. stdout to a pipe is synchronous on Linux, so a printed line is never
 * ahead of, nor lost behind, the write it acknowledges.
 */
import { openSqliteStore } from '../store/sqlite/sqlite-store';

const dataDir = process.argv[2];
if (dataDir === undefined) {
  console.error('usage: write-burst.ts <data-dir>');
  process.exit(2);
}

const store = openSqliteStore(dataDir);
const ids: string[] = [];
const deadline = Date.now() + 120_000; // never outlive a test that forgot to kill us
process.stdout.write('ready\n');
for (let i = 0; Date.now() < deadline; i += 1) {
  if (i % 4 === 3 && ids.length > 0) {
    const id = ids[(i * 7919) % ids.length] as string;
    const result = store.updateSync(id, { context_json: `{"step":${i},"note":"${'x'.repeat(i % 5_000)}"}` });
    if (result.kind === 'updated') process.stdout.write(`updated ${id} ${result.stored.version}\n`);
  } else {
    // Mostly small rows, now and then a large one (overflow pages, a longer commit).
    const size = i % 50 === 0 ? 200_000 : i % 300;
    const { context } = store.createSync({
      agent_id: `agent_${i % 13}`,
      workflow_id: 'wf_durability',
      context_json: `{"i":${i},"payload":"${'é'.repeat(size)}"}`,
      status: i % 2 === 0 ? 'running' : 'completed',
    });
    ids.push(context.id);
    process.stdout.write(`created ${context.id}\n`);
  }
}
store.closeSync();
