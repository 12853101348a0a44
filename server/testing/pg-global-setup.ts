/**
 * vitest global setup of the server projects: one throwaway embedded PostgreSQL for the
 * whole run (unless TEST_DATABASE_URL names one), its admin URL provided to the workers as
 * `pgAdminUrl` (see postgres.ts). Both server projects list this file; the server is
 * started once per vitest process and stopped after the last project finished.
 */
import type { TestProject } from 'vitest/node';
import { startEmbeddedPostgres, type EmbeddedServer } from './postgres';

interface Shared {
  server: Promise<EmbeddedServer>;
  users: number;
}

/** Kept on globalThis: each project may load this module separately. */
const holder = globalThis as typeof globalThis & { __eccTestPostgres?: Shared };

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const external = process.env.TEST_DATABASE_URL;
  if (external) {
    project.provide('pgAdminUrl', external);
    return async () => {};
  }
  holder.__eccTestPostgres ??= { server: startEmbeddedPostgres({ fast: true }), users: 0 };
  const shared = holder.__eccTestPostgres;
  shared.users += 1;
  const server = await shared.server;
  project.provide('pgAdminUrl', server.url);
  return async () => {
    shared.users -= 1;
    if (shared.users === 0) {
      delete holder.__eccTestPostgres;
      await server.destroy();
    }
  };
}
