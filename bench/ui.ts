/**
 * The dashboard's performance in Chromium: `npm run bench:ui` (builds first).
 *
 * 1. A 100,000-context store in `os.tmpdir()/ecc-bench-ui-100000`, seeded once with the
 *    seed CLI and reused by later runs.
 * 2. The real server on it (`node --import tsx server/main.ts`, PORT=0, RATE_LIMITS=off),
 *    stopped by its process id at the end.
 * 3. Each measure in MEASURES, in a fresh browser context (empty cache) at 1440×900.
 * 4. A table on stdout and bench/results/ui.json (bench/report.mjs puts it in the README).
 *
 * Budgets (issue #3): initial JS ≤ 150 KB gzip with Monaco not loaded; ≤ 60 row elements
 * in the DOM with 10,000 rows loaded; longest main-thread task ≤ 50 ms while scrolling.
 *
 * Adding measures: write a `Measure` (bench/ui/harness.ts) in its own module and list it
 * below — the editor's "Edit → editable Monaco (cold/warm)" and "typing latency in a 1 MB
 * context" belong in bench/ui/editor.ts; `env.createContext()` makes the 1 MB context and
 * `env.newSignedInContext('editor')` the page.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { bigContextDrawer, firstLoad, tenThousandRows } from './ui/browse';
import { editorMeasures } from './ui/editor';
import {
  ROOT,
  ROWS,
  createEnv,
  ensureStore,
  launchBrowser,
  machineDescription,
  printTable,
  startServer,
  type FigureRow,
  type Measure,
} from './ui/harness';

const MEASURES: Measure[] = [
  firstLoad,
  tenThousandRows,
  bigContextDrawer,
  // The editor (issue #4): Edit → editable Monaco (cold, warm) and typing in a 1 MB context.
  ...editorMeasures,
];

const loadBefore = os.loadavg()[0] ?? 0;
ensureStore();
const server = await startServer();
const browser = await launchBrowser();
const env = createEnv(server.url, browser);
const chromiumVersion = browser.version();
const rows: FigureRow[] = [];
const failures: string[] = [];
try {
  // BENCH_UI_ONLY=<text> runs only the measures whose name contains it (while tuning one).
  const only = process.env.BENCH_UI_ONLY;
  for (const measure of MEASURES.filter((m) => !only || m.name.includes(only))) {
    console.log(`\n▶ ${measure.name}`);
    try {
      const measured = await measure.run(env);
      printTable(measured);
      rows.push(...measured);
    } catch (error) {
      failures.push(`${measure.name}: ${error instanceof Error ? error.message : String(error)}`);
      console.error(`✖ ${measure.name} failed:`, error);
    }
  }
} finally {
  await browser.close();
  await server.stop();
}

const loadAfter = os.loadavg()[0] ?? 0;
const cpus = os.cpus().length;
const busy = Math.max(loadBefore, loadAfter) > cpus;
const output = {
  title: `Dashboard in Chromium at ${ROWS.toLocaleString('en')} contexts`,
  date: new Date().toISOString(),
  machine: machineDescription(),
  note:
    `headless Chromium ${chromiumVersion}, 1440×900, rate limits off; load average ${loadBefore.toFixed(1)} before, ` +
    `${loadAfter.toFixed(1)} after${busy ? ' (the machine was busy with other work: timings are pessimistic)' : ''}` +
    (failures.length ? `; failed: ${failures.join('; ')}` : ''),
  rows,
  details: env.details,
};
const file = path.join(ROOT, 'bench', 'results', 'ui.json');
fs.mkdirSync(path.dirname(file), { recursive: true });
// A partial run (BENCH_UI_ONLY) prints its figures but keeps the last full results.
if (!process.env.BENCH_UI_ONLY) fs.writeFileSync(file, `${JSON.stringify(output, null, 2)}\n`);
// fidelity-ok: benchmark figures, not context data
else console.log('\nDetails (not written):', JSON.stringify(env.details));
console.log('\nSummary');
printTable(rows);
console.log(`\nWrote ${path.relative(ROOT, file)}. Machine: ${output.machine}.`);
process.exit(failures.length > 0 || rows.some((r) => r.ok === false) ? 1 : 0);
