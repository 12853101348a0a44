/**
 * The UI benchmark's harness: a cached 100,000-context store, the real server on it (rate
 * limits off), Chromium, and the figures' shape. Measures are small modules
 * (`Measure`) listed in bench/ui.ts; each gets a `BenchEnv` and returns rows for the
 * report. Add a measure by writing one (see ./browse.ts) and listing it there.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type BrowserContext, type Page } from '@playwright/test';
import type { Role } from '../../contract/constants';
import { CHROMIUM_ARGS as E2E_CHROMIUM_ARGS, CHROMIUM_PATH } from '../../e2e/support/chromium';
import { DATABASE_FILE, openSqliteStore } from '../../server/store/sqlite/sqlite-store';
import { startBenchServer } from '../lib/server';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const ROWS = Number(process.env.BENCH_UI_ROWS ?? 100_000);
export const DATA_DIR = process.env.BENCH_UI_DATA_DIR ?? path.join(os.tmpdir(), `ecc-bench-ui-${ROWS}`);

export const KEYS: Record<Role, string> = {
  viewer: 'bench-ui-viewer-key-0123456789abcdef',
  editor: 'bench-ui-editor-key-0123456789abcdef',
  admin: 'bench-ui-admin-key-0123456789abcdef',
};

/** One line of the report. `value` is what people read; `raw` keeps the number. */
export interface FigureRow {
  name: string;
  value: string;
  budget?: string;
  ok?: boolean;
  raw?: number;
  unit?: string;
}

/** A created context as the benchmarks use it: plain JSON (generated, no big numbers). */
export interface BenchContext {
  id: string;
  context: Record<string, unknown> | null;
}

export interface BenchEnv {
  baseUrl: string;
  browser: Browser;
  /** A fresh browser context (empty cache) signed in as `role`, at 1440×900. */
  newSignedInContext: (role?: Role) => Promise<{ context: BrowserContext; page: Page }>;
  /** Creates a context through the API with the editor's key (e.g. a 1 MB one). */
  /**
   * POSTs generated test data (plain JSON: small numbers, JSON.stringify/parse are exact
   * for it) and returns the created context as plain values.
   */
  createContext: (body: Record<string, unknown>) => Promise<BenchContext>;
  /** Free-form details a measure wants kept in ui.json next to its rows. */
  details: Record<string, unknown>;
}

export interface Measure {
  name: string;
  run: (env: BenchEnv) => Promise<FigureRow[]>;
}

export const CHROMIUM_ARGS = [
  ...E2E_CHROMIUM_ARGS,
  // Exact heap figures instead of bucketed ones.
  '--enable-precise-memory-info',
];

/**
 * The store, seeded once with the seed CLI and reused while it holds ROWS contexts plus
 * the few that measures create (the 1 and 2 MB contexts), which newest-first puts on top.
 */
export function ensureStore(): { seeded: boolean } {
  let count = 0;
  if (fs.existsSync(path.join(DATA_DIR, DATABASE_FILE))) {
    const store = openSqliteStore(DATA_DIR);
    count = store.countSync();
    store.closeSync();
  }
  if (count >= ROWS && count <= ROWS + 1000) {
    console.log(`Reusing ${DATA_DIR} (${ROWS.toLocaleString('en')} contexts).`);
    return { seeded: false };
  }
  fs.rmSync(DATA_DIR, { recursive: true, force: true });
  console.log(`Seeding ${ROWS.toLocaleString('en')} contexts into ${DATA_DIR} (cached for later runs)…`);
  const result = spawnSync('npm', ['run', '--silent', 'seed', '--', '--count', String(ROWS), '--data-dir', DATA_DIR], {
    cwd: ROOT,
    stdio: 'inherit',
  });
  if (result.status !== 0) throw new Error(`seeding failed (exit ${result.status})`);
  return { seeded: true };
}

export interface RunningServer {
  url: string;
  stop: () => Promise<void>;
}

/** The real server on the bench store, on a free port; stopped by its process id. */
export async function startServer(): Promise<RunningServer> {
  if (!fs.existsSync(path.join(ROOT, 'dist', 'index.html'))) throw new Error('dist/ is missing: run `npm run build` first');
  const server = await startBenchServer({
    DATA_DIR,
    RATE_LIMITS: 'off',
    SEED_CONTEXTS: '0',
    VIEWER_API_KEY: KEYS.viewer,
    EDITOR_API_KEY: KEYS.editor,
    ADMIN_API_KEY: KEYS.admin,
  });
  return { url: server.base, stop: server.stop };
}

export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
}

export function createEnv(baseUrl: string, browser: Browser): BenchEnv {
  return {
    baseUrl,
    browser,
    details: {},
    newSignedInContext: async (role = 'viewer') => {
      const context = await browser.newContext({ baseURL: baseUrl, viewport: { width: 1440, height: 900 } });
      // tsx compiles this file with esbuild's keepNames, which wraps named functions in a
      // `__name(fn, "name")` helper; functions passed to page.evaluate carry those calls
      // into the page, where the helper does not exist. Define it there as a no-op.
      await context.addInitScript('globalThis.__name ??= (fn) => fn;');
      // Sign in through the API in this context: the HttpOnly cookie lands in its jar.
      const res = await context.request.post('/api/session', { data: { api_key: KEYS[role] } });
      if (!res.ok()) throw new Error(`sign-in as ${role} failed: ${res.status()}`);
      return { context, page: await context.newPage() };
    },
    createContext: async (body) => {
      const res = await fetch(`${baseUrl}/api/ai/execution-contexts`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${KEYS.editor}`, 'Content-Type': 'application/json' },
        body: JSON.stringify(body),
      });
      if (res.status !== 201) throw new Error(`create failed: ${res.status} ${await res.text()}`);
      return (await res.json()) as BenchContext; // fidelity-ok: generated plain test data
    },
  };
}

export const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
};

export function machineDescription(): string {
  const cpus = os.cpus();
  return `${cpus.length} × ${cpus[0]?.model.trim() ?? 'unknown CPU'}, ${Math.round(os.totalmem() / 2 ** 30)} GiB RAM, Node ${process.version}, ${os.platform()} ${os.release()}`;
}

/** Prints the rows as an aligned table. */
export function printTable(rows: FigureRow[]): void {
  const width = Math.max(...rows.map((r) => r.name.length));
  const valueWidth = Math.max(...rows.map((r) => r.value.length));
  for (const r of rows) {
    const verdict = r.ok === undefined ? '' : r.ok ? '✓ within' : '✗ OVER';
    console.log(`${r.name.padEnd(width)}  ${r.value.padStart(valueWidth)}  ${(r.budget ?? '').padEnd(14)} ${verdict}`);
  }
}
