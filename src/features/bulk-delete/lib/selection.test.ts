import type { ContextStatus } from '@contract/constants';
import type { ListResponse } from '@contract/types';
import fc from 'fast-check';
import { describe, expect, it, vi } from 'vitest';
import {
  applyResolution,
  clearSelection,
  countInUse,
  emptySelection,
  headerCheckboxState,
  isSelected,
  isSelectionEmpty,
  reconcileScope,
  resolveSelection,
  selectAllMatching,
  selectedRows,
  selectionCount,
  setSelected,
  toggle,
  toggleAllLoaded,
  toggleRange,
  type AllMatchingSelection,
  type Selection,
  type SelectableRow,
} from './selection';

const ROWS = ['r1', 'r2', 'r3', 'r4', 'r5', 'r6'];
const selectedOf = (selection: Selection, rowIds = ROWS) => rowIds.filter((id) => isSelected(selection, id));
const FILTERS = { statuses: ['failed'] };

describe('explicit selection', () => {
  it('toggles single rows and remembers the anchor', () => {
    let s: Selection = emptySelection('status=failed');
    s = toggle(s, 'r2');
    s = toggle(s, 'r4');
    expect(selectedOf(s)).toEqual(['r2', 'r4']);
    expect(s.anchor).toBe('r4');
    s = toggle(s, 'r2');
    expect(selectedOf(s)).toEqual(['r4']);
    expect(selectionCount(s, { rowIds: ROWS, hasMore: true })).toEqual({ count: 1, exact: true });
  });

  it('selects a range downwards and upwards with shift-click, both ends included', () => {
    const down = toggleRange(toggle(emptySelection(), 'r2'), 'r5', ROWS);
    expect(selectedOf(down)).toEqual(['r2', 'r3', 'r4', 'r5']);
    expect(down.anchor).toBe('r5');
    const up = toggleRange(toggle(emptySelection(), 'r5'), 'r2', ROWS);
    expect(selectedOf(up)).toEqual(['r2', 'r3', 'r4', 'r5']);
  });

  it('shift-click on a selected row deselects the range; ranges chain from the last click', () => {
    let s: Selection = setSelected(emptySelection(), ROWS, true);
    s = toggle(s, 'r1'); // r1 off, anchor r1
    s = toggleRange(s, 'r3', ROWS); // r3 is selected → the range r1..r3 goes off
    expect(selectedOf(s)).toEqual(['r4', 'r5', 'r6']);
    s = toggleRange(s, 'r5', ROWS); // from r3 (anchor) to r5: r5 is selected → off
    expect(selectedOf(s)).toEqual(['r6']);
  });

  it('falls back to a plain toggle without a usable anchor', () => {
    expect(selectedOf(toggleRange(emptySelection(), 'r3', ROWS))).toEqual(['r3']);
    const anchored = toggle(emptySelection(), 'gone');
    expect(selectedOf(toggleRange(anchored, 'r3', ROWS))).toEqual(['r3']);
  });

  it('drives the header checkbox over the loaded rows', () => {
    let s: Selection = emptySelection();
    expect(headerCheckboxState(s, ROWS)).toBe('unchecked');
    expect(headerCheckboxState(s, [])).toBe('unchecked');
    s = toggle(s, 'r3');
    expect(headerCheckboxState(s, ROWS)).toBe('indeterminate');
    s = toggleAllLoaded(s, ROWS);
    expect(headerCheckboxState(s, ROWS)).toBe('checked');
    expect(selectedOf(s)).toEqual(ROWS);
    s = toggleAllLoaded(s, ROWS);
    expect(selectedOf(s)).toEqual([]);
    expect(isSelectionEmpty(s, { rowIds: ROWS, hasMore: false })).toBe(true);
  });

  it('returns the same object when nothing changes', () => {
    const s = setSelected(emptySelection(), ['r1'], true);
    expect(setSelected(s, ['r1'], true)).toBe(s);
    expect(setSelected(s, ['r2'], false)).toBe(s);
  });

  it('lists the selected rows in list order', () => {
    const s = toggle(toggle(emptySelection(), 'r4'), 'r1');
    expect(selectedRows(s, ROWS.map((id) => ({ id })))).toEqual([{ id: 'r1' }, { id: 'r4' }]);
  });

  it('law: any sequence of clicks leaves exactly the rows whose last word was "on"', () => {
    const click = fc.record({ row: fc.integer({ min: 0, max: ROWS.length - 1 }), shift: fc.boolean() });
    fc.assert(
      fc.property(fc.array(click, { maxLength: 20 }), fc.boolean(), (clicks, allMatching) => {
        let s: Selection = allMatching ? selectAllMatching(emptySelection(), FILTERS) : emptySelection();
        const model = new Map(ROWS.map((id) => [id, allMatching]));
        let anchor: number | null = null;
        for (const { row, shift } of clicks) {
          const target = !model.get(ROWS[row] as string);
          const [lo, hi] = shift && anchor !== null ? [Math.min(anchor, row), Math.max(anchor, row)] : [row, row];
          for (let i = lo; i <= hi; i += 1) model.set(ROWS[i] as string, target);
          anchor = row;
          s = shift ? toggleRange(s, ROWS[row] as string, ROWS) : toggle(s, ROWS[row] as string);
        }
        expect(selectedOf(s)).toEqual(ROWS.filter((id) => model.get(id)));
        const n = selectedOf(s).length;
        expect(headerCheckboxState(s, ROWS)).toBe(n === 0 ? 'unchecked' : n === ROWS.length ? 'checked' : 'indeterminate');
      }),
    );
  });
});

describe('all-matching selection', () => {
  it('selects every matching row, loaded or not, minus exclusions', () => {
    let s: Selection<typeof FILTERS> = selectAllMatching(toggle(emptySelection('q'), 'r1'), FILTERS);
    expect(s.mode).toBe('all_matching');
    expect(s.scope).toBe('q');
    expect(isSelected(s, 'not-loaded-yet')).toBe(true);
    s = toggle(s, 'r2');
    s = toggleRange(s, 'r4', ROWS); // r4 is selected → r2..r4 excluded
    expect(selectedOf(s)).toEqual(['r1', 'r5', 'r6']);
    expect(s.mode === 'all_matching' && [...s.excluded].sort()).toEqual(['r2', 'r3', 'r4']);
    expect(headerCheckboxState(s, ROWS)).toBe('indeterminate');
  });

  it('says the count is a lower bound until the total is known', () => {
    let s: Selection = toggle(selectAllMatching(emptySelection(), FILTERS), 'r2');
    expect(selectionCount(s, { rowIds: ROWS, hasMore: true })).toEqual({ count: 5, exact: false });
    expect(isSelectionEmpty(s, { rowIds: ROWS, hasMore: true })).toBe(false);
    // Every page loaded: the loaded rows are all the matching rows.
    expect(selectionCount(s, { rowIds: ROWS, hasMore: false })).toEqual({ count: 5, exact: true });
    // Resolved total: exact, whatever is loaded.
    s = { ...(s as AllMatchingSelection), total: 250 };
    expect(selectionCount(s, { rowIds: ROWS, hasMore: true })).toEqual({ count: 249, exact: true });
    s = toggle(s, 'r2'); // included again
    expect(selectionCount(s, { rowIds: ROWS, hasMore: true })).toEqual({ count: 250, exact: true });
  });

  it('is not "empty" while unresolved even if every loaded row is excluded', () => {
    const s = setSelected(selectAllMatching(emptySelection(), FILTERS), ROWS, false);
    expect(selectionCount(s, { rowIds: ROWS, hasMore: true })).toEqual({ count: 0, exact: false });
    expect(isSelectionEmpty(s, { rowIds: ROWS, hasMore: true })).toBe(false);
    expect(isSelectionEmpty(s, { rowIds: ROWS, hasMore: false })).toBe(true);
  });

  it('header checkbox: re-includes the loaded rows, and unchecking clears everything', () => {
    let s: Selection = setSelected(selectAllMatching(emptySelection(), FILTERS), ['r1', 'r2'], false);
    s = toggleAllLoaded(s, ROWS);
    expect(s.mode).toBe('all_matching');
    expect(selectedOf(s)).toEqual(ROWS);
    s = toggleAllLoaded(s, ROWS);
    expect(s).toEqual(emptySelection());
  });

  it('clears when the filters change, telling whether anything was lost', () => {
    const s = selectAllMatching(emptySelection('status=failed'), FILTERS);
    expect(reconcileScope(s, 'status=failed')).toEqual({ selection: s, cleared: false });
    expect(reconcileScope(s, 'status=idle')).toEqual({ selection: emptySelection('status=idle'), cleared: true });
    expect(reconcileScope(emptySelection('a'), 'b').cleared).toBe(false);
    expect(reconcileScope(toggle(emptySelection('a'), 'r1'), 'b').cleared).toBe(true);
    expect(clearSelection(s)).toEqual(emptySelection('status=failed'));
  });
});

type Row = SelectableRow & { agent_id: string };

/** A fake list endpoint: pages of `size` rows with opaque cursors. */
function fakeList(rows: Row[], size: number) {
  const calls: (string | null)[] = [];
  const fetchPage = vi.fn(async (after: string | null): Promise<ListResponse<Row>> => {
    calls.push(after);
    const start = after === null ? 0 : Number(after.replace('cur_', ''));
    const data = rows.slice(start, start + size);
    const more = start + size < rows.length;
    return { data, has_more: more, next_cursor: more ? `cur_${start + size}` : null };
  });
  return { fetchPage, calls };
}

const makeRows = (n: number, inUseEvery = 0): Row[] =>
  Array.from({ length: n }, (_, i) => ({
    id: `ctx_${i + 1}`,
    agent_id: 'agent_1',
    status: (inUseEvery > 0 && (i + 1) % inUseEvery === 0 ? 'running' : 'idle') as ContextStatus,
  }));

describe('resolveSelection', () => {
  it('pages through the list with the cursor, leaving out exclusions, and reports progress', async () => {
    const rows = makeRows(250, 10);
    const list = fakeList(rows, 100);
    const selection = setSelected(selectAllMatching(emptySelection(), FILTERS), ['ctx_2', 'ctx_150', 'ctx_deleted'], false) as AllMatchingSelection;
    const progress: unknown[] = [];
    const resolved = await resolveSelection(selection, { fetchPage: list.fetchPage, onProgress: (p) => progress.push(p) });
    expect(list.calls).toEqual([null, 'cur_100', 'cur_200']);
    expect(resolved.pages).toBe(3);
    expect(resolved.total).toBe(250);
    expect(resolved.ids).toHaveLength(248);
    expect(resolved.ids).not.toContain('ctx_2');
    expect(resolved.ids).not.toContain('ctx_150');
    expect(resolved.ids.slice(0, 3)).toEqual(['ctx_1', 'ctx_3', 'ctx_4']); // list order
    expect(resolved.rows[0]).toEqual(rows[0]); // whole rows, extra fields kept
    expect(resolved.excludedFound).toEqual(['ctx_2', 'ctx_150']);
    expect(resolved.inUse).toBe(24); // every 10th is running; ctx_150 is excluded
    expect(progress).toEqual([
      { pages: 1, scanned: 100, selected: 99, inUse: 10 },
      { pages: 2, scanned: 200, selected: 198, inUse: 19 },
      { pages: 3, scanned: 250, selected: 248, inUse: 24 },
    ]);
    // The selection now knows its exact count, and forgets exclusions that no longer match.
    const exact = applyResolution(selection, resolved);
    expect([...exact.excluded]).toEqual(['ctx_2', 'ctx_150']);
    expect(selectionCount(exact, { rowIds: [], hasMore: true })).toEqual({ count: 248, exact: true });
  });

  it('resolves an empty list and a single page', async () => {
    const none = await resolveSelection(selectAllMatching(emptySelection(), FILTERS), { fetchPage: fakeList([], 100).fetchPage });
    expect(none).toMatchObject({ ids: [], total: 0, pages: 1, inUse: 0 });
    const one = await resolveSelection(selectAllMatching(emptySelection(), FILTERS), { fetchPage: fakeList(makeRows(3), 100).fetchPage });
    expect(one.ids).toEqual(['ctx_1', 'ctx_2', 'ctx_3']);
  });

  it('never counts a row twice', async () => {
    const pages: ListResponse<Row>[] = [
      { data: makeRows(2), has_more: true, next_cursor: 'a' },
      { data: makeRows(3), has_more: false, next_cursor: null },
    ];
    const resolved = await resolveSelection(selectAllMatching(emptySelection(), FILTERS), {
      fetchPage: async (after) => pages[after === null ? 0 : 1] as ListResponse<Row>,
    });
    expect(resolved.ids).toEqual(['ctx_1', 'ctx_2', 'ctx_3']);
    expect(resolved.total).toBe(3);
  });

  it('stops when aborted, between pages and during a fetch that ignores the signal', async () => {
    const list = fakeList(makeRows(500), 100);
    const controller = new AbortController();
    const aborting = vi.fn(async (after: string | null, signal?: AbortSignal) => {
      const page = await list.fetchPage(after);
      if (after === 'cur_100') controller.abort(new Error('closed'));
      expect(signal).toBe(controller.signal);
      return page;
    });
    await expect(
      resolveSelection(selectAllMatching(emptySelection(), FILTERS), { fetchPage: aborting, signal: controller.signal }),
    ).rejects.toThrow('closed');
    expect(list.calls).toEqual([null, 'cur_100']);

    const already = new AbortController();
    already.abort(new Error('before'));
    const untouched = fakeList(makeRows(5), 100);
    await expect(
      resolveSelection(selectAllMatching(emptySelection(), FILTERS), { fetchPage: untouched.fetchPage, signal: already.signal }),
    ).rejects.toThrow('before');
    expect(untouched.calls).toEqual([]);
  });

  it('refuses inconsistent paging instead of returning a partial list', async () => {
    const s = selectAllMatching(emptySelection(), FILTERS);
    await expect(
      resolveSelection(s, { fetchPage: async () => ({ data: makeRows(1), has_more: true, next_cursor: null }) }),
    ).rejects.toThrow('no cursor');
    await expect(
      resolveSelection(s, { fetchPage: async () => ({ data: makeRows(1), has_more: true, next_cursor: 'same' }) }),
    ).rejects.toThrow('same cursor twice');
  });

  it('propagates a failed page', async () => {
    await expect(
      resolveSelection(selectAllMatching(emptySelection(), FILTERS), {
        fetchPage: async () => {
          throw new Error('429');
        },
      }),
    ).rejects.toThrow('429');
  });
});

describe('countInUse', () => {
  it('counts running and waiting_for_input as in use', () => {
    const statuses: ContextStatus[] = ['idle', 'running', 'waiting_for_input', 'interrupted', 'completed', 'failed', 'running'];
    expect(countInUse(statuses.map((status) => ({ status })))).toEqual({ total: 7, inUse: 3, deletable: 4 });
    expect(countInUse([])).toEqual({ total: 0, inUse: 0, deletable: 0 });
  });
});
