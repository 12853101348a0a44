import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defineConfig } from '@playwright/test';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from './e2e/support/chromium';
import { E2E_KEYS, E2E_SERVERS } from './e2e/support/servers';

/**
 * End-to-end tests in Debian's Chromium against the real server, built dashboard and a
 * SQLite file in a fresh temporary folder. Two servers:
 * - `main`: demo data, read/write limits raised so that the suite's many page loads do not
 *   share one minute's budget (the limiter itself is covered by the API tests);
 * - `limits`: the seeds' rate limits exactly, no demo data, for the bulk-delete scenario.
 */
function serverCommand(name: keyof typeof E2E_SERVERS, env: Record<string, string>) {
  const { port } = E2E_SERVERS[name];
  const dataDir = join(tmpdir(), `ecc-e2e-${name}-${port}`);
  return {
    command: `rm -rf '${dataDir}' && node --import tsx server/main.ts`,
    url: `http://127.0.0.1:${port}/api/health`,
    reuseExistingServer: false,
    timeout: 60_000,
    stdout: 'ignore' as const,
    stderr: 'pipe' as const,
    env: {
      PORT: String(port),
      HOST: '127.0.0.1',
      DATA_DIR: dataDir,
      ADMIN_API_KEY: E2E_KEYS.admin,
      EDITOR_API_KEY: E2E_KEYS.editor,
      VIEWER_API_KEY: E2E_KEYS.viewer,
      LOG_LEVEL: 'warn',
      ...env,
    },
  };
}

export default defineConfig({
  testDir: 'e2e',
  testMatch: '**/*.spec.ts',
  fullyParallel: false,
  workers: 1,
  retries: 0,
  timeout: 60_000,
  expect: { timeout: 10_000 },
  reporter: [['list'], ['json']],
  outputDir: 'test-results/playwright',
  use: {
    baseURL: E2E_SERVERS.main.url,
    viewport: { width: 1440, height: 900 },
    trace: 'retain-on-failure',
    launchOptions: { executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS },
  },
  webServer: [
    serverCommand('main', { SEED_CONTEXTS: '600', RATE_LIMITS: 'read=200/5000,write=50/1000,delete=5/50' }),
    serverCommand('limits', { SEED_CONTEXTS: '0' }),
  ],
});
