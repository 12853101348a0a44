/**
 * `npm start`: configuration from the environment → app → listen. The first stdout line
 * is `Execution Context Console listening on http://HOST:PORT` (tests parse it; with
 * PORT=0 it names the real port); the next says where the API keys are. Keys generated
 * on this very start are printed once to stdout, as the contract asks, so that the person
 * who just ran `npm start` can sign in; they are never logged, and later starts only name
 * the file. Keys from the environment are never printed.
 */
import type { AddressInfo } from 'node:net';
import { ROLES, type Role } from '../contract/constants';
import { buildApp } from './app';
import { ConfigError, loadConfig, type ServerConfig } from './config';
import { readKeyFile, type KeySource } from './auth/keys';
import { PRIVATE_UMASK } from './private-files';
import { seedIfEmpty } from './seed/demo-data';

function readConfig(): ServerConfig {
  try {
    return loadConfig(process.env);
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\nSee the README's Configuration section.\n`);
      process.exit(2);
    }
    throw error;
  }
}

function describeKeys(sources: Record<Role, KeySource>, keyFile: string, generated: Role[]): string {
  const fromEnv = ROLES.filter((role) => sources[role] === 'env');
  const fromFile = ROLES.filter((role) => sources[role] === 'file');
  const fromDatabase = ROLES.filter((role) => sources[role] === 'database');
  const parts: string[] = [];
  if (fromFile.length > 0) {
    const fresh = generated.length > 0 ? ` (just generated: ${generated.join(', ')})` : '';
    parts.push(`API keys for ${fromFile.join(', ')} are in ${keyFile}${fresh}; show them with: cat '${keyFile}'`);
  }
  if (generated.length > 0) {
    const keys = readKeyFile(keyFile);
    parts.push('New API keys (shown once; find them again in the file above):');
    for (const role of generated) parts.push(`  ${role.padEnd(6)}  ${keys[role] ?? '(missing)'}`);
  }
  if (fromEnv.length > 0) {
    parts.push(`API keys for ${fromEnv.join(', ')} come from ${fromEnv.map((r) => `${r.toUpperCase()}_API_KEY`).join(', ')}`);
  }
  if (fromDatabase.length > 0) {
    parts.push(
      `API keys for ${fromDatabase.join(', ')} were created by another instance on this database; ` +
        "find them in that instance's key file (or set the *_API_KEY variables on every instance)",
    );
  }
  return parts.join('\n');
}

async function main(): Promise<void> {
  // Before anything is created: whatever this process writes (database, WAL, key file,
  // anything a library adds) is private to its owner. buildApp also sets explicit modes.
  process.umask(PRIVATE_UMASK);
  const config = readConfig();
  // Logs go to stderr: stdout is for the two lines above, which scripts and tests read.
  const { app, store, keySetup } = await buildApp(config, { logStream: process.stderr });

  if (config.seedContexts > 0) {
    const seeded = await seedIfEmpty(store, config.seedContexts);
    if (seeded > 0) app.log.info({ seeded }, 'seeded demo contexts into the empty store');
  }

  await app.listen({ host: config.host, port: config.port });
  const address = app.server.address() as AddressInfo;
  // IPv6 addresses need brackets in a URL.
  const host = config.host.includes(':') ? `[${config.host}]` : config.host;
  process.stdout.write(`Execution Context Console listening on http://${host}:${address.port}\n`);
  process.stdout.write(`${describeKeys(keySetup.sources, keySetup.keyFile, keySetup.generated)}\n`);

  let closing = false;
  const shutdown = (signal: NodeJS.Signals) => {
    if (closing) return;
    closing = true;
    app.log.info({ signal }, 'shutting down');
    // A client that stops reading a response would hold close() open forever: give
    // in-flight requests a fair chance, then exit anyway (SQLite's WAL keeps commits safe).
    setTimeout(() => {
      app.log.warn('requests still open after 10 s; exiting without them');
      // SQLite's WAL and PostgreSQL keep every commit; only in-flight answers are lost.
      void store.close().finally(() => process.exit(0));
    }, 10_000).unref();
    // app.close() stops accepting, finishes in-flight requests and closes the store.
    app.close().then(
      () => process.exit(0),
      (error: unknown) => {
        app.log.error({ err: error }, 'error while shutting down');
        process.exit(1);
      },
    );
  };
  process.once('SIGINT', shutdown);
  process.once('SIGTERM', shutdown);
}

main().catch((error: unknown) => {
  process.stderr.write(`Execution Context Console failed to start: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
