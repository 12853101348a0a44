import { afterEach, describe, expect, it, vi } from 'vitest';
import { clearDrafts, draftKey, hasDraft, loadDraft, saveDraft, type EditorDraft } from './draft-storage';

const draft = (over: Partial<EditorDraft> = {}): EditorDraft => ({
  contextId: 'ctx_1',
  baseEtag: '"v1"',
  base: { context: { a: 1 }, session_id: 's1' },
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
    saveDraft(draft({ baseEtag: '"v2"', savedAt: 2000 }));
    expect(sessionStorage.length).toBe(1);
    expect(loadDraft('ctx_1')?.baseEtag).toBe('"v2"');
  });

  it('drops unreadable entries instead of restoring garbage', () => {
    sessionStorage.setItem(draftKey('ctx_1', '"v1"'), '{not json');
    sessionStorage.setItem(draftKey('ctx_1', '"v2"'), JSON.stringify({ contextId: 'ctx_1' }));
    expect(loadDraft('ctx_1')).toBeNull();
    expect(sessionStorage.length).toBe(0);
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
