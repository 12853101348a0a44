/**
 * "Download as JSON" before a delete: the selected contexts in full, saved as a file.
 *
 * The table only holds summary rows (a 300-character preview), so the full contexts are
 * fetched again — through the read budget (100 per minute), which makes the choice of
 * requests matter: one GET per id costs N reads, while the list with `view=full` returns
 * 100 contexts a page. `collectBackup` walks list pages when that takes fewer requests
 * (the selected rows sit in the first pages of the list they were selected from) and asks
 * by id otherwise, and for any id the pages did not hold (moved or deleted meanwhile).
 *
 * The file is written with the lossless writer (`backupText`): the contexts were parsed
 * losslessly from the API's text, so every number is in the file exactly as stored
 * (750727362669608961, 1.10) and members keep their stored order.
 */
import { LosslessNumber, stringifyJson, type JsonObject, type JsonValue } from '@contract/json/lossless-json';
import type { ExecutionContext, ListResponse } from '@contract/types';
import { contextToJson } from '@/lib/context-json';

export interface BackupProgress {
  /** Contexts collected so far. */
  fetched: number;
  total: number;
  /** Requests sent so far. */
  requests: number;
}

export interface CollectBackupOptions {
  /** The contexts to save, in the order the file lists them. */
  ids: readonly string[];
  /** Contexts already at hand in full (e.g. the drawer's): no request for these. */
  known?: ReadonlyMap<string, ExecutionContext>;
  /**
   * Index of the last wanted id in the list `fetchPage` walks (the list the selection was
   * made on); null when unknown, which means asking by id.
   */
  lastIndex: number | null;
  pageSize: number;
  /** One page of that list with `view=full` after `after` (null: the first page). */
  fetchPage: (after: string | null, signal?: AbortSignal) => Promise<ListResponse<ExecutionContext>>;
  /** GET by id; resolves null for a 404 (deleted meanwhile). */
  fetchOne: (id: string, signal?: AbortSignal) => Promise<ExecutionContext | null>;
  signal?: AbortSignal;
  onProgress?: (progress: BackupProgress) => void;
}

export interface CollectedBackup {
  /** In the order of `ids`. */
  contexts: ExecutionContext[];
  /** Ids that no longer exist. */
  missing: string[];
  requests: number;
}

/** Pages walked beyond the expected ones, for rows pushed down by newer contexts. */
const EXTRA_PAGES = 1;

export async function collectBackup(options: CollectBackupOptions): Promise<CollectedBackup> {
  const { ids, known, lastIndex, pageSize, fetchPage, fetchOne, signal, onProgress } = options;
  const found = new Map<string, ExecutionContext>();
  for (const id of ids) {
    const context = known?.get(id);
    if (context) found.set(id, context);
  }
  const wanted = new Set(ids.filter((id) => !found.has(id)));
  let requests = 0;
  const report = () => onProgress?.({ fetched: found.size, total: ids.length, requests });
  report();

  const pagesNeeded = lastIndex === null ? Number.POSITIVE_INFINITY : Math.floor(lastIndex / pageSize) + 1;
  if (wanted.size > 0 && pagesNeeded < wanted.size) {
    let after: string | null = null;
    for (let page = 0; page < pagesNeeded + EXTRA_PAGES && wanted.size > 0; page += 1) {
      signal?.throwIfAborted();
      const response: ListResponse<ExecutionContext> = await fetchPage(after, signal);
      requests += 1;
      for (const context of response.data) {
        if (wanted.delete(context.id)) found.set(context.id, context);
      }
      report();
      if (!response.has_more || response.next_cursor === null) break;
      after = response.next_cursor;
    }
  }

  const missing: string[] = [];
  for (const id of wanted) {
    signal?.throwIfAborted();
    const context = await fetchOne(id, signal);
    requests += 1;
    if (context) found.set(id, context);
    else missing.push(id);
    report();
  }
  signal?.throwIfAborted();
  return { contexts: ids.flatMap((id) => found.get(id) ?? []), missing, requests };
}

export interface BackupDocument {
  exported_at: string;
  count: number;
  /** Selected ids that no longer existed when the backup was made. */
  missing: string[];
  contexts: ExecutionContext[];
}

export const backupDocument = (backup: CollectedBackup, now: Date): BackupDocument => ({
  exported_at: now.toISOString(),
  count: backup.contexts.length,
  missing: backup.missing,
  contexts: backup.contexts,
});

/** `execution-contexts-2026-11-22T10-05-00Z-12.json`: sortable, safe on every file system. */
export function backupFileName(now: Date, count: number): string {
  const stamp = now.toISOString().replace(/\.\d{3}Z$/, 'Z').replace(/:/g, '-');
  return `execution-contexts-${stamp}-${count}.json`;
}

/**
 * The backup file's text: `{ exported_at, count, missing, contexts }` pretty-printed, each
 * context with all its fields as the API sent them and its JSON exactly as stored.
 */
export function backupText(document: BackupDocument): string {
  const value: JsonObject = new Map<string, JsonValue>([
    ['exported_at', document.exported_at],
    ['count', new LosslessNumber(String(document.count))],
    ['missing', document.missing],
    ['contexts', document.contexts.map(contextToJson)],
  ]);
  return stringifyJson(value, 2);
}

/** Saves JSON text as a file through a Blob link (no server round trip, no new tab). */
export function saveJsonFile(fileName: string, text: string): void {
  const blob = new Blob([text], { type: 'application/json' });
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  link.rel = 'noopener';
  link.style.display = 'none';
  document.body.appendChild(link);
  try {
    link.click();
  } finally {
    link.remove();
    // After the click has been handled: revoking at once can cancel the download in some browsers.
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
  }
}
