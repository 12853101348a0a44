// The whole test suite, as `npm test` and CI run it: type-check, lint, Vitest (unit, API,
// component), build, then Playwright in Debian's Chromium against the real server.
// Ends with one summary line: `tests: N passed, M failed`.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';

mkdirSync('test-results', { recursive: true });
const steps = [];
let passed = 0;
let failed = 0;
let skipped = 0;

/** Local binaries directly (npx would add its own noise and lookups). */
const bin = (name) => `node_modules/.bin/${name}`;

function run(name, cmd, args, env = {}) {
  console.log(`\n▶ ${name}: ${cmd} ${args.join(' ')}`);
  const result = spawnSync(cmd, args, { stdio: 'inherit', env: { ...process.env, ...env } });
  const ok = result.status === 0;
  steps.push({ name, ok });
  if (!ok) console.error(`✖ ${name} failed (exit ${result.status ?? result.signal})`);
  return ok;
}

function readJson(path) {
  try {
    return existsSync(path) ? JSON.parse(readFileSync(path, 'utf8')) : null;
  } catch {
    return null;
  }
}

run('chromium', 'node', ['scripts/ensure-chromium.mjs']);
run('typecheck', bin('tsc'), ['-p', 'tsconfig.json', '--noEmit']);
run('lint', bin('eslint'), ['.', '--max-warnings=0']);

const vitestOk = run('vitest', bin('vitest'), [
  'run', '--reporter=default', '--reporter=json', '--outputFile.json=test-results/vitest.json',
]);
const vitest = readJson('test-results/vitest.json');
if (vitest) {
  passed += vitest.numPassedTests ?? 0;
  failed += vitest.numFailedTests ?? 0;
  skipped += (vitest.numPendingTests ?? 0) + (vitest.numTodoTests ?? 0);
} else if (!vitestOk) failed += 1;

const buildOk = run('build', bin('vite'), ['build', '--logLevel', 'warn']);
if (buildOk) {
  const e2eOk = run('playwright', bin('playwright'), ['test'], {
    PLAYWRIGHT_JSON_OUTPUT_NAME: 'test-results/playwright.json',
  });
  const pw = readJson('test-results/playwright.json');
  if (pw?.stats) {
    passed += pw.stats.expected ?? 0;
    failed += (pw.stats.unexpected ?? 0) + (pw.stats.flaky ?? 0);
    skipped += pw.stats.skipped ?? 0;
  } else if (!e2eOk) failed += 1;
}

const failedSteps = steps.filter((s) => !s.ok).map((s) => s.name);
console.log(`\nsteps: ${steps.map((s) => `${s.name} ${s.ok ? 'ok' : 'FAILED'}`).join(', ')}`);
// A failing non-test step (typecheck, lint, build) counts as a failure in the summary.
const stepFailures = failedSteps.filter((s) => s !== 'vitest' && s !== 'playwright').length;
console.log(`tests: ${passed} passed, ${failed + stepFailures} failed${skipped ? `, ${skipped} skipped` : ''}`);
process.exit(failedSteps.length === 0 ? 0 : 1);
