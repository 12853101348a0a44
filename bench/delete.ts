/**
 * Bulk-delete pace against the real server with the seeds' limits: `npm run bench:delete`.
 *
 * 1. Inserts 120 contexts straight into a fresh SQLite store (the store module; creating
 *    them through the API would spend minutes of the write limit, 50 per minute).
 * 2. Starts the real server on it as a child process (`node --import tsx server/main.ts`,
 *    PORT=0, RATE_LIMITS unset, so the seeds' limits: deletes 5/s and 50/min).
 * 3. Deletes the 120 with the dashboard's own delete queue (`startDeleteJob`) and the same
 *    `RateBudget` class the browser uses, configured with the seeds' delete limits; the
 *    only difference from the browser is `deleteOne`, here a Node fetch with the Bearer key.
 * 4. Compares the elapsed time with the ideal the limits allow — request i may start at
 *    max(floor(i / 5) s, floor(i / 50) · 60 s), so the last of 120 at 120 s, plus one
 *    request's latency — and counts 429 answers (budget 0: nobody else uses the key).
 * 5. Prints a table and writes bench/results/delete.json (read by bench/report.mjs).
 *
 * Budgets: achieved rate / allowed rate ≥ 0.95; 429 responses = 0.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { DEFAULT_RATE_LIMITS } from '../contract/constants';
import { ApiError, parseRateLimit } from '../src/lib/api-client';
import { RateBudget } from '../src/lib/rate-budget';
import { budgetWindows, startDeleteJob, type DeleteJobSnapshot } from '../src/features/bulk-delete/lib/delete-queue';
import { DATABASE_FILE, openSqliteStore } from '../server/store/sqlite/sqlite-store';
import { startBenchServer, type BenchServer } from './lib/server';

const COUNT = 120;
const ADMIN_KEY = 'bench-delete-admin-key-0123456789';
const LIMITS = DEFAULT_RATE_LIMITS.delete;
const RATIO_BUDGET = 0.95;
const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const API = '/api/ai/execution-contexts';

// ---------------------------------------------------------------------------------------
// 1. The store

async function seedStore(dataDir: string): Promise<string[]> {
  const store = openSqliteStore(dataDir);
  try {
    await store.insertMany(
      Array.from({ length: COUNT }, (_, i) => ({
        agent_id: 'bench_delete',
        workflow_id: 'wf_cleanup',
        session_id: `session_${i}`,
        context: { current_step: 'done', progress: 100, note: `bench row ${i}` },
        status: 'idle' as const,
      })),
    );
  } finally {
    store.closeSync();
  }
  const db = new Database(path.join(dataDir, DATABASE_FILE), { readonly: true });
  try {
    return db.prepare<[], string>('SELECT id FROM execution_contexts ORDER BY created_at DESC, id DESC').pluck().all();
  } finally {
    db.close();
  }
}

// ---------------------------------------------------------------------------------------
// 2. The server

function startServer(dataDir: string) {
  // The seeds' limits: whatever the caller's shell says.
  return startBenchServer({ DATA_DIR: dataDir, SEED_CONTEXTS: '0', ADMIN_API_KEY: ADMIN_KEY, RATE_LIMITS: undefined });
}

// ---------------------------------------------------------------------------------------
// 3. The delete, with the dashboard's queue

interface RequestLog {
  /** ms since the job started. */
  start: number;
  ms: number;
  status: number;
}

interface ErrorBodyLike {
  error?: { code?: string; message?: string };
}

async function runDelete(base: string, ids: string[]): Promise<{ snapshot: DeleteJobSnapshot; log: RequestLog[]; elapsedMs: number }> {
  const log: RequestLog[] = [];
  const t0 = performance.now();
  // What the browser does, minus the browser: throw the same ApiError on a non-2xx answer
  // and hand the RateLimit-* headers back to the job.
  const deleteOne = async (id: string, signal: AbortSignal) => {
    const start = performance.now();
    const response = await fetch(`${base}${API}/${encodeURIComponent(id)}`, {
      method: 'DELETE',
      headers: { Authorization: `Bearer ${ADMIN_KEY}` },
      signal,
    });
    const text = await response.text();
    log.push({ start: start - t0, ms: performance.now() - start, status: response.status });
    if (!response.ok) {
      let body: ErrorBodyLike | null;
      try {
        body = JSON.parse(text) as ErrorBodyLike;
      } catch {
        body = null;
      }
      const retryAfter = response.headers.get('Retry-After');
      throw new ApiError({
        status: response.status,
        code: (body?.error?.code as ApiError['code'] | undefined) ?? 'unexpected_response',
        message: body?.error?.message ?? `HTTP ${response.status}`,
        retryAfterSeconds: retryAfter === null ? undefined : Number(retryAfter),
      });
    }
    return { rateLimit: parseRateLimit(response.headers) };
  };

  const budget = new RateBudget({ windows: budgetWindows(LIMITS) });
  let lastPrint = 0;
  const job = startDeleteJob({ ids, deleteOne, budget, limits: LIMITS });
  job.subscribe(() => {
    const { counts } = job.getSnapshot();
    const now = performance.now();
    if (now - lastPrint > 5_000 || counts.remaining === 0) {
      lastPrint = now;
      console.log(`  ${String(counts.done).padStart(3)} / ${counts.total} done after ${((now - t0) / 1000).toFixed(1)} s`);
    }
  });
  const snapshot = await job.promise;
  return { snapshot, log, elapsedMs: performance.now() - t0 };
}

// ---------------------------------------------------------------------------------------
// 4. The ideal and the figures

/** The brief's ideal: request i may start at max(floor(i/5) s, floor(i/50) · 60 s). */
const idealStartMs = (i: number) => Math.max(Math.floor(i / LIMITS.perSecond) * 1000, Math.floor(i / LIMITS.perMinute) * 60_000);

/** Most request starts inside any window of `windowMs` (sliding). */
function maxInWindow(starts: number[], windowMs: number): number {
  const sorted = [...starts].sort((a, b) => a - b);
  let best = 0;
  let from = 0;
  for (let to = 0; to < sorted.length; to += 1) {
    while ((sorted[to] as number) - (sorted[from] as number) >= windowMs) from += 1;
    best = Math.max(best, to - from + 1);
  }
  return best;
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted.length === 0 ? 0 : (sorted[Math.floor(sorted.length / 2)] as number);
};

async function countLeft(base: string): Promise<number> {
  const response = await fetch(`${base}${API}?agent_id=bench_delete&per_page=100`, {
    headers: { Authorization: `Bearer ${ADMIN_KEY}` },
  });
  const body = (await response.json()) as { data: unknown[]; has_more: boolean };
  return body.data.length + (body.has_more ? 1 : 0);
}

async function main(): Promise<void> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ecc-bench-delete-'));
  let server: BenchServer | undefined;
  try {
    const ids = await seedStore(dataDir);
    if (ids.length !== COUNT) throw new Error(`expected ${COUNT} contexts in the store, found ${ids.length}`);
    server = await startServer(dataDir);
    console.log(`Server on ${server.base} (seeds' limits: deletes ${LIMITS.perSecond}/s, ${LIMITS.perMinute}/min).`);
    console.log(`Deleting ${COUNT} contexts with the dashboard's delete queue…`);

    const { snapshot, log, elapsedMs } = await runDelete(server.base, ids);
    const left = await countLeft(server.base);

    const starts = log.map((r) => r.start);
    const firstStart = Math.min(...starts);
    const lastStart = Math.max(...starts);
    const latency = median(log.map((r) => r.ms));
    const idealLastStart = idealStartMs(COUNT - 1);
    const idealMs = idealLastStart + latency;
    const ratio = idealMs / elapsedMs;
    const tooMany = log.filter((r) => r.status === 429).length;
    const perSecond = maxInWindow(starts, 1000);
    const perMinute = maxInWindow(starts, 60_000);
    const deleted = snapshot.counts.deleted;

    const rows = [
      { name: `Elapsed, ${COUNT} deletes`, value: `${(elapsedMs / 1000).toFixed(1)} s`, budget: `ideal ${(idealMs / 1000).toFixed(1)} s`, ok: ratio >= RATIO_BUDGET },
      { name: 'Achieved rate / allowed rate', value: ratio.toFixed(3), budget: `≥ ${RATIO_BUDGET}`, ok: ratio >= RATIO_BUDGET },
      { name: '429 responses', value: String(tooMany), budget: '0', ok: tooMany === 0 },
      {
        name: 'Most requests in any 1 s / 60 s',
        value: `${perSecond} / ${perMinute}`,
        budget: `≤ ${LIMITS.perSecond} / ≤ ${LIMITS.perMinute}`,
        ok: perSecond <= LIMITS.perSecond && perMinute <= LIMITS.perMinute,
      },
      { name: 'Deleted (left on the server)', value: `${deleted} (${left})`, budget: `${COUNT} (0)`, ok: deleted === COUNT && left === 0 },
    ];

    const cpus = os.cpus();
    const machine = `${cpus.length} × ${cpus[0]?.model.trim() ?? 'unknown CPU'}, ${Math.round(os.totalmem() / 2 ** 30)} GiB RAM, Node ${process.version}, ${os.platform()} ${os.release()}`;
    const output = {
      title: `Bulk delete of ${COUNT} contexts at the seeds' limits`,
      date: new Date().toISOString(),
      machine,
      note:
        `the dashboard's delete queue (2 in flight, sliding-window budget) against the real server over loopback, ` +
        `deletes limited to ${LIMITS.perSecond}/s and ${LIMITS.perMinute}/min; ideal = last start at max(floor(i/5) s, floor(i/50)·60 s) ` +
        `(${idealLastStart / 1000} s for i = ${COUNT - 1}) + the median request time`,
      rows,
      raw: {
        count: COUNT,
        limits: LIMITS,
        elapsedMs: Math.round(elapsedMs),
        idealLastStartMs: idealLastStart,
        idealMs: Math.round(idealMs),
        firstStartMs: Math.round(firstStart),
        lastStartMs: Math.round(lastStart),
        medianLatencyMs: Number(latency.toFixed(2)),
        requests: log.length,
        status429: tooMany,
        maxStartsIn1s: perSecond,
        maxStartsIn60s: perMinute,
        outcomes: snapshot.counts,
        leftOnServer: left,
      },
    };
    const file = path.join(root, 'bench', 'results', 'delete.json');
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, `${JSON.stringify(output, null, 2)}\n`);

    console.log('');
    console.table(rows.map((r) => ({ measure: r.name, figure: r.value, budget: r.budget, ok: r.ok ? 'within' : 'OVER' })));
    console.log(`Machine: ${machine}.`);
    console.log(`Wrote ${path.relative(root, file)}.`);
    if (!rows.every((r) => r.ok)) process.exitCode = 1;
  } finally {
    if (server) await server.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

await main();
