/**
 * Versioned schema of the SQLite store. `PRAGMA user_version` records how many migrations
 * have run; `migrate()` applies the missing ones, each in its own transaction, so opening
 * an up-to-date database is a no-op and a crash mid-migration leaves the previous version.
 * Append new migrations; never edit one that has shipped.
 */
import type Database from 'better-sqlite3';
import { ACCOUNTABILITY_MIGRATION } from './accountability';

/**
 * The triggers that keep `context_search` in step with every write, in the write's own
 * transaction (migration 4's; migration 2 had the same without ecc_search_by_trigger).
 * ecc_search_text and ecc_search_by_trigger are registered by the store before migrating
 * (sqlite/search.ts); the latter is 0 only inside a bulk insert's transaction, which
 * indexes its rows itself (SearchIndexControl).
 */
const SEARCH_TRIGGERS = `
  CREATE TRIGGER tr_ctx_search_insert AFTER INSERT ON execution_contexts
    WHEN new.context_json IS NOT NULL AND ecc_search_by_trigger()
  BEGIN
    INSERT INTO context_search (rowid, text) VALUES (new.rowid, ecc_search_text(new.context_json));
  END;
  CREATE TRIGGER tr_ctx_search_update AFTER UPDATE OF context_json ON execution_contexts
    WHEN old.context_json IS NOT new.context_json
  BEGIN
    DELETE FROM context_search WHERE rowid = old.rowid;
    INSERT INTO context_search (rowid, text)
      SELECT new.rowid, ecc_search_text(new.context_json) WHERE new.context_json IS NOT NULL;
  END;
  CREATE TRIGGER tr_ctx_search_delete AFTER DELETE ON execution_contexts
  BEGIN
    DELETE FROM context_search WHERE rowid = old.rowid;
  END;
`;


/**
 * Migration 5's triggers: as SEARCH_TRIGGERS, but a context too large for the trigram
 * index (ecc_search_indexable(size) false: over SearchLimits.searchIndexMaxBytes) keeps its
 * search text in context_search_unindexed instead (pending 0), where searches check it
 * exactly without the index (sqlite/search.ts). Each context's text is in exactly one of
 * the two tables. ecc_search_by_trigger() is 0 while the store writes a search text it was
 * given (the seed worker's, the body parser's) itself; the old text is removed either way.
 */
const SEARCH_TRIGGERS_5 = `
  CREATE TRIGGER tr_ctx_search_insert AFTER INSERT ON execution_contexts
    WHEN new.context_json IS NOT NULL AND ecc_search_by_trigger()
  BEGIN
    INSERT INTO context_search (rowid, text)
      SELECT new.rowid, ecc_search_text(new.context_json) WHERE ecc_search_indexable(new.context_size);
    INSERT INTO context_search_unindexed (rowid, text, pending)
      SELECT new.rowid, ecc_search_text(new.context_json), 0 WHERE NOT ecc_search_indexable(new.context_size);
  END;
  CREATE TRIGGER tr_ctx_search_update AFTER UPDATE OF context_json ON execution_contexts
    WHEN old.context_json IS NOT new.context_json
  BEGIN
    DELETE FROM context_search WHERE rowid = old.rowid;
    DELETE FROM context_search_unindexed WHERE rowid = old.rowid;
    INSERT INTO context_search (rowid, text)
      SELECT new.rowid, ecc_search_text(new.context_json)
      WHERE new.context_json IS NOT NULL AND ecc_search_indexable(new.context_size) AND ecc_search_by_trigger();
    INSERT INTO context_search_unindexed (rowid, text, pending)
      SELECT new.rowid, ecc_search_text(new.context_json), 0
      WHERE new.context_json IS NOT NULL AND NOT ecc_search_indexable(new.context_size) AND ecc_search_by_trigger();
  END;
  CREATE TRIGGER tr_ctx_search_delete AFTER DELETE ON execution_contexts
  BEGIN
    DELETE FROM context_search WHERE rowid = old.rowid;
    DELETE FROM context_search_unindexed WHERE rowid = old.rowid;
  END;
`;

export const MIGRATIONS: readonly string[] = [
  // 1: initial schema.
  `
  CREATE TABLE execution_contexts (
    id           TEXT PRIMARY KEY,
    agent_id     TEXT,
    workflow_id  TEXT,
    session_id   TEXT,
    status       TEXT NOT NULL CHECK (status IN
                   ('idle','running','waiting_for_input','interrupted','completed','failed')),
    created_at   INTEGER NOT NULL,  -- ms since the epoch (UTC)
    updated_at   INTEGER NOT NULL,
    version      INTEGER NOT NULL DEFAULT 1,
    context_size INTEGER NOT NULL DEFAULT 0,  -- UTF-8 bytes of context_json, 0 when null
    -- Last on purpose: a large context spills into overflow pages, and SQLite reaches a
    -- column stored after it only by walking that chain. Keeping it last lets the list's
    -- filters and the summary view read every other column from the row's first page.
    context_json TEXT               -- compact JSON.stringify output, NULL for a null context
  );

  -- Every list query is a backward walk (newest first) along one of these in (created_at,
  -- id) order, so no query ever sorts its match set. The keys are ascending, not DESC, on
  -- purpose: rows arrive in time order, and appends at the right edge of a B-tree keep its
  -- pages full, where DESC keys made every insert split at the left edge (files ~10%
  -- larger, seeding slower). The trailing columns (status, updated_at) make the filters
  -- that are not part of the key checkable inside the index, so rows skipped by a filter
  -- or by OFFSET never cost a table lookup.
  CREATE INDEX ix_ctx_created  ON execution_contexts (created_at, id, status, updated_at);
  CREATE INDEX ix_ctx_agent    ON execution_contexts (agent_id, created_at, id, status, updated_at);
  CREATE INDEX ix_ctx_workflow ON execution_contexts (workflow_id, created_at, id, status, updated_at);
  CREATE INDEX ix_ctx_status   ON execution_contexts (status, created_at, id, updated_at);

  CREATE TABLE api_keys (
    role     TEXT PRIMARY KEY CHECK (role IN ('viewer','editor','admin')),
    key_hash TEXT NOT NULL
  );

  CREATE TABLE sessions (
    token_hash TEXT PRIMARY KEY,
    role       TEXT NOT NULL,
    key_hash   TEXT NOT NULL,  -- the key it was opened with: rotating the key ends it
    expires_at INTEGER NOT NULL
  );
  CREATE INDEX ix_sessions_expires ON sessions (expires_at);
  `,
  // 2: search in contexts (issue 10; sqlite/search.ts). The FTS5 trigram index of each
  // context's search text (ecc_search_text, registered by the store before migrating),
  // keyed by the context's rowid; triggers keep it in step with every write, in the same
  // transaction. case_sensitive 1: the text is already folded by the shared rule.
  `
  CREATE VIRTUAL TABLE context_search USING fts5(text, tokenize = 'trigram case_sensitive 1');
  INSERT INTO context_search (rowid, text)
    SELECT rowid, ecc_search_text(context_json) FROM execution_contexts WHERE context_json IS NOT NULL;
  CREATE TRIGGER tr_ctx_search_insert AFTER INSERT ON execution_contexts
    WHEN new.context_json IS NOT NULL
  BEGIN
    INSERT INTO context_search (rowid, text) VALUES (new.rowid, ecc_search_text(new.context_json));
  END;
  CREATE TRIGGER tr_ctx_search_update AFTER UPDATE OF context_json ON execution_contexts
    WHEN old.context_json IS NOT new.context_json
  BEGIN
    DELETE FROM context_search WHERE rowid = old.rowid;
    INSERT INTO context_search (rowid, text)
      SELECT new.rowid, ecc_search_text(new.context_json) WHERE new.context_json IS NOT NULL;
  END;
  CREATE TRIGGER tr_ctx_search_delete AFTER DELETE ON execution_contexts
  BEGIN
    DELETE FROM context_search WHERE rowid = old.rowid;
  END;
  `,
  // 3: named API keys, version history, recently deleted contexts, audit events (issue 11).
  ACCOUNTABILITY_MIGRATION,
  // 4: the search index without positions (sqlite/search.ts). detail=none keeps only which
  // contexts hold each trigram (no positions): about half the work per indexed context and
  // a third of the index's size, so writes and seeding stay cheap. Phrases cannot be
  // matched then, so q's candidates are the contexts holding all its trigrams and each one
  // is checked exactly against the stored text. columnsize=0: no per-row token counts
  // (only ranking reads them). The texts are copied from the old table, not recomputed.
  `
  DROP TRIGGER tr_ctx_search_insert;
  DROP TRIGGER tr_ctx_search_update;
  DROP TRIGGER tr_ctx_search_delete;
  ALTER TABLE context_search RENAME TO context_search_old;
  CREATE VIRTUAL TABLE context_search USING fts5(
    text, tokenize = 'trigram case_sensitive 1', detail = none, columnsize = 0
  );
  INSERT INTO context_search (rowid, text) SELECT rowid, text FROM context_search_old;
  DROP TABLE context_search_old;
  ${SEARCH_TRIGGERS}
  `,
  // 5: search texts kept out of the trigram index (sqlite/search.ts). FTS5 indexes ~10 µs
  // of CPU per 100 bytes of text, so a 5 MiB context cost ~0.2 s per write in the index
  // alone (issue 8's budget), and a million seeded contexts ~2 minutes (issue 10's). Two
  // kinds of context now keep their search text here instead, checked exactly (instr) by
  // every search that may reach them:
  // - pending = 0: larger than the index takes (ecc_search_indexable), for good;
  // - pending = 1: loaded by a bulk load (the seed CLI), until the server's background
  //   indexer moves it into context_search (SqliteContextStore.indexPendingSync).
  // The contexts already indexed that are now too large move here.
  `
  CREATE TABLE context_search_unindexed (
    rowid   INTEGER PRIMARY KEY,  -- the context's rowid
    text    TEXT NOT NULL,        -- its search text (contract/search/search-text.ts)
    pending INTEGER NOT NULL      -- 1: waits for the background indexer; 0: too large to index
  );
  DROP TRIGGER tr_ctx_search_insert;
  DROP TRIGGER tr_ctx_search_update;
  DROP TRIGGER tr_ctx_search_delete;
  INSERT INTO context_search_unindexed (rowid, text, pending)
    SELECT s.rowid, s.text, 0 FROM execution_contexts c JOIN context_search s ON s.rowid = c.rowid
    WHERE NOT ecc_search_indexable(c.context_size);
  DELETE FROM context_search WHERE rowid IN (SELECT rowid FROM context_search_unindexed);
  ${SEARCH_TRIGGERS_5}
  `,
];

export const SCHEMA_VERSION = MIGRATIONS.length;

/** Brings the database to SCHEMA_VERSION. Refuses a database written by a newer build. */
export function migrate(db: Database.Database): void {
  // IMMEDIATE: two processes opening a fresh file at once must not both run migration 1.
  const step = db.transaction((index: number, sql: string) => {
    const current = db.pragma('user_version', { simple: true }) as number;
    if (current !== index) return; // another connection got there first
    db.exec(sql);
    db.pragma(`user_version = ${index + 1}`);
  });
  const current = db.pragma('user_version', { simple: true }) as number;
  if (current > SCHEMA_VERSION) {
    throw new Error(
      `database schema version ${current} is newer than this server understands (${SCHEMA_VERSION})`,
    );
  }
  for (let index = current; index < SCHEMA_VERSION; index += 1) {
    step.immediate(index, MIGRATIONS[index] as string);
  }
}
