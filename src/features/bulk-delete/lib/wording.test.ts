import { describe, expect, it } from 'vitest';
import { emptySelection, selectAllMatching, setSelected } from './selection';
import {
  deletionConsequence,
  firstIds,
  formatTimeLeft,
  needsTypedConfirmation,
  pluralContexts,
  selectionLabel,
  typedConfirmationMatches,
} from './wording';

const ids = (n: number) => Array.from({ length: n }, (_, i) => `ctx_${i + 1}`);

describe('pluralContexts', () => {
  it('agrees in number and groups thousands', () => {
    expect(pluralContexts(1)).toBe('1 context');
    expect(pluralContexts(0)).toBe('0 contexts');
    expect(pluralContexts(1204)).toBe('1,204 contexts');
  });
});

describe('firstIds', () => {
  it('shows up to 10 and counts the rest', () => {
    expect(firstIds(ids(12))).toEqual({ shown: ids(10), more: 2 });
    expect(firstIds(ids(3))).toEqual({ shown: ids(3), more: 0 });
  });

  it('never says "and 1 more": it shows that id instead', () => {
    expect(firstIds(ids(11))).toEqual({ shown: ids(11), more: 0 });
  });
});

describe('typed confirmation', () => {
  it('is needed from 50 on', () => {
    expect(needsTypedConfirmation(49)).toBe(false);
    expect(needsTypedConfirmation(50)).toBe(true);
  });

  it('accepts the number, with or without group separators', () => {
    expect(typedConfirmationMatches('120', 120)).toBe(true);
    expect(typedConfirmationMatches(' 1,204 ', 1204)).toBe(true);
    expect(typedConfirmationMatches('1 204', 1204)).toBe(true);
  });

  it('refuses anything else', () => {
    expect(typedConfirmationMatches('', 120)).toBe(false);
    expect(typedConfirmationMatches('12', 120)).toBe(false);
    expect(typedConfirmationMatches('12O', 120)).toBe(false);
    expect(typedConfirmationMatches('120 contexts', 120)).toBe(false);
    expect(typedConfirmationMatches('-120', 120)).toBe(false);
    expect(typedConfirmationMatches('1200', 120)).toBe(false);
  });
});

describe('selectionLabel', () => {
  const loaded = { rowIds: ids(300), hasMore: true };

  it('counts an explicit selection exactly', () => {
    const selection = setSelected(emptySelection('s'), ['ctx_1', 'ctx_2'], true);
    expect(selectionLabel({ selection, loaded, counting: null })).toEqual({ text: '2 selected', count: 2, exact: true });
  });

  it('says "at least" while the matching rows are not all counted', () => {
    const selection = selectAllMatching(emptySelection('s'), {});
    expect(selectionLabel({ selection, loaded, counting: { scanned: 100 } })).toEqual({
      text: 'At least 300 matching selected — counting…',
      count: 300,
      exact: false,
    });
    // The count got further than the loaded rows.
    expect(selectionLabel({ selection, loaded, counting: { scanned: 700 } }).text).toBe('At least 700 matching selected — counting…');
    // Not counting (e.g. the count failed): still a lower bound, without the promise.
    expect(selectionLabel({ selection, loaded, counting: null }).text).toBe('At least 300 matching selected');
  });

  it('keeps exclusions out of the lower bound', () => {
    const selection = setSelected(selectAllMatching(emptySelection('s'), {}), ['ctx_1', 'ctx_2'], false);
    expect(selectionLabel({ selection, loaded, counting: { scanned: 400 } })).toMatchObject({
      text: 'At least 398 matching selected (2 excluded) — counting…',
      count: 398,
    });
  });

  it('is exact once the total is known', () => {
    const all = { ...selectAllMatching(emptySelection('s'), {}), total: 1204 };
    expect(selectionLabel({ selection: all, loaded, counting: null })).toEqual({
      text: 'All 1,204 matching selected',
      count: 1204,
      exact: true,
    });
    const some = setSelected(all, ['ctx_5'], false);
    expect(selectionLabel({ selection: some, loaded, counting: null }).text).toBe('1,203 of 1,204 matching selected');
  });

  it('is exact when every matching row is loaded', () => {
    const selection = selectAllMatching(emptySelection('s'), {});
    expect(selectionLabel({ selection, loaded: { rowIds: ids(12), hasMore: false }, counting: null }).text).toBe(
      'All 12 matching selected',
    );
    expect(selectionLabel({ selection, loaded: { rowIds: ids(1), hasMore: false }, counting: null }).text).toBe(
      'The 1 matching context selected',
    );
  });
});

describe('formatTimeLeft', () => {
  it('rounds to what an estimate can promise', () => {
    expect(formatTimeLeft(0)).toBe('finishing');
    expect(formatTimeLeft(3_000)).toBe('less than 5 s left');
    expect(formatTimeLeft(42_100)).toBe('about 43 s left');
    expect(formatTimeLeft(130_000)).toBe('about 2 min 10 s left');
    expect(formatTimeLeft(179_000)).toBe('about 3 min left');
    expect(formatTimeLeft(120_000)).toBe('about 2 min left');
    expect(formatTimeLeft(3_900_000)).toBe('about 1 h 5 min left');
  });
});

describe('deletionConsequence', () => {
  it('is permanent when deleted contexts are not kept', () => {
    expect(deletionConsequence(0)).toBe('Deletion is permanent: a deleted context cannot be restored.');
  });

  it('says for how long an admin can restore, when they are kept', () => {
    expect(deletionConsequence(7)).toMatch(/an admin can restore them for 7 days \(Recently deleted\)/);
    expect(deletionConsequence(1)).toMatch(/for 1 day /);
  });
});
