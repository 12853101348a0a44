/**
 * openStore(config): the one place that picks the engine. DATABASE_URL set → PostgreSQL
 * (shared by every instance with the same URL); unset → the SQLite file in DATA_DIR, the
 * embedded default of `npm start`.
 */
import type { DatabaseConfig } from '../config';
import { openPostgresStore } from './postgres/postgres-store';
import { openSqliteStore } from './sqlite/sqlite-store';
import type { SearchLimits } from './search';
import type { ContextStore } from './types';

export interface OpenStoreOptions {
  /** SQLite: told about each existing data file that was open to others and was narrowed. */
  warn?: (message: string) => void;
  /** Where PostgreSQL pool errors are reported (they never end the process). */
  onPoolError?: (error: Error) => void;
}

/** Opens (and migrates) the configured store. Rejects when PostgreSQL cannot be reached or
 *  its schema is newer than this build. */
export async function openStore(
  config: { dataDir: string; database: DatabaseConfig | null; searchScanRows?: number; searchIndexCandidates?: number },
  options: OpenStoreOptions = {},
): Promise<ContextStore> {
  const search: SearchLimits = {
    ...(config.searchScanRows !== undefined ? { searchScanRows: config.searchScanRows } : {}),
    ...(config.searchIndexCandidates !== undefined ? { searchIndexCandidates: config.searchIndexCandidates } : {}),
  };
  if (config.database === null) {
    return openSqliteStore(config.dataDir, { ...search, ...(options.warn !== undefined ? { warn: options.warn } : {}) });
  }
  const db = config.database;
  return openPostgresStore({
    ...search,
    connectionString: db.url,
    poolSize: db.poolSize,
    statementTimeoutMs: db.statementTimeoutMs,
    connectTimeoutMs: db.connectTimeoutMs,
    ...(db.ssl !== undefined ? { ssl: db.ssl } : {}),
    ...(db.sslCaFile !== undefined ? { sslCaFile: db.sslCaFile } : {}),
    ...(options.onPoolError !== undefined ? { onPoolError: options.onPoolError } : {}),
  });
}
