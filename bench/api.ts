/**
 * API latency at one million contexts, and with large contexts: `npm run bench:api`.
 *
 * Sections (`BENCH_API_SECTIONS`, a comma list; default `1m,large`):
 *
 * `1m` — list, get and small-PATCH latency and write throughput at 1,000,000 contexts
 * (`BENCH_ROWS`; try the bench out with e.g. 50000), on both stores (`BENCH_API_STORES`,
 * default `sqlite,postgres`), one after the other:
 * 1. Creates (or reuses) the store: SQLite in `os.tmpdir()/ecc-bench-1m`; PostgreSQL in
 *    `BENCH_DATABASE_URL` or else an embedded PostgreSQL (bench/lib/postgres.ts) whose
 *    cluster stays in `os.tmpdir()/ecc-bench-pg`, so repeated runs skip the seeding.
 *    Seeding uses the seed CLI's code path (seedInParallel) and is timed; a reused store
 *    keeps the seeding time of the run that seeded it (`BENCH_RESEED=1` seeds again).
 * 2. Starts the real server (`node --import tsx server/main.ts`) on it as a child process,
 *    with rate limits off and known keys.
 * 3. Warms up, then times each request kind sequentially over a keep-alive connection,
 *    as one dashboard user would: p50 / p95 / max, client-side, loopback included.
 * 4. Throughput: creates + patches per second sustained by two server instances on the
 *    one PostgreSQL, against one instance on SQLite (`BENCH_THROUGHPUT_CLIENTS` keep-alive
 *    clients per instance, default 4, each POSTing a small context then PATCHing it with
 *    If-Match; `BENCH_THROUGHPUT_SECONDS`, default 15, after 2 s of warm-up). The contexts
 *    it creates are deleted afterwards, so the store stays at its row count.
 * 5. Prints the figures and writes the `stores` member of bench/results/api.json (a store
 *    not run keeps its last figures), with `uptime` before and after each store's run;
 *    bench/report.mjs puts the stores side by side in the README.
 *    Then history's cost on the write path (issue 11): a second server instance on the same
 *    store with HISTORY_RETENTION_DAYS=0 (no versions recorded; the audit event still is) is
 *    started next to the first (history on, the default 30 days), and the same small PATCH
 *    with If-Match is timed on both in interleaved pairs (SAMPLES pairs after WARMUP, the
 *    pair's order alternating; each instance its own half of the ids), so other load on the
 *    machine lands on both alike. The history-off row sits under the PATCH row; the ratio
 *    of the pairs' p95s is judged against its budget. Each instance's CPU time per PATCH
 *    (all its threads, /proc) is kept beside it: other load hardly moves it.
 * Budgets (issue 9): p95 ≤ 20 ms for every list query, p95 ≤ 10 ms for PATCH with If-Match;
 * (issue 11) PATCH p95 with history on ≤ 1.3× with history off.
 *
 * `large` — POST, PATCH (with If-Match) and GET of one ~5 MB context (issue 8, JSON
 * fidelity: "POST/PATCH of a 5 MB context p95 ≤ 1.5× today's"). Needs no seeding:
 * `BENCH_API_SECTIONS=large npm run bench:api` takes well under a minute.
 * 1. Builds the context as JSON text (bench/lib/large-context.ts: deterministic, with
 *    decimals like 1.10, integers past 2^53, nesting, strings, booleans, nulls).
 * 2. Starts the real server on a fresh, empty temporary DATA_DIR (removed afterwards), so
 *    the figures do not depend on the 1M store or on earlier runs, with LOG_LEVEL=info.
 * 3. Times `BENCH_LARGE_SAMPLES` (30) sequential requests of each kind after
 *    `BENCH_LARGE_WARMUP` (3) untimed ones: client-observed (request written → last
 *    response byte received, loopback included) and server-side: Fastify's own
 *    `responseTime` from the server's "request completed" log line (`reply.elapsedTime`,
 *    from routing the request — before its body is read — until the response was handed
 *    to the socket: body parsing, validation, the store and serialization). No server code
 *    is changed for it; the log lines are paired with requests by order (one connection,
 *    one request at a time) and checked against method, URL and status.
 * 4. Writes the `large` member of bench/results/api.json (the rest of the file is kept
 *    when the `1m` section does not run). With `BENCH_API_LARGE_BASELINE=1` it also writes
 *    bench/results/api-large-baseline.json — the figures later runs are compared with
 *    (budget: p95 ≤ 1.5× the baseline's for POST and PATCH).
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import http, { type IncomingHttpHeaders } from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { buildLargeContext, REVISION_PLACEHOLDER, revisionMember, type LargeContext } from './lib/large-context';
import { startBenchServer, type BenchServer } from './lib/server';
import { startBenchPostgres } from './lib/postgres';
import { p95Ratio, pairOrder, type RatioVerdict } from './lib/paired';
import { openPostgresStore } from '../server/store/postgres/postgres-store';
import { benchSqliteDir, finishIndexing, readSeedRecord, seedAndRecord, seedRecordFile, type SeedRecord } from './lib/seed-record';
import { encodeCursor } from '../server/store/rows';
import { DATABASE_FILE, openSqliteStore } from '../server/store/sqlite/sqlite-store';

/** Contexts in each store: 1,000,000 for the published figures; fewer to try the bench out. */
const ROWS = Number(process.env.BENCH_ROWS ?? 1_000_000);
if (!Number.isSafeInteger(ROWS) || ROWS < 1000) {
  console.error(`BENCH_ROWS must be a whole number ≥ 1000, got "${process.env.BENCH_ROWS}"`);
  process.exit(2);
}
/** Empty and seed the stores again even when they hold ROWS contexts (times the seeding). */
const RESEED = process.env.BENCH_RESEED === '1';
const SAMPLES = Number(process.env.BENCH_SAMPLES ?? 200);
const WARMUP = 30;
/** Every list query: p95 ≤ 20 ms (on both stores, issue 9). */
const BUDGET_MS = 20;
/** PATCH with If-Match: p95 ≤ 10 ms (issue 9). */
const PATCH_BUDGET_MS = 10;
/** PATCH p95 with history on ≤ 1.3× with history off (issue 11). */
const HISTORY_P95_RATIO_BUDGET = 1.3;
/**
 * A server's history pruning runs 5 s after it starts (server/history/pruner.ts); with
 * history off it drops every version in the store. The history-off instance is given this
 * long before its timed PATCHes, so that pass is not inside them.
 */
const HISTORY_OFF_SETTLE_MS = 7_000;
const THROUGHPUT_SECONDS = Number(process.env.BENCH_THROUGHPUT_SECONDS ?? 15);
const THROUGHPUT_WARMUP_S = 2;
const THROUGHPUT_CLIENTS = Number(process.env.BENCH_THROUGHPUT_CLIENTS ?? 4);
const ADMIN_KEY = 'bench-admin-key-0123456789abcdef';
const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const sqliteDir = benchSqliteDir(ROWS);
const API = '/api/ai/execution-contexts';

const STORE_KINDS = ['sqlite', 'postgres'] as const;
type StoreKind = (typeof STORE_KINDS)[number];
const storeKinds = new Set<StoreKind>();
for (const name of (process.env.BENCH_API_STORES ?? STORE_KINDS.join(',')).split(',').map((s) => s.trim()).filter(Boolean)) {
  if (!(STORE_KINDS as readonly string[]).includes(name)) {
    console.error(`BENCH_API_STORES: unknown store "${name}" (known: ${STORE_KINDS.join(', ')})`);
    process.exit(2);
  }
  storeKinds.add(name as StoreKind);
}

const SECTION_NAMES = ['1m', 'large'] as const;
type Section = (typeof SECTION_NAMES)[number];
const sections = new Set<Section>();
for (const name of (process.env.BENCH_API_SECTIONS ?? SECTION_NAMES.join(',')).split(',').map((s) => s.trim()).filter(Boolean)) {
  if (!(SECTION_NAMES as readonly string[]).includes(name)) {
    console.error(`BENCH_API_SECTIONS: unknown section "${name}" (known: ${SECTION_NAMES.join(', ')})`);
    process.exit(2);
  }
  sections.add(name as Section);
}

const LARGE_BYTES = 5 * 2 ** 20;
const LARGE_SAMPLES = Number(process.env.BENCH_LARGE_SAMPLES ?? 30);
const LARGE_WARMUP = Number(process.env.BENCH_LARGE_WARMUP ?? 3);
/** Issue 8: POST/PATCH of a 5 MB context p95 ≤ 1.5× the baseline's. */
const LARGE_BUDGET = { factor: 1.5, appliesTo: ['post', 'patch'] };
const WRITE_BASELINE = process.env.BENCH_API_LARGE_BASELINE === '1';
const resultsDir = path.join(root, 'bench', 'results');
const RESULTS_FILE = path.join(resultsDir, 'api.json');
const BASELINE_FILE = path.join(resultsDir, 'api-large-baseline.json');

// ---------------------------------------------------------------------------------------
// 1. The stores

/** Requests need these, read straight from the database before the server starts. */
interface Inputs {
  deepCursor: string;
  ids: string[];
  busyAgent: string;
  staleBefore: string;
}

type Seeding = SeedRecord;

interface PreparedStore {
  kind: StoreKind;
  /** Where the data lives (no password). */
  where: string;
  sizeBytes: number;
  /** This run's seeding, or null when an earlier run's database was reused. */
  seeding: Seeding | null;
  /** A reused store: the seeding of the run (bench:api or bench:search) that filled it. */
  reusedSeeding: Seeding | null;
  inputs: Inputs;
  /** Environment of the server instance number `i` (PostgreSQL: each its own DATA_DIR). */
  serverEnv(i: number): Record<string, string>;
  /** Deletes the contexts the throughput run created (agent_id THROUGHPUT_AGENT). */
  removeThroughputRows(): Promise<number>;
  close(): Promise<void>;
}

const THROUGHPUT_AGENT = 'agent_bench_throughput';
/** Row number (newest first) of the deep cursor: the middle of the table. */
const DEEP_ROW = Math.floor(ROWS / 2);
/** How many ids the get and PATCH rows cycle through, spread over the table. */
const ID_COUNT = 400;

async function prepareSqlite(): Promise<PreparedStore> {
  let store = openSqliteStore(sqliteDir);
  let seeding: Seeding | null = null;
  let reusedSeeding: Seeding | null = null;
  const count = store.countSync();
  if (count !== ROWS || RESEED) {
    if (count !== 0) {
      console.log(`${sqliteDir} holds ${count.toLocaleString('en')} contexts${RESEED ? ' (BENCH_RESEED=1)' : `, not ${ROWS.toLocaleString('en')}`}: rebuilding it.`);
      store.closeSync();
      for (const suffix of ['', '-wal', '-shm']) fs.rmSync(path.join(sqliteDir, DATABASE_FILE + suffix), { force: true });
      store = openSqliteStore(sqliteDir);
    }
    seeding = await seedAndRecord(store, ROWS, sqliteDir, seedRecordFile(sqliteDir));
  } else {
    console.log(`Reusing ${sqliteDir} (${ROWS.toLocaleString('en')} contexts).`);
    reusedSeeding = readSeedRecord(seedRecordFile(sqliteDir), ROWS);
    await finishIndexing(store); // what an interrupted run left pending
  }
  store.closeSync();
  const file = path.join(sqliteDir, DATABASE_FILE);
  const db = new Database(file, { readonly: true });
  let inputs: Inputs;
  try {
    // The DEEP_ROW-th row newest-first: where infinite scroll would be after DEEP_ROW / 100 pages.
    const deep = db
      .prepare<[number], { created_at: number; id: string }>(
        'SELECT created_at, id FROM execution_contexts ORDER BY created_at DESC, id DESC LIMIT 1 OFFSET ?',
      )
      .get(DEEP_ROW - 1);
    if (!deep) throw new Error(`store has fewer than ${DEEP_ROW} rows`);
    // Ids spread over the whole table (and so over all context sizes).
    const ids = db
      .prepare<[number, number], string>('SELECT id FROM execution_contexts WHERE rowid % ? = 0 LIMIT ?')
      .pluck()
      .all(Math.max(1, Math.floor(ROWS / ID_COUNT) - 1), ID_COUNT);
    const busyAgent = db
      .prepare<[], string>(
        'SELECT agent_id FROM execution_contexts WHERE agent_id IS NOT NULL GROUP BY agent_id ORDER BY count(*) DESC LIMIT 1',
      )
      .pluck()
      .get();
    const newest = db.prepare<[], number>('SELECT max(created_at) FROM execution_contexts').pluck().get() ?? Date.now();
    inputs = {
      deepCursor: encodeCursor(deep.created_at, deep.id),
      ids,
      busyAgent: busyAgent ?? 'agent_support_triage',
      staleBefore: new Date(newest - 30 * 86_400_000).toISOString(),
    };
  } finally {
    db.close();
  }
  return {
    kind: 'sqlite',
    where: `SQLite file in ${sqliteDir}`,
    sizeBytes: fs.statSync(file).size,
    seeding,
    reusedSeeding,
    inputs,
    serverEnv: () => ({ DATA_DIR: sqliteDir }),
    async removeThroughputRows() {
      const writable = new Database(file);
      try {
        return writable.prepare('DELETE FROM execution_contexts WHERE agent_id = ?').run(THROUGHPUT_AGENT).changes;
      } finally {
        writable.close();
      }
    },
    close: async () => {},
  };
}

async function preparePostgres(): Promise<PreparedStore> {
  const server = await startBenchPostgres(ROWS);
  try {
    const store = await openPostgresStore({ connectionString: server.url, poolSize: 2, statementTimeoutMs: 0 });
    let seeding: Seeding | null = null;
    let reusedSeeding: Seeding | null = null;
    try {
      // Left over by an interrupted throughput run; and no dead rows of an earlier run's.
      await store.pool.query('DELETE FROM execution_contexts WHERE agent_id = $1', [THROUGHPUT_AGENT]);
      await store.pool.query('VACUUM (ANALYZE) execution_contexts');
      const count = await store.count();
      if (count !== ROWS || RESEED) {
        if (count !== 0) {
          if (process.env.BENCH_DATABASE_URL) {
            throw new Error(`BENCH_DATABASE_URL holds ${count.toLocaleString('en')} contexts: the bench needs it empty or holding exactly ${ROWS.toLocaleString('en')}`);
          }
          console.log(`${server.where} holds ${count.toLocaleString('en')} contexts${RESEED ? ' (BENCH_RESEED=1)' : ''}: emptying it.`);
          await store.pool.query('TRUNCATE execution_contexts');
        }
        seeding = await seedAndRecord(store, ROWS, server.where, server.recordFile);
        await store.pool.query('VACUUM (ANALYZE) execution_contexts');
      } else {
        console.log(`Reusing ${server.where} (${ROWS.toLocaleString('en')} contexts).`);
        await finishIndexing(store); // a build an interrupted run left undone
        reusedSeeding = readSeedRecord(server.recordFile, ROWS);
      }
      const q = async <T>(sql: string, params: unknown[] = []): Promise<T[]> => (await store.pool.query(sql, params)).rows as T[];
      const [deep] = await q<{ created_at: number; id: string }>(
        'SELECT created_at, id FROM execution_contexts ORDER BY created_at DESC, id DESC LIMIT 1 OFFSET $1',
        [DEEP_ROW - 1],
      );
      if (!deep) throw new Error(`store has fewer than ${DEEP_ROW} rows`);
      const ids = (
        await q<{ id: string }>(
          `SELECT id FROM (SELECT id, row_number() OVER (ORDER BY created_at, id) AS n FROM execution_contexts) numbered
            WHERE n % $1 = 0 LIMIT $2`,
          [Math.max(1, Math.floor(ROWS / ID_COUNT) - 1), ID_COUNT],
        )
      ).map((r) => r.id);
      const [busy] = await q<{ agent_id: string }>(
        'SELECT agent_id FROM execution_contexts WHERE agent_id IS NOT NULL GROUP BY agent_id ORDER BY count(*) DESC LIMIT 1',
      );
      const [newest] = await q<{ t: number | null }>('SELECT max(created_at) AS t FROM execution_contexts');
      const [size] = await q<{ bytes: number }>("SELECT pg_total_relation_size('execution_contexts') AS bytes");
      const inputs: Inputs = {
        deepCursor: encodeCursor(deep.created_at, deep.id),
        ids,
        busyAgent: busy?.agent_id ?? 'agent_support_triage',
        staleBefore: new Date((newest?.t ?? Date.now()) - 30 * 86_400_000).toISOString(),
      };
      const dataDirs: string[] = [];
      return {
        kind: 'postgres',
        where: server.where,
        sizeBytes: size?.bytes ?? 0,
        seeding,
        reusedSeeding,
        inputs,
        serverEnv: (i) => {
          // Keys and nothing else live in DATA_DIR with PostgreSQL; one folder per instance.
          dataDirs[i] ??= fs.mkdtempSync(path.join(os.tmpdir(), `ecc-bench-pg-instance-${i}-`));
          return { DATABASE_URL: server.url, DATA_DIR: dataDirs[i] };
        },
        async removeThroughputRows() {
          const { rowCount } = await store.pool.query('DELETE FROM execution_contexts WHERE agent_id = $1', [THROUGHPUT_AGENT]);
          // The deleted rows are the newest: left to autovacuum, their dead index entries
          // would slow the next run's deep-offset pages (index-only scans visit the heap).
          await store.pool.query('VACUUM (ANALYZE) execution_contexts');
          return rowCount ?? 0;
        },
        async close() {
          await store.close();
          for (const dir of dataDirs) fs.rmSync(dir, { recursive: true, force: true });
          await server.stop();
        },
      };
    } catch (error) {
      await store.close();
      throw error;
    }
  } catch (error) {
    await server.stop();
    throw error;
  }
}

// ---------------------------------------------------------------------------------------
// 2. The server

/** The same keys on every instance (none generated, so instances never race on them). */
const SERVER_KEYS = {
  ADMIN_API_KEY: ADMIN_KEY,
  EDITOR_API_KEY: 'bench-editor-key-0123456789abcdef',
  VIEWER_API_KEY: 'bench-viewer-key-0123456789abcdef',
};

function startServer(prepared: PreparedStore, i = 0, extraEnv: Record<string, string> = {}) {
  return startBenchServer({ ...prepared.serverEnv(i), ...SERVER_KEYS, RATE_LIMITS: 'off', SEED_CONTEXTS: '0', ...extraEnv });
}
// ---------------------------------------------------------------------------------------
// 3. Requests and timing

interface Response {
  status: number;
  etag: string | undefined;
  headers: IncomingHttpHeaders;
  /** The response body as received (not decoded: a compressed body stays compressed). */
  bytes: Buffer;
  /** `bytes` as UTF-8 text, decoded on first use (not inside the timed part). */
  readonly body: string;
  /** `METHOD path` as sent. */
  sent: string;
  /** The request's number on a server whose log is followed (see ServerRequestLog). */
  seq?: number;
}

const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });

/** `body`: a Buffer is sent as is (JSON text built by the caller), anything else as JSON.stringify(body). */
function request(port: number, method: string, urlPath: string, body?: unknown, headers: Record<string, string> = {}): Promise<Response> {
  return requestVia(agent, port, method, urlPath, body, headers);
}

/** `request` over another keep-alive agent (the throughput run's clients each have one). */
function requestVia(
  via: http.Agent,
  port: number,
  method: string,
  urlPath: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<Response> {
  const payload = body === undefined ? undefined : Buffer.isBuffer(body) ? body : JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: '127.0.0.1',
        port,
        method,
        path: urlPath,
        agent: via,
        headers: {
          authorization: `Bearer ${ADMIN_KEY}`,
          ...(payload === undefined ? {} : { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) }),
          ...headers,
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => {
          const bytes = Buffer.concat(chunks);
          let text: string | undefined;
          resolve({
            status: res.statusCode ?? 0,
            etag: res.headers.etag,
            headers: res.headers,
            bytes,
            get body() {
              text ??= bytes.toString('utf8');
              return text;
            },
            sent: `${method} ${urlPath}`,
          });
        });
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}

interface Measure {
  name: string;
  /** List queries carry the p95 budget (BUDGET_MS). */
  list: boolean;
  /** A p95 budget for a row that is not a list query. */
  budgetMs?: number;
  /** One timed request; `i` is the sample number. Untimed preparation goes in `prepare`. */
  run: (i: number) => Promise<Response>;
  prepare?: (i: number) => Promise<void>;
  expectStatus?: number;
  /** The server's own time for the request just answered (large section). */
  serverTime?: (res: Response) => Promise<number>;
  /** The server process's CPU time so far, in ms (read before and after each sample). */
  serverCpu?: () => number;
  samples?: number;
  warmup?: number;
}

interface Stats {
  p50: number;
  p95: number;
  max: number;
  mean: number;
}

interface Figures {
  name: string;
  list: boolean;
  p50: number;
  p95: number;
  max: number;
  mean: number;
  samples: number;
  ok: boolean | null;
  /** Server-side figures, when the measure has `serverTime`. */
  server?: Stats;
  /** Server CPU time per request, when the measure has `serverCpu`. */
  serverCpu?: Stats;
}

const quantile = (sorted: number[], q: number): number =>
  sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)] as number;
const round = (ms: number): number => Math.round(ms * 100) / 100;

function stats(times: number[]): Stats {
  const sorted = [...times].sort((a, b) => a - b);
  return {
    p50: round(quantile(sorted, 0.5)),
    p95: round(quantile(sorted, 0.95)),
    max: round(sorted.at(-1) as number),
    mean: round(sorted.reduce((s, t) => s + t, 0) / sorted.length),
  };
}

async function measure(m: Measure): Promise<Figures> {
  const expected = m.expectStatus ?? 200;
  const samples = m.samples ?? SAMPLES;
  const warmup = m.warmup ?? WARMUP;
  const check = (res: Response) => {
    if (res.status !== expected) throw new Error(`${m.name}: HTTP ${res.status}: ${res.body.slice(0, 300)}`);
  };
  for (let i = 0; i < warmup; i += 1) {
    await m.prepare?.(samples + i);
    const res = await m.run(samples + i);
    check(res);
    await m.serverTime?.(res);
  }
  const times: number[] = [];
  const serverTimes: number[] = [];
  const cpuTimes: number[] = [];
  for (let i = 0; i < samples; i += 1) {
    await m.prepare?.(i);
    const cpuBefore = m.serverCpu?.() ?? 0;
    const started = performance.now();
    const res = await m.run(i);
    times.push(performance.now() - started);
    check(res);
    // After the server's log line: its work for this request is done by then.
    if (m.serverTime) serverTimes.push(await m.serverTime(res));
    if (m.serverCpu) cpuTimes.push(m.serverCpu() - cpuBefore);
  }
  const client = stats(times);
  const budget = m.list ? BUDGET_MS : m.budgetMs;
  return {
    name: m.name,
    list: m.list,
    ...client,
    samples: times.length,
    ok: budget === undefined ? null : quantile([...times].sort((a, b) => a - b), 0.95) <= budget,
    ...(m.serverTime ? { server: stats(serverTimes) } : {}),
    ...(m.serverCpu ? { serverCpu: stats(cpuTimes) } : {}),
  };
}

/**
 * `measure` for two request kinds at once: each sample (warm-up included) runs one request
 * of each, in the order pairOrder gives, so load changes during the run hit both alike.
 */
async function measureInterleaved(a: Measure, b: Measure): Promise<[Figures, Figures]> {
  const times = new Map<Measure, number[]>([
    [a, []],
    [b, []],
  ]);
  const cpuTimes = new Map<Measure, number[]>([
    [a, []],
    [b, []],
  ]);
  const one = async (m: Measure, i: number, timed: boolean): Promise<void> => {
    await m.prepare?.(i);
    const cpuBefore = m.serverCpu?.() ?? 0;
    const started = performance.now();
    const res = await m.run(i);
    const elapsed = performance.now() - started;
    if (res.status !== (m.expectStatus ?? 200)) throw new Error(`${m.name}: HTTP ${res.status}: ${res.body.slice(0, 300)}`);
    if (!timed) return;
    times.get(m)?.push(elapsed);
    // The server's CPU for this PATCH: its answer is sent, so its work is done (a log
    // line written after it is in both instances alike).
    if (m.serverCpu) cpuTimes.get(m)?.push(m.serverCpu() - cpuBefore);
  };
  for (let i = 0; i < WARMUP; i += 1) for (const m of pairOrder(i, a, b)) await one(m, SAMPLES + i, false);
  for (let i = 0; i < SAMPLES; i += 1) for (const m of pairOrder(i, a, b)) await one(m, i, true);
  const figures = (m: Measure): Figures => {
    const sampled = times.get(m) ?? [];
    const cpu = cpuTimes.get(m) ?? [];
    return { name: m.name, list: m.list, ...stats(sampled), samples: sampled.length, ok: null, ...(cpu.length > 0 ? { serverCpu: stats(cpu) } : {}) };
  };
  return [figures(a), figures(b)];
}

// ---------------------------------------------------------------------------------------

function machineInfo(loadBefore: number[], loadAfter: number[]) {
  const cpus = os.cpus();
  const machine = `${cpus.length} × ${cpus[0]?.model.trim() ?? 'unknown CPU'}, ${Math.round(os.totalmem() / 2 ** 30)} GiB RAM, Node ${process.version}, ${os.platform()} ${os.release()}`;
  const loadNote =
    `load average ${loadBefore[0]?.toFixed(1)} before, ${loadAfter[0]?.toFixed(1)} after` +
    (Math.max(loadBefore[0] ?? 0, loadAfter[0] ?? 0) > cpus.length ? ' (the machine was busy with other work: figures are pessimistic)' : '');
  const environment = { cpus: cpus.length, cpuModel: cpus[0]?.model.trim(), totalMemBytes: os.totalmem(), node: process.version, loadBefore, loadAfter };
  return { machine, loadNote, environment };
}

/** The list, get and PATCH rows, in table order; `key` pairs the stores' figures. */
function latencyMeasures(port: number, inputs: Inputs): Array<Measure & { key: string }> {
  const list = (query: string) => (): Promise<Response> => request(port, 'GET', `${API}?${query}`);
  const idAt = (i: number): string => inputs.ids[i % inputs.ids.length] as string;
  const deep = `~${DEEP_ROW.toLocaleString('en')}`;
  return [
    // The floor: HTTP, auth and loopback with no store work, to read the others against.
    { key: 'health', name: 'GET /api/health (the HTTP floor: it asks the store at most once a second)', list: false, run: () => request(port, 'GET', '/api/health') },
    { key: 'first', name: 'list: first page, per_page=100, view=full', list: true, run: list('per_page=100') },
    { key: 'first_summary', name: 'list: first page, per_page=100, view=summary', list: true, run: list('per_page=100&view=summary') },
    { key: 'page500', name: 'list: page 500, per_page=100 (offset 49,900)', list: true, run: list('page=500&per_page=100') },
    { key: 'page500_summary', name: 'list: page 500, per_page=100, view=summary', list: true, run: list('page=500&per_page=100&view=summary') },
    {
      key: 'agent',
      name: `list: agent filter (${inputs.busyAgent}), per_page=100`,
      list: true,
      run: list(`agent_id=${inputs.busyAgent}&per_page=100`),
    },
    { key: 'workflow', name: 'list: workflow filter (wf_onboarding), per_page=100', list: true, run: list('workflow_id=wf_onboarding&per_page=100') },
    { key: 'failed', name: 'list: status=failed, per_page=100', list: true, run: list('status=failed&per_page=100') },
    {
      key: 'in_use',
      name: 'list: status=running,waiting_for_input, per_page=100',
      list: true,
      run: list('status=running,waiting_for_input&per_page=100'),
    },
    {
      key: 'stale',
      name: 'list: stale (updated_before 30 d ago, status=idle,interrupted), summary',
      list: true,
      run: list(`updated_before=${inputs.staleBefore}&status=idle,interrupted&per_page=100&view=summary`),
    },
    { key: 'cursor', name: `list: cursor at row ${deep}, per_page=100`, list: true, run: list(`after=${inputs.deepCursor}&per_page=100`) },
    {
      key: 'cursor_agent',
      name: `list: cursor at row ${deep} + agent filter, per_page=100`,
      list: true,
      run: list(`after=${inputs.deepCursor}&agent_id=${inputs.busyAgent}&per_page=100`),
    },
    {
      key: 'get',
      name: 'get by id (ids spread over the table)',
      list: false,
      run: (i) => request(port, 'GET', `${API}/${idAt(i)}`),
    },
    {
      key: 'patch',
      name: PATCH_NAME,
      list: false,
      budgetMs: PATCH_BUDGET_MS,
      ...patchRequests(port, (i) => idAt(i + 7)),
    },
  ];
}

const PATCH_NAME = 'PATCH context with If-Match (~1 KB body)';

/**
 * The PATCH row's requests: sample `i` PATCHes `idOf(i)` with a ~1 KB context and the
 * ETag an untimed GET read just before (`prepare`), as the editor has it from its own GET.
 */
function patchRequests(port: number, idOf: (i: number) => string): Pick<Measure, 'prepare' | 'run'> {
  const etags = new Map<string, string>();
  return {
    prepare: async (i) => {
      const id = idOf(i);
      const res = await request(port, 'GET', `${API}/${id}`);
      if (res.etag) etags.set(id, res.etag);
    },
    run: (i) => {
      const id = idOf(i);
      return request(
        port,
        'PATCH',
        `${API}/${id}`,
        { context: { current_step: 'bench', progress: i % 100, note: 'n'.repeat(900) } },
        { 'if-match': etags.get(id) ?? '*' },
      );
    },
  };
}

/** The history-off row: its own figures plus the interleaved history-on ones and the ratio. */
interface HistoryOffFigures extends Figures {
  key: 'patch_history_off';
  history: {
    /** The history-on instance's PATCHes, interleaved with this row's. */
    on: Stats;
    off: Stats;
    /** p95 on ÷ p95 off against HISTORY_P95_RATIO_BUDGET. */
    p95Ratio: RatioVerdict;
    /** Each instance's CPU time per PATCH (all its threads, /proc; Linux only): hardly moved by other load. */
    serverCpu: { on: Stats; off: Stats } | null;
  };
}

/**
 * PATCH with history on vs off (issue 11): `onPort` records versions, `offPort` runs with
 * HISTORY_RETENTION_DAYS=0, both on the same store. Each sample is a pair, one PATCH on
 * each, in alternating order; the instances PATCH alternate ids (even / odd positions of
 * `inputs.ids`), so neither sees the other's writes.
 */
async function measureHistoryCost(onServer: BenchServer, offServer: BenchServer, inputs: Inputs): Promise<HistoryOffFigures> {
  const idOf = (n: number): string => inputs.ids[n % inputs.ids.length] as string;
  const on: Measure = {
    name: `${PATCH_NAME}, history on`,
    list: false,
    serverCpu: processCpuClock(onServer.child.pid) ?? undefined,
    ...patchRequests(onServer.port, (i) => idOf(2 * i)),
  };
  const off: Measure = {
    name: `${PATCH_NAME}, history off`,
    list: false,
    serverCpu: processCpuClock(offServer.child.pid) ?? undefined,
    ...patchRequests(offServer.port, (i) => idOf(2 * i + 1)),
  };
  const [onFigures, offFigures] = await measureInterleaved(on, off);
  const onStats: Stats = { p50: onFigures.p50, p95: onFigures.p95, max: onFigures.max, mean: onFigures.mean };
  const offStats: Stats = { p50: offFigures.p50, p95: offFigures.p95, max: offFigures.max, mean: offFigures.mean };
  const verdict = p95Ratio(onStats, offStats, HISTORY_P95_RATIO_BUDGET);
  return {
    ...offFigures,
    key: 'patch_history_off',
    name: `${PATCH_NAME}, history off (HISTORY_RETENTION_DAYS=0; interleaved with history on)`,
    ok: null,
    history: {
      on: onStats,
      off: offStats,
      p95Ratio: verdict,
      serverCpu: onFigures.serverCpu && offFigures.serverCpu ? { on: onFigures.serverCpu, off: offFigures.serverCpu } : null,
    },
  };
}

interface Throughput {
  instances: number;
  clientsPerInstance: number;
  seconds: number;
  creates: number;
  patches: number;
  /** (creates + patches) / seconds */
  perSecond: number;
  createsPerSecond: number;
  patchesPerSecond: number;
  /** Answers other than 201 / 200 (none expected: rate limits are off). */
  errors: number;
  createLatency: Stats | null;
  patchLatency: Stats | null;
  loadBefore: number[];
  loadAfter: number[];
}

/**
 * Creates + patches per second that `instances` server processes sustain together:
 * THROUGHPUT_CLIENTS keep-alive clients per instance, each in a loop of POST (a small new
 * context) then PATCH of it with the ETag the POST answered (If-Match). Only requests
 * answered inside the timed window count; the first THROUGHPUT_WARMUP_S seconds are not
 * timed. The created contexts are deleted afterwards (agent_id THROUGHPUT_AGENT).
 */
async function runThroughput(prepared: PreparedStore, instances: number): Promise<Throughput> {
  console.log(
    `\nThroughput: ${instances} instance(s) on ${prepared.kind}, ${THROUGHPUT_CLIENTS} clients each, ` +
      `${THROUGHPUT_WARMUP_S} s warm-up + ${THROUGHPUT_SECONDS} s timed…`,
  );
  const servers = [];
  try {
    for (let i = 0; i < instances; i += 1) servers.push(await startServer(prepared, i));
    const loadBefore = os.loadavg();
    const t0 = performance.now();
    const from = t0 + THROUGHPUT_WARMUP_S * 1000;
    const until = from + THROUGHPUT_SECONDS * 1000;
    let creates = 0;
    let patches = 0;
    let errors = 0;
    const createTimes: number[] = [];
    const patchTimes: number[] = [];
    const agents: http.Agent[] = [];
    const client = async (port: number, n: number): Promise<void> => {
      const via = new http.Agent({ keepAlive: true, maxSockets: 1 });
      agents.push(via);
      for (let i = 0; performance.now() < until; i += 1) {
        const started = performance.now();
        const created = await requestVia(via, port, 'POST', API, {
          agent_id: THROUGHPUT_AGENT,
          workflow_id: 'wf_bench_throughput',
          session_id: null,
          context: { client: n, step: i, note: 'c'.repeat(200) },
        });
        const createdAt = performance.now();
        const timed = started >= from && createdAt <= until;
        if (created.status !== 201) {
          if (timed) errors += 1;
          continue;
        }
        if (timed) {
          creates += 1;
          createTimes.push(createdAt - started);
        }
        if (createdAt >= until) break;
        const patched = await requestVia(
          via,
          port,
          'PATCH',
          created.headers.location ?? '',
          { context: { client: n, step: i, done: true, note: 'p'.repeat(200) } },
          { 'if-match': created.etag ?? '*' },
        );
        const patchedAt = performance.now();
        if (createdAt >= from && patchedAt <= until) {
          if (patched.status === 200) {
            patches += 1;
            patchTimes.push(patchedAt - createdAt);
          } else {
            errors += 1;
          }
        }
      }
    };
    await Promise.all(servers.flatMap((server, s) => Array.from({ length: THROUGHPUT_CLIENTS }, (_, c) => client(server.port, s * 100 + c))));
    for (const via of agents) via.destroy();
    const loadAfter = os.loadavg();
    const result: Throughput = {
      instances,
      clientsPerInstance: THROUGHPUT_CLIENTS,
      seconds: THROUGHPUT_SECONDS,
      creates,
      patches,
      perSecond: Math.round((creates + patches) / THROUGHPUT_SECONDS),
      createsPerSecond: Math.round(creates / THROUGHPUT_SECONDS),
      patchesPerSecond: Math.round(patches / THROUGHPUT_SECONDS),
      errors,
      createLatency: createTimes.length > 0 ? stats(createTimes) : null,
      patchLatency: patchTimes.length > 0 ? stats(patchTimes) : null,
      loadBefore,
      loadAfter,
    };
    console.log(
      `${result.perSecond} creates + patches per second (${result.createsPerSecond} creates/s, ${result.patchesPerSecond} patches/s, ${errors} errors); ` +
        `create p95 ${result.createLatency?.p95} ms, patch p95 ${result.patchLatency?.p95} ms`,
    );
    return result;
  } finally {
    await Promise.all(servers.map((server) => server.stop()));
    const removed = await prepared.removeThroughputRows();
    console.log(`Removed the ${removed.toLocaleString('en')} contexts the throughput run created.`);
  }
}

interface StoreResult {
  kind: StoreKind;
  date: string;
  rows: number;
  where: string;
  sizeBytes: number;
  /** This run's seeding, or the last run's that seeded this store (`reused: true`). */
  seeding: (Seeding & { reused?: boolean }) | null;
  figures: Array<(Figures & { key: string }) | HistoryOffFigures>;
  throughput: Throughput;
  loadBefore: number[];
  loadAfter: number[];
  /** `uptime` before and after, as printed. */
  uptime: { before: string; after: string };
}

const uptime = (): string => {
  try {
    return execFileSync('uptime', { encoding: 'utf8' }).trim();
  } catch {
    return `load average ${os.loadavg().map((n) => n.toFixed(2)).join(', ')}`;
  }
};

/** One store: seed or reuse it, time every request kind on one instance, then the throughput run. */
async function runStore(kind: StoreKind, previous: StoreResult | undefined): Promise<StoreResult> {
  console.log(`\n=== ${kind === 'sqlite' ? 'SQLite' : 'PostgreSQL'}, ${ROWS.toLocaleString('en')} contexts ===`);
  const uptimeBefore = uptime();
  const loadBefore = os.loadavg();
  const prepared = kind === 'sqlite' ? await prepareSqlite() : await preparePostgres();
  const results: Array<(Figures & { key: string }) | HistoryOffFigures> = [];
  let throughput: Throughput;
  try {
    console.log('Starting the server…');
    const server = await startServer(prepared);
    try {
      const measures = latencyMeasures(server.port, prepared.inputs);
      console.log(`Timing ${measures.length} request kinds, ${SAMPLES} samples each after ${WARMUP} warm-up requests…\n`);
      for (const m of measures) {
        const figures = await measure(m);
        results.push({ ...figures, key: m.key });
        const budget = m.list ? BUDGET_MS : m.budgetMs;
        const verdict = figures.ok === null ? '' : figures.ok ? 'within budget' : `OVER ${budget} ms budget`;
        console.log(
          `${figures.name.padEnd(72)} p50 ${figures.p50.toFixed(2).padStart(7)} ms  p95 ${figures.p95.toFixed(2).padStart(7)} ms  max ${figures.max.toFixed(2).padStart(7)} ms  ${verdict}`,
        );
      }
      console.log(`\nPATCH with history on vs off: a second instance with HISTORY_RETENTION_DAYS=0, ${SAMPLES} interleaved pairs…`);
      const offServer = await startServer(prepared, 1, { HISTORY_RETENTION_DAYS: '0' });
      try {
        await new Promise((resolve) => setTimeout(resolve, HISTORY_OFF_SETTLE_MS));
        const cost = await measureHistoryCost(server, offServer, prepared.inputs);
        results.push(cost);
        const { on, off, p95Ratio: r, serverCpu: cpu } = cost.history;
        const cpuNote = (s: Stats | undefined) => (s ? `  |  server CPU p50 ${s.p50.toFixed(2).padStart(6)} ms  p95 ${s.p95.toFixed(2).padStart(6)} ms` : '');
        console.log(
          `history on  p50 ${on.p50.toFixed(2).padStart(7)} ms  p95 ${on.p95.toFixed(2).padStart(7)} ms  max ${on.max.toFixed(2).padStart(7)} ms${cpuNote(cpu?.on)}\n` +
            `history off p50 ${off.p50.toFixed(2).padStart(7)} ms  p95 ${off.p95.toFixed(2).padStart(7)} ms  max ${off.max.toFixed(2).padStart(7)} ms${cpuNote(cpu?.off)}\n` +
            `p95 ratio ${r.ratio} (budget ≤ ${r.budget}×): ${r.ok === null ? 'no verdict' : r.ok ? 'within budget' : 'OVER budget'}`,
        );
      } finally {
        await offServer.stop();
      }
    } finally {
      await server.stop();
    }
    throughput = await runThroughput(prepared, kind === 'postgres' ? 2 : 1);
  } finally {
    await prepared.close();
  }
  const over = results.filter((r) => r.ok === false || ('history' in r && r.history.p95Ratio.ok === false));
  console.log(over.length === 0 ? 'Every budgeted row is within its budget.' : `Over budget: ${over.map((r) => r.name).join('; ')}.`);
  // A reused store keeps the seeding time of the run that seeded it.
  const reused = prepared.reusedSeeding ?? (previous?.seeding && previous.rows === ROWS ? previous.seeding : null);
  const seeding = prepared.seeding ?? (reused ? { ...reused, reused: true } : null);
  return {
    kind,
    date: new Date().toISOString(),
    rows: ROWS,
    where: prepared.where,
    sizeBytes: prepared.sizeBytes,
    seeding,
    figures: results,
    throughput,
    loadBefore,
    loadAfter: os.loadavg(),
    uptime: { before: uptimeBefore, after: uptime() },
  };
}

/** The `1m` section: the top-level members of api.json (`large` aside). */
async function runMillionSection(previous: Record<string, unknown>): Promise<Record<string, unknown>> {
  const previousStores = (previous.stores as Partial<Record<StoreKind, StoreResult>> | undefined) ?? {};
  const stores: Partial<Record<StoreKind, StoreResult>> = {};
  for (const kind of STORE_KINDS) {
    const earlier = previousStores[kind]?.rows === ROWS ? previousStores[kind] : undefined;
    if (storeKinds.has(kind)) stores[kind] = await runStore(kind, earlier);
    else if (earlier) stores[kind] = earlier; // not run this time: the last figures stay
  }
  const all = Object.values(stores) as StoreResult[];
  const loads = all.flatMap((s) => [s.loadBefore[0] ?? 0, s.loadAfter[0] ?? 0, s.throughput.loadAfter[0] ?? 0]);
  const { machine, environment } = machineInfo(loads, loads);
  const busy = Math.max(...loads) > os.cpus().length;
  return {
    title: `API at ${ROWS.toLocaleString('en')} contexts: SQLite and PostgreSQL`,
    date: new Date().toISOString(),
    machine,
    rows: ROWS,
    budgets: { listP95Ms: BUDGET_MS, patchP95Ms: PATCH_BUDGET_MS, historyP95Ratio: HISTORY_P95_RATIO_BUDGET },
    note:
      `${SAMPLES} sequential samples per row after ${WARMUP} warm-up requests, one server instance, client-side over loopback, rate limits off; ` +
      `throughput: ${THROUGHPUT_CLIENTS} keep-alive clients per instance, each creating a small context then PATCHing it with If-Match, ` +
      `${THROUGHPUT_SECONDS} s timed after ${THROUGHPUT_WARMUP_S} s warm-up; the server instances, PostgreSQL and the client share the machine's ${os.cpus().length} CPUs; ` +
      `load average ${Math.min(...loads).toFixed(1)}–${Math.max(...loads).toFixed(1)} during the runs` +
      (busy ? ' (the machine was busy with other work: figures are pessimistic)' : ''),
    stores,
    environment: { cpus: environment.cpus, cpuModel: environment.cpuModel, totalMemBytes: environment.totalMemBytes, node: environment.node },
  };
}
// ---------------------------------------------------------------------------------------
// The `large` section

/**
 * Follows the server's pino log lines (stderr) to read Fastify's own `responseTime` of
 * each request. Requests go one at a time over one connection, so the n-th "request
 * completed" line belongs to the n-th request sent; each pairing is checked against the
 * method, URL and status of the request it is given for.
 */
class ServerRequestLog {
  private sent = 0;
  private readonly incoming = new Map<string, string>();
  private readonly completed: Array<{ request: string; status: number; ms: number }> = [];
  private wake: (() => void) | null = null;

  readonly onLine = (line: string): void => {
    let entry: { level?: number; msg?: string; reqId?: string; req?: { method?: string; url?: string }; res?: { statusCode?: number }; responseTime?: number };
    try {
      entry = JSON.parse(line) as typeof entry;
    } catch {
      process.stderr.write(`${line}\n`);
      return;
    }
    if (entry.msg === 'incoming request' && entry.reqId) {
      this.incoming.set(entry.reqId, `${entry.req?.method} ${entry.req?.url}`);
    } else if ((entry.msg === 'request completed' || entry.msg === 'request errored') && entry.reqId) {
      this.completed.push({ request: this.incoming.get(entry.reqId) ?? '?', status: entry.res?.statusCode ?? 0, ms: entry.responseTime ?? NaN });
      this.incoming.delete(entry.reqId);
      this.wake?.();
    }
    // Warnings and errors still reach the console, as with an inherited stderr.
    if ((entry.level ?? 0) >= 40) process.stderr.write(`${line}\n`);
  };

  /** Numbers the next request sent to this server. */
  next(): number {
    return this.sent++;
  }

  async responseTime(res: Response): Promise<number> {
    const seq = res.seq;
    if (seq === undefined) throw new Error(`${res.sent}: not sent through the followed server`);
    const deadline = performance.now() + 10_000;
    while (this.completed.length <= seq) {
      if (performance.now() > deadline) throw new Error(`${res.sent}: no "request completed" log line from the server within 10 s`);
      await new Promise<void>((resolve) => {
        this.wake = resolve;
        setTimeout(resolve, 50);
      });
    }
    const entry = this.completed[seq] as { request: string; status: number; ms: number };
    if (entry.request !== res.sent || entry.status !== res.status) {
      throw new Error(`server log out of step: request #${seq} was ${res.sent} → ${res.status}, the log says ${entry.request} → ${entry.status}`);
    }
    return entry.ms;
  }
}

interface LargeFigures extends Figures {
  key: string;
  server: Stats;
}

/**
 * CPU time a process has run so far, all its threads (main, GC, libuv pool), in ms: the
 * sum of the first field of /proc/<pid>/task/<tid>/schedstat (ns). Unlike wall-clock time
 * it hardly moves when other work competes for the CPUs. Linux only; null elsewhere.
 */
function processCpuClock(pid: number | undefined): (() => number) | null {
  if (pid === undefined || !fs.existsSync(`/proc/${pid}/task`)) return null;
  return () => {
    let ns = 0;
    for (const tid of fs.readdirSync(`/proc/${pid}/task`)) {
      try {
        ns += Number(fs.readFileSync(`/proc/${pid}/task/${tid}/schedstat`, 'utf8').split(' ')[0]);
      } catch {
        // A thread that ended between the listing and the read.
      }
    }
    return ns / 1e6;
  };
}

function gitInfo() {
  const git = (...args: string[]) => execFileSync('git', args, { cwd: root, encoding: 'utf8' }).trim();
  try {
    // What the server runs: uncommitted changes outside bench/ would make the commit a lie.
    const modified = git('status', '--porcelain', '--', '.', ':(exclude)bench')
      .split('\n')
      .filter(Boolean)
      .map((line) => line.slice(3));
    return {
      hash: git('rev-parse', 'HEAD'),
      subject: git('log', '-1', '--format=%s'),
      // The last commit that changed the code being measured (bench/ and the README aside):
      // still names the measured server after the bench branch is rebased.
      codeCommit: git('log', '-1', '--format=%H', '--', '.', ':(exclude)bench', ':(exclude)README.md'),
      modifiedOutsideBench: modified,
    };
  } catch {
    return { hash: 'unknown', subject: '', codeCommit: 'unknown', modifiedOutsideBench: [] as string[] };
  }
}

async function runLargeSection(): Promise<LargeResult> {
  const loadBefore = os.loadavg();
  console.log(`Building a ${(LARGE_BYTES / 2 ** 20).toFixed(0)} MiB context…`);
  const context: LargeContext = buildLargeContext(LARGE_BYTES);
  const withRevision = (n: number) => context.text.replace(REVISION_PLACEHOLDER, revisionMember(n));
  const postBody = Buffer.from(`{"agent_id":"agent_bench_large","workflow_id":"wf_bench_large","session_id":null,"context":${context.text}}`);
  let patchText = context.text;
  let patchBody = Buffer.alloc(0);

  const largeDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ecc-bench-large-'));
  const log = new ServerRequestLog();
  console.log(`Starting the server on an empty store (${largeDir})…`);
  const server = await startBenchServer(
    { DATA_DIR: largeDir, RATE_LIMITS: 'off', SEED_CONTEXTS: '0', ADMIN_API_KEY: ADMIN_KEY, LOG_LEVEL: 'info' },
    { onStderrLine: log.onLine },
  );
  const send = async (method: string, urlPath: string, body?: Buffer, headers?: Record<string, string>): Promise<Response> => {
    const seq = log.next();
    const res = await request(server.port, method, urlPath, body, headers);
    res.seq = seq;
    return res;
  };
  const serverTime = (res: Response) => log.responseTime(res);
  const serverCpu = processCpuClock(server.child.pid) ?? undefined;
  const results: LargeFigures[] = [];
  const echoed: Record<string, boolean> = {};
  const sizes: Record<string, number> = {};
  try {
    // The context that PATCH and GET work on, created untimed.
    const created = await send('POST', API, postBody);
    if (created.status !== 201) throw new Error(`POST of the large context: HTTP ${created.status}: ${created.body.slice(0, 300)}`);
    const location = created.headers.location;
    if (!location) throw new Error('POST answered no Location');
    let etag = created.etag ?? '*';

    let last: Response | undefined;
    const keep = (res: Response) => {
      last = res;
      return res;
    };
    const common = { list: false, samples: LARGE_SAMPLES, warmup: LARGE_WARMUP, serverTime, serverCpu };
    const mib = (context.bytes / 2 ** 20).toFixed(1);
    const measures: Array<Measure & { key: string; check?: string }> = [
      {
        ...common,
        key: 'post',
        name: `POST a ${mib} MiB context (a new context each time)`,
        expectStatus: 201,
        check: context.text,
        run: () => send('POST', API, postBody).then(keep),
      },
      {
        ...common,
        key: 'patch',
        name: `PATCH a ${mib} MiB context with If-Match (one member changed)`,
        // Untimed: the next revision's body. The ETag is the previous answer's, as the
        // editor has it from its last save.
        prepare: async (i) => {
          patchText = withRevision(i + 1);
          patchBody = Buffer.from(`{"context":${patchText}}`);
        },
        run: async () => {
          const res = keep(await send('PATCH', location, patchBody, { 'if-match': etag }));
          if (res.etag) etag = res.etag;
          return res;
        },
      },
      {
        ...common,
        key: 'get',
        name: `GET a ${mib} MiB context by id`,
        run: () => send('GET', location).then(keep),
      },
      {
        ...common,
        key: 'get_compressed',
        name: `GET a ${mib} MiB context by id, compressed (accept-encoding as Chromium sends; not decompressed)`,
        run: () => send('GET', location, undefined, { 'accept-encoding': 'gzip, deflate, br, zstd' }).then(keep),
      },
    ];

    const baseline = !WRITE_BASELINE && fs.existsSync(BASELINE_FILE) ? (JSON.parse(fs.readFileSync(BASELINE_FILE, 'utf8')) as LargeResult) : null;
    console.log(`Timing ${measures.length} request kinds, ${LARGE_SAMPLES} samples each after ${LARGE_WARMUP} warm-up requests…\n`);
    for (const m of measures) {
      const figures = await measure(m);
      results.push({ ...figures, key: m.key, server: figures.server as Stats });
      const res = last as Response;
      sizes[m.key] = res.bytes.length;
      // Untimed: does the answer hold the context exactly as sent (number spellings included)?
      if (m.key !== 'get_compressed') echoed[m.key] = res.body.includes(m.key === 'post' ? context.text : patchText);
      const base = baseline?.figures.find((f) => f.key === m.key);
      const verdict = !base
        ? ''
        : `  baseline p95 ${base.p95} / ${base.server.p95} ms` +
          (LARGE_BUDGET.appliesTo.includes(m.key)
            ? figures.p95 <= LARGE_BUDGET.factor * base.p95 && (figures.server?.p95 ?? 0) <= LARGE_BUDGET.factor * base.server.p95
              ? ` (within ${LARGE_BUDGET.factor}×)`
              : ` (OVER ${LARGE_BUDGET.factor}×)`
            : '');
      console.log(
        `${figures.name}\n  client p50 ${figures.p50.toFixed(1).padStart(7)} ms  p95 ${figures.p95.toFixed(1).padStart(7)} ms  max ${figures.max.toFixed(1).padStart(7)} ms` +
          `  |  server p50 ${figures.server?.p50.toFixed(1).padStart(7)} ms  p95 ${figures.server?.p95.toFixed(1).padStart(7)} ms` +
          (figures.serverCpu ? `  |  server CPU p50 ${figures.serverCpu.p50.toFixed(1).padStart(7)} ms  p95 ${figures.serverCpu.p95.toFixed(1).padStart(7)} ms` : '') +
          verdict,
      );
    }
  } finally {
    await server.stop();
    fs.rmSync(largeDir, { recursive: true, force: true });
  }

  const loadAfter = os.loadavg();
  const { machine, loadNote, environment } = machineInfo(loadBefore, loadAfter);
  console.log(`\nAnswers hold the context exactly as sent: ${Object.entries(echoed).map(([k, v]) => `${k} ${v ? 'yes' : 'no'}`).join(', ')}.`);
  console.log(`Machine: ${machine}; ${loadNote}.`);
  const commit = gitInfo();
  const result: LargeResult = {
    title: `Large contexts: ${(context.bytes / 2 ** 20).toFixed(1)} MiB over HTTP`,
    date: new Date().toISOString(),
    commit,
    machine,
    note:
      `${LARGE_SAMPLES} sequential samples per row after ${LARGE_WARMUP} warm-up requests, rate limits off, a fresh empty store; ` +
      'client = request written → last response byte received over loopback; server = Fastify responseTime (routing → response handed to the socket, body upload and parsing included) from its log; ' +
      'server CPU = CPU time of all server threads per request (/proc schedstat), which other load on the machine hardly changes; ' +
      loadNote,
    budget: LARGE_BUDGET,
    context: {
      bytes: context.bytes,
      postBodyBytes: postBody.length,
      sha256: context.sha256,
      ...context.counts,
      responseBytes: sizes,
      echoedExactly: echoed,
    },
    figures: results,
    environment,
  };
  return result;
}

interface LargeResult {
  title: string;
  date: string;
  commit: ReturnType<typeof gitInfo>;
  machine: string;
  note: string;
  budget: typeof LARGE_BUDGET;
  context: Record<string, unknown>;
  figures: LargeFigures[];
  environment: ReturnType<typeof machineInfo>['environment'];
}

// ---------------------------------------------------------------------------------------

async function main(): Promise<void> {
  const previous = fs.existsSync(RESULTS_FILE) ? (JSON.parse(fs.readFileSync(RESULTS_FILE, 'utf8')) as Record<string, unknown>) : {};
  let output: Record<string, unknown> = previous;
  try {
    if (sections.has('1m')) output = { ...(await runMillionSection(previous)), large: previous.large };
    if (sections.has('large')) {
      const large = await runLargeSection();
      output = { ...output, large };
      if (WRITE_BASELINE) {
        fs.mkdirSync(resultsDir, { recursive: true });
        fs.writeFileSync(BASELINE_FILE, `${JSON.stringify({ ...large, baseline: true }, null, 2)}\n`);
        console.log(`Wrote ${path.relative(root, BASELINE_FILE)} (the baseline later runs are compared with).`);
      }
    }
  } finally {
    agent.destroy();
  }
  fs.mkdirSync(resultsDir, { recursive: true });
  fs.writeFileSync(RESULTS_FILE, `${JSON.stringify(output, null, 2)}\n`);
  console.log(`Wrote ${path.relative(root, RESULTS_FILE)}${sections.size < SECTION_NAMES.length ? ` (section ${[...sections].join(', ')}; the rest kept)` : ''}.`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
