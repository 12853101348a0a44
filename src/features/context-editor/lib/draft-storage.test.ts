import { afterEach, describe, expect, it, vi } from 'vitest';
import { parseJsonText, stringifyJson } from '@contract/json/lossless-json';
import type { JsonObject } from '@contract/types';
import { losslessContext } from '@/testing/factories';
import {
  clearAllDrafts,
  clearDrafts,
  draftKey,
  hasDraft,
  loadDraft,
  noteUnsavedEdits,
  resumeDraftWrites,
  saveDraft,
  unsavedDraftIds,
  type EditorDraft,
} from './draft-storage';

const draft = (over: Partial<EditorDraft> = {}): EditorDraft => ({
  contextId: 'ctx_1',
  baseEtag: '"v1"',
  base: { context: losslessContext({ a: 1 }), session_id: 's1' },
  mode: 'document',
  documentText: '{"a": 2',
  patchText: '',
  sessionId: 's1',
  savedAt: 1000,
  ...over,
});

afterEach(() => {
  sessionStorage.clear();
  vi.restoreAllMocks();
});

describe('draft storage', () => {
  it('keeps the base exactly: big numbers, spellings and member order survive a reload', () => {
    const stored = '{"id_big":750727362669608961,"price":1.10,"10":1,"2":2,"__proto__":{"x":1E2}}';
    saveDraft(draft({ base: { context: parseJsonText(stored).value as JsonObject, session_id: null } }));
    const loaded = loadDraft('ctx_1');
    expect(loaded && stringifyJson(loaded.base.context)).toBe(stored);
  });

  it('saves, finds and loads a draft by context id', () => {
    expect(hasDraft('ctx_1')).toBe(false);
    expect(saveDraft(draft())).toBe('saved');
    expect(sessionStorage.getItem(draftKey('ctx_1', '"v1"'))).not.toBeNull();
    expect(hasDraft('ctx_1')).toBe(true);
    expect(hasDraft('ctx_10')).toBe(false);
    expect(loadDraft('ctx_1')).toEqual(draft());
  });

  it('keeps one draft per context: a newer base replaces the older draft', () => {
    saveDraft(draft());
    saveDraft(draft({ baseEtag: '"v2"', savedAt: 2000, base: { context: losslessContext({ a: 2 }), session_id: null } }));
    expect(sessionStorage.length).toBe(2); // the texts and, once, the base
    expect(loadDraft('ctx_1')).toMatchObject({ baseEtag: '"v2"', base: { context: losslessContext({ a: 2 }), session_id: null } });
  });

  it('writes the base once per edit, the texts every time', () => {
    const setItem = vi.spyOn(Storage.prototype, 'setItem');
    saveDraft(draft());
    saveDraft(draft({ documentText: '{"a": 3}', savedAt: 2000 }));
    expect(setItem.mock.calls.map(([key]) => key)).toEqual([
      `${draftKey('ctx_1', '"v1"')}#base`,
      draftKey('ctx_1', '"v1"'),
      draftKey('ctx_1', '"v1"'),
    ]);
    expect(loadDraft('ctx_1')?.documentText).toBe('{"a": 3}');
  });

  it('drops unreadable entries instead of restoring garbage', () => {
    sessionStorage.setItem(draftKey('ctx_1', '"v1"'), '{not json');
    sessionStorage.setItem(draftKey('ctx_1', '"v2"'), JSON.stringify({ contextId: 'ctx_1' }));
    sessionStorage.setItem(`${draftKey('ctx_1', '"v3"')}#base`, JSON.stringify({ context: null, session_id: null }));
    expect(loadDraft('ctx_1')).toBeNull();
    expect(sessionStorage.length).toBe(0);
    // Texts without their base cannot be merged: dropped too.
    const { base: _base, ...texts } = draft();
    sessionStorage.setItem(draftKey('ctx_1', '"v1"'), JSON.stringify(texts));
    expect(loadDraft('ctx_1')).toBeNull();
    expect(hasDraft('ctx_1')).toBe(false);
  });

  it('clears the drafts of one context only', () => {
    saveDraft(draft());
    saveDraft(draft({ contextId: 'ctx_2' }));
    clearDrafts('ctx_1');
    expect(hasDraft('ctx_1')).toBe(false);
    expect(hasDraft('ctx_2')).toBe(true);
  });

  it('reports a draft over the quota as too large and leaves nothing half-written', () => {
    vi.spyOn(Storage.prototype, 'setItem').mockImplementation(() => {
      throw new DOMException('full', 'QuotaExceededError');
    });
    expect(saveDraft(draft())).toBe('too-large');
    expect(hasDraft('ctx_1')).toBe(false);
  });

  it('escapes ids so that one id cannot be a prefix match of another', () => {
    saveDraft(draft({ contextId: 'a:b' }));
    expect(hasDraft('a')).toBe(false);
    expect(hasDraft('a:b')).toBe(true);
  });
});

describe('sign-out support', () => {
  afterEach(() => {
    resumeDraftWrites();
    noteUnsavedEdits('ctx_open', false);
  });

  it('lists the contexts with unsaved edits: stored drafts and editors not stored yet, sorted, once each', () => {
    expect(unsavedDraftIds()).toEqual([]);
    saveDraft(draft({ contextId: 'ctx:with/odd chars' }));
    saveDraft(draft({ contextId: 'ctx_1' }));
    noteUnsavedEdits('ctx_open', true);
    noteUnsavedEdits('ctx_1', true);
    expect(unsavedDraftIds()).toEqual(['ctx:with/odd chars', 'ctx_1', 'ctx_open']);
    noteUnsavedEdits('ctx_open', false);
    noteUnsavedEdits('ctx_1', false);
    expect(unsavedDraftIds()).toEqual(['ctx:with/odd chars', 'ctx_1']);
  });

  it('clearAllDrafts removes every draft and nothing else, and stops writes until an editor resumes them', () => {
    sessionStorage.setItem('other-app-key', 'kept');
    saveDraft(draft({ contextId: 'ctx_1' }));
    saveDraft(draft({ contextId: 'ctx_2' }));
    noteUnsavedEdits('ctx_open', true);
    clearAllDrafts();
    expect(Object.keys(sessionStorage)).toEqual(['other-app-key']);
    expect(unsavedDraftIds()).toEqual([]);
    // An editor still on screen for a moment must not write its draft back.
    expect(saveDraft(draft({ contextId: 'ctx_1' }))).toBe('unavailable');
    expect(hasDraft('ctx_1')).toBe(false);
    resumeDraftWrites();
    expect(saveDraft(draft({ contextId: 'ctx_1' }))).toBe('saved');
  });
});
