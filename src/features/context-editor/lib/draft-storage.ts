/**
 * Unsaved editor drafts in sessionStorage, so that a reload (or a crash of the tab's
 * renderer) does not lose someone's hand edits. sessionStorage, not localStorage: a draft
 * belongs to this tab's work and should not reappear in other tabs or days later.
 *
 * A draft is keyed by context id + the ETag of the version it was started from, and it
 * keeps that base version too: the merge on save needs "what did the user start from",
 * and the server may have moved on by the time the draft is restored.
 *
 * Only document text is stored — never an API key or anything from the session.
 * This module has no dependencies so the first-load code can ask `hasDraft` cheaply.
 */
import type { JsonObject } from '@contract/types';

export type EditorMode = 'document' | 'patch';

export interface EditorDraft {
  contextId: string;
  /** ETag of the version the edit started from (`"v3"`). */
  baseEtag: string;
  /** That version's editable fields: the base of the three-way merge. */
  base: { context: JsonObject | null; session_id: string | null };
  mode: EditorMode;
  /** The document editor's text (may be invalid JSON: drafts are kept as typed). */
  documentText: string;
  /** The "Apply merge patch" editor's text. */
  patchText: string;
  /** The session_id field as typed ("" clears it). */
  sessionId: string;
  /** ms since the epoch. */
  savedAt: number;
}

const PREFIX = 'ecc:editor-draft:v1:';
const prefixFor = (contextId: string) => `${PREFIX}${encodeURIComponent(contextId)}:`;
export const draftKey = (contextId: string, baseEtag: string) => `${prefixFor(contextId)}${baseEtag}`;

function storage(): Storage | null {
  try {
    return typeof window === 'undefined' ? null : window.sessionStorage;
  } catch {
    // Access can throw (storage disabled by policy): drafts are then simply not kept.
    return null;
  }
}

function keysFor(store: Storage, contextId: string): string[] {
  const prefix = prefixFor(contextId);
  const keys: string[] = [];
  for (let i = 0; i < store.length; i++) {
    const key = store.key(i);
    if (key?.startsWith(prefix)) keys.push(key);
  }
  return keys;
}

/** Whether a draft exists for this context (without reading or parsing it). */
export function hasDraft(contextId: string): boolean {
  const store = storage();
  return store !== null && keysFor(store, contextId).length > 0;
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

function isDraft(value: unknown): value is EditorDraft {
  if (!isObject(value) || !isObject(value.base)) return false;
  const { base } = value;
  return (
    typeof value.contextId === 'string' &&
    typeof value.baseEtag === 'string' &&
    (base.context === null || isObject(base.context)) &&
    (base.session_id === null || typeof base.session_id === 'string') &&
    (value.mode === 'document' || value.mode === 'patch') &&
    typeof value.documentText === 'string' &&
    typeof value.patchText === 'string' &&
    typeof value.sessionId === 'string' &&
    typeof value.savedAt === 'number'
  );
}

/** The newest stored draft of this context, or null. Unreadable entries are dropped. */
export function loadDraft(contextId: string): EditorDraft | null {
  const store = storage();
  if (!store) return null;
  let newest: EditorDraft | null = null;
  for (const key of keysFor(store, contextId)) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(store.getItem(key) ?? 'null');
    } catch {
      parsed = null;
    }
    if (!isDraft(parsed) || parsed.contextId !== contextId) {
      store.removeItem(key);
      continue;
    }
    if (!newest || parsed.savedAt > newest.savedAt) newest = parsed;
  }
  return newest;
}

export type SaveDraftResult = 'saved' | 'unavailable' | 'too-large';

/** Stores the draft, replacing any other draft of the same context. */
export function saveDraft(draft: EditorDraft): SaveDraftResult {
  const store = storage();
  if (!store) return 'unavailable';
  const key = draftKey(draft.contextId, draft.baseEtag);
  for (const other of keysFor(store, draft.contextId)) if (other !== key) store.removeItem(other);
  try {
    store.setItem(key, JSON.stringify(draft));
    return 'saved';
  } catch {
    // Over the ~5 MB quota: better no draft than a half-written one.
    store.removeItem(key);
    return 'too-large';
  }
}

export function clearDrafts(contextId: string): void {
  const store = storage();
  if (!store) return;
  for (const key of keysFor(store, contextId)) store.removeItem(key);
}
