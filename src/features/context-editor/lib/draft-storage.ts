/**
 * Unsaved editor drafts in sessionStorage, so that a reload (or a crash of the tab's
 * renderer) does not lose someone's hand edits. sessionStorage, not localStorage: a draft
 * belongs to this tab's work and should not reappear in other tabs or days later.
 *
 * A draft is keyed by context id + the ETag of the version it was started from, and it
 * keeps that base version too: the merge on save needs "what did the user start from",
 * and the server may have moved on by the time the draft is restored. The base is stored
 * once per edit under its own key (`…#base`) and the texts on every pause in typing: for a
 * 1 MB context that halves what each save of the draft writes.
 *
 * The base is written and read with the lossless JSON module (numbers exactly as the
 * server sent them, members in order): a draft restored after a reload must merge against
 * the very values it started from, or an untouched big number would look "changed".
 *
 * Only document text is stored — never an API key or anything from the session. Signing
 * out removes every draft (`clearAllDrafts`, after a warning listing `unsavedDraftIds`);
 * an expired session does not, so the work can still be saved after signing in again.
 * `hasDraft` reads no entry, so the first-load code can ask it cheaply.
 */
import { isJsonObject, parseJsonText, stringifyJson, type JsonValue } from '@contract/json/lossless-json';
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
const BASE_SUFFIX = '#base';
const prefixFor = (contextId: string) => `${PREFIX}${encodeURIComponent(contextId)}:`;
export const draftKey = (contextId: string, baseEtag: string) => `${prefixFor(contextId)}${baseEtag}`;
const baseKeyOf = (key: string) => `${key}${BASE_SUFFIX}`;
const isBaseKey = (key: string) => key.endsWith(BASE_SUFFIX);

/** Base keys written by this tab (the base of an edit never changes once written). */
const writtenBases = new Set<string>();

/** Contexts open in an editor with edits not yet stored as a draft (typing is debounced). */
const unsavedInMemory = new Set<string>();

/**
 * Set by clearAllDrafts (sign-out) until an editor mounts again: an editor still on screen
 * for a moment after sign-out must not write its draft back from a pending timer.
 */
let writesBlocked = false;

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
  return store !== null && keysFor(store, contextId).some((key) => !isBaseKey(key));
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** The stored base (`{"context": …, "session_id": …}` as lossless JSON), or null. */
function readBase(store: Storage, key: string): EditorDraft['base'] | null {
  const text = store.getItem(key);
  if (text === null) return null;
  let value: JsonValue;
  try {
    value = parseJsonText(text).value;
  } catch {
    return null;
  }
  if (!isJsonObject(value)) return null;
  const context = value.get('context');
  const session = value.get('session_id');
  if (context === undefined || (context !== null && !isJsonObject(context))) return null;
  if (session === undefined || (session !== null && typeof session !== 'string')) return null;
  return { context, session_id: session };
}

const writeBase = (base: EditorDraft['base']): string =>
  stringifyJson(
    new Map<string, JsonValue>([
      ['context', base.context],
      ['session_id', base.session_id],
    ]),
  );

function isDraftTexts(value: unknown): value is Omit<EditorDraft, 'base'> {
  if (!isObject(value)) return false;
  return (
    typeof value.contextId === 'string' &&
    typeof value.baseEtag === 'string' &&
    (value.mode === 'document' || value.mode === 'patch') &&
    typeof value.documentText === 'string' &&
    typeof value.patchText === 'string' &&
    typeof value.sessionId === 'string' &&
    typeof value.savedAt === 'number'
  );
}

/** The draft's texts and settings: strings and numbers only, never a context value. */
function readJson(store: Storage, key: string): unknown {
  try {
    return JSON.parse(store.getItem(key) ?? 'null'); // fidelity-ok: no context value in here
  } catch {
    return null;
  }
}

/** The newest stored draft of this context, or null. Unreadable entries are dropped. */
export function loadDraft(contextId: string): EditorDraft | null {
  const store = storage();
  if (!store) return null;
  let newest: EditorDraft | null = null;
  const keys = keysFor(store, contextId);
  for (const key of keys.filter((k) => !isBaseKey(k))) {
    const texts = readJson(store, key);
    const base = readBase(store, baseKeyOf(key));
    if (!isDraftTexts(texts) || texts.contextId !== contextId || base === null) {
      store.removeItem(key);
      store.removeItem(baseKeyOf(key));
      continue;
    }
    const draft: EditorDraft = { ...texts, base };
    if (!newest || draft.savedAt > newest.savedAt) newest = draft;
  }
  // A base whose texts are gone is garbage.
  for (const key of keys.filter(isBaseKey)) if (store.getItem(key.slice(0, -BASE_SUFFIX.length)) === null) store.removeItem(key);
  return newest;
}

export type SaveDraftResult = 'saved' | 'unavailable' | 'too-large';

/** Stores the draft, replacing any other draft of the same context. */
export function saveDraft(draft: EditorDraft): SaveDraftResult {
  const store = storage();
  if (!store || writesBlocked) return 'unavailable';
  const key = draftKey(draft.contextId, draft.baseEtag);
  const baseKey = baseKeyOf(key);
  for (const other of keysFor(store, draft.contextId)) if (other !== key && other !== baseKey) store.removeItem(other);
  const { base, ...texts } = draft;
  try {
    if (!writtenBases.has(baseKey) || store.getItem(baseKey) === null) {
      store.setItem(baseKey, writeBase(base));
      writtenBases.add(baseKey);
    }
    store.setItem(key, JSON.stringify(texts)); // fidelity-ok: texts as typed, not values
    return 'saved';
  } catch {
    // Over the ~5 MB quota: better no draft than a half-written one.
    store.removeItem(key);
    store.removeItem(baseKey);
    writtenBases.delete(baseKey);
    return 'too-large';
  }
}

export function clearDrafts(contextId: string): void {
  const store = storage();
  if (!store) return;
  for (const key of keysFor(store, contextId)) {
    store.removeItem(key);
    writtenBases.delete(key);
  }
}

/** An editor mounted (a signed-in user opened it): drafts may be written again. */
export function resumeDraftWrites(): void {
  writesBlocked = false;
}

/**
 * An editor reports whether it holds edits (stored as a draft or not yet: the draft is
 * written after a pause in typing), so that sign-out can warn about them. Call with false
 * when it closes.
 */
export function noteUnsavedEdits(contextId: string, unsaved: boolean): void {
  if (unsaved) unsavedInMemory.add(contextId);
  else unsavedInMemory.delete(contextId);
}

/**
 * Ids of the contexts with unsaved edits in this tab: drafts in sessionStorage (also ones
 * from before a reload, whose editor is not open) and editors with edits not stored yet.
 * Sorted, without duplicates.
 */
export function unsavedDraftIds(): string[] {
  const ids = new Set(unsavedInMemory);
  const store = storage();
  for (let i = 0; store && i < store.length; i++) {
    const key = store.key(i);
    if (!key?.startsWith(PREFIX) || isBaseKey(key)) continue;
    // `<prefix><encoded id>:<etag>`: the id is encoded, so it holds no colon.
    const encoded = key.slice(PREFIX.length).split(':')[0] ?? '';
    try {
      ids.add(decodeURIComponent(encoded));
    } catch {
      // Not a key this module wrote; clearAllDrafts still removes it.
    }
  }
  return [...ids].sort();
}

/**
 * Sign-out: removes every draft of every context from this tab's sessionStorage and
 * forgets unsaved editors, so the next person at this browser finds nothing. Draft writes
 * stay off until an editor mounts again (after the next sign-in). An expired session does
 * not call this: drafts survive it, to be saved after signing in again.
 */
export function clearAllDrafts(): void {
  writesBlocked = true;
  unsavedInMemory.clear();
  writtenBases.clear();
  const store = storage();
  if (!store) return;
  const keys: string[] = [];
  for (let i = 0; i < store.length; i++) {
    const key = store.key(i);
    if (key?.startsWith(PREFIX)) keys.push(key);
  }
  for (const key of keys) store.removeItem(key);
}
