import { defineConfig, mergeConfig } from 'vitest/config';
import viteConfig from './vite.config';

/** Test files that start servers (startTestServer): run once per store engine. */
const API_TESTS = [
  'server/app.test.ts',
  'server/rate-limit.test.ts',
  'server/auth/**/*.test.ts',
  'server/routes/**/*.test.ts',
];

export default mergeConfig(
  viteConfig,
  defineConfig({
    test: {
      projects: [
        {
          extends: true,
          test: {
            name: 'server',
            environment: 'node',
            include: ['server/**/*.test.ts', 'contract/**/*.test.ts', 'bench/**/*.test.ts'],
            // One throwaway PostgreSQL for the run (or TEST_DATABASE_URL): the PostgreSQL
            // store's tests and the multi-instance tests use it.
            globalSetup: ['server/testing/pg-global-setup.ts'],
            // API tests start real servers on real databases; keep them in separate forks.
            pool: 'forks',
            testTimeout: 30_000,
            hookTimeout: 60_000,
          },
        },
        {
          extends: true,
          test: {
            // The same API tests again, every server on PostgreSQL (a database per server).
            name: 'server:postgres',
            environment: 'node',
            include: API_TESTS,
            env: { TEST_STORE: 'postgres' },
            globalSetup: ['server/testing/pg-global-setup.ts'],
            pool: 'forks',
            testTimeout: 30_000,
            hookTimeout: 60_000,
          },
        },
        {
          extends: true,
          test: {
            name: 'client',
            environment: 'jsdom',
            include: ['src/**/*.test.{ts,tsx}'],
            setupFiles: ['src/testing/setup.ts'],
            testTimeout: 20_000,
          },
        },
      ],
    },
  }),
);
