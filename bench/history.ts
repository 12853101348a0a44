/**
 * History cost (issue 11): `node --import tsx bench/history.ts`.
 *
 * A 1 MB context updated 1,000 times by small edits (one number changed at a random place
 * each time), through the store exactly as PATCH calls it, on two fresh SQLite stores side
 * by side: one with history on (every update records a version + an audit event in its
 * transaction), one with history off (HISTORY_RETENTION_DAYS=0: the audit event only).
 * Each edit is applied to both, in alternating order, so other load on the machine lands on
 * both alike. Reports:
 *
 * - history size: bytes of the versions' stored content, and the growth of the database
 *   file (after a checkpoint) compared with the history-off store — budget ≤ 50 MB;
 * - update time p50/p95 per store call with history on and off — budget p95 ratio ≤ 1.3 —
 *   and the CPU time per call (this process: the store is in-process), which other load
 *   hardly moves. Each update also re-indexes the context's search text (issue 10), in
 *   both stores alike: most of a 1 MB update's time.
 *
 * Writes bench/results/history.json.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { openSqliteStore } from '../server/store/sqlite/sqlite-store';
import type { WriteMeta } from '../server/store/accountability-types';
import { pairOrder } from './lib/paired';

const EDITS = Number(process.env.BENCH_HISTORY_EDITS ?? 1000);
const TARGET_BYTES = 1024 * 1024;
const SIZE_BUDGET_BYTES = 50 * 1024 * 1024;
const P95_RATIO_BUDGET = 1.3;
const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));

/** A compact JSON object of about 1 MB, and where each item's number sits. */
function bigContext(): string {
  const items: string[] = [];
  let length = 12;
  for (let i = 0; length < TARGET_BYTES; i += 1) {
    const item = `{"n":${100000 + i},"label":"item ${i} of the agent's working set","done":${i % 3 === 0}}`;
    items.push(item);
    length += item.length + 1;
  }
  return `{"items":[${items.join(',')}]}`;
}

/** Deterministic pseudo-random numbers (the same edits in both runs). */
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1_103_515_245 + 12_345) % 2 ** 31;
    return state / 2 ** 31;
  };
}

const percentile = (values: number[], p: number): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
};

function fileBytes(dir: string): number {
  return fs
    .readdirSync(dir)
    .filter((name) => name.startsWith('contexts.sqlite'))
    .reduce((sum, name) => sum + fs.statSync(path.join(dir, name)).size, 0);
}

/** One of the two stores: history on or off. */
function open(recordVersion: boolean, text: string) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ecc-bench-history-'));
  const store = openSqliteStore(dir);
  const meta: WriteMeta = {
    actor: { key_id: 'key_bench', name: 'bench', role: 'editor' },
    client_ip: '127.0.0.1',
    recordVersion,
    keepDeleted: true,
  };
  const id = store.createSync({ agent_id: 'bench', context_json: text }, meta).context.id;
  const times: number[] = [];
  const cpu: number[] = [];
  return {
    dir,
    store,
    times,
    cpu,
    update(i: number, next: string) {
      const cpuStart = process.cpuUsage();
      const start = performance.now();
      const result = store.updateSync(id, { context_json: next }, undefined, meta);
      times.push(performance.now() - start);
      const used = process.cpuUsage(cpuStart);
      cpu.push((used.user + used.system) / 1000);
      if (result.kind !== 'updated') throw new Error(`update ${i}: ${result.kind}`);
    },
  };
}

type Side = ReturnType<typeof open>;

function finish({ dir, store, times, cpu }: Side, text: string) {
  store.db.pragma('wal_checkpoint(TRUNCATE)');
  const versions = store.db
    .prepare<[], { n: number; bytes: number; full: number }>(
      "SELECT count(*) AS n, coalesce(sum(length(content)), 0) AS bytes, sum(encoding = 'full') AS full FROM context_versions",
    )
    .get();
  const bytes = fileBytes(dir);
  store.closeSync();
  fs.rmSync(dir, { recursive: true, force: true });
  return {
    contextBytes: Buffer.byteLength(text),
    fileBytes: bytes,
    versions: versions?.n ?? 0,
    fullVersions: versions?.full ?? 0,
    versionContentBytes: versions?.bytes ?? 0,
    p50Ms: Number(percentile(times, 50).toFixed(2)),
    p95Ms: Number(percentile(times, 95).toFixed(2)),
    cpuP50Ms: Number(percentile(cpu, 50).toFixed(2)),
    cpuP95Ms: Number(percentile(cpu, 95).toFixed(2)),
  };
}

const loadBefore = os.loadavg();
let text = bigContext();
const sides = { on: open(true, text), off: open(false, text) };
const next = random(42);
for (let i = 0; i < EDITS; i += 1) {
  // One small edit: change one item's number.
  const at = text.indexOf('"n":', Math.floor(next() * (text.length - 100)));
  const end = text.indexOf(',', at);
  text = `${text.slice(0, at)}"n":${Math.floor(next() * 1e9)}${text.slice(end)}`;
  for (const side of pairOrder(i, sides.on, sides.off)) side.update(i, text);
}
const on = finish(sides.on, text);
const off = finish(sides.off, text);
const loadAfter = os.loadavg();
const historyBytes = on.fileBytes - off.fileBytes;
const ratio = on.p95Ms / Math.max(off.p95Ms, 0.001);
const result = {
  measuredAt: new Date().toISOString(),
  edits: EDITS,
  contextBytes: on.contextBytes,
  historyOn: on,
  historyOff: off,
  historyBytesOnDisk: historyBytes,
  historyBudgetBytes: SIZE_BUDGET_BYTES,
  p95Ratio: Number(ratio.toFixed(2)),
  p95RatioBudget: P95_RATIO_BUDGET,
  withinBudgets: historyBytes <= SIZE_BUDGET_BYTES && ratio <= P95_RATIO_BUDGET,
  note: 'the two stores updated edit by edit in alternating order; CPU = this process (the store is in-process); each update also re-indexes the search text (both stores)',
  loadBefore,
  loadAfter,
};
fs.mkdirSync(path.join(root, 'bench', 'results'), { recursive: true });
fs.writeFileSync(path.join(root, 'bench', 'results', 'history.json'), `${JSON.stringify(result, null, 2)}\n`);
console.log(
  [
    `context ${(on.contextBytes / 1024 / 1024).toFixed(2)} MB × ${EDITS} small edits`,
    `history on disk: ${(historyBytes / 1024 / 1024).toFixed(2)} MB (budget 50 MB); versions ${on.versions} (${on.fullVersions} full), content ${(on.versionContentBytes / 1024 / 1024).toFixed(2)} MB`,
    `store update p50/p95: history on ${on.p50Ms}/${on.p95Ms} ms, off ${off.p50Ms}/${off.p95Ms} ms → p95 ratio ${ratio.toFixed(2)} (budget ${P95_RATIO_BUDGET})`,
    `CPU per update p50/p95: history on ${on.cpuP50Ms}/${on.cpuP95Ms} ms, off ${off.cpuP50Ms}/${off.cpuP95Ms} ms`,
    `load average ${loadBefore[0]?.toFixed(1)} before, ${loadAfter[0]?.toFixed(1)} after`,
  ].join('\n'),
);
