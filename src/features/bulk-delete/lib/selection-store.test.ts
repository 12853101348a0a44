import { describe, expect, it, vi } from 'vitest';
import type { ContextStatus } from '@contract/constants';
import type { ListResponse } from '@contract/types';
import { isSelected } from './selection';
import { SelectionStore } from './selection-store';

interface Row {
  id: string;
  status: ContextStatus;
}

const rows = (n: number, from = 1): Row[] => Array.from({ length: n }, (_, i) => ({ id: `ctx_${from + i}`, status: 'idle' }));

/** A list of `all` rows in pages of `size`, each page released by `release()`. */
function pagedList(all: Row[], size: number) {
  const waiting: Array<() => void> = [];
  const fetchPage = vi.fn((after: string | null): Promise<ListResponse<Row>> => {
    const start = after === null ? 0 : Number(after);
    const data = all.slice(start, start + size);
    const more = start + size < all.length;
    return new Promise((resolve) => waiting.push(() => resolve({ data, has_more: more, next_cursor: more ? String(start + size) : null })));
  });
  const release = async () => {
    waiting.shift()?.();
    await new Promise((r) => setTimeout(r, 0));
  };
  return { fetchPage, release };
}

describe('SelectionStore', () => {
  it('notifies subscribers and keeps the snapshot stable between changes', () => {
    const store = new SelectionStore<unknown>('a');
    const listener = vi.fn();
    store.subscribe(listener);
    const before = store.getSnapshot();
    expect(store.getSnapshot()).toBe(before);
    store.toggle('ctx_1');
    expect(listener).toHaveBeenCalledTimes(1);
    expect(isSelected(store.selection, 'ctx_1')).toBe(true);
    store.toggleRange('ctx_3', ['ctx_1', 'ctx_2', 'ctx_3']);
    expect([...(store.selection.mode === 'explicit' ? store.selection.ids : [])]).toEqual(['ctx_1', 'ctx_2', 'ctx_3']);
  });

  it('clears on a scope change, with the notice only when something was selected', () => {
    const store = new SelectionStore<unknown>('a');
    store.reconcileScope('b');
    expect(store.getSnapshot().clearedByFilters).toBe(false);
    store.toggle('ctx_1');
    store.reconcileScope('c');
    expect(store.getSnapshot()).toMatchObject({ clearedByFilters: true, selection: { mode: 'explicit', scope: 'c' } });
    expect(isSelected(store.selection, 'ctx_1')).toBe(false);
    // Selecting again hides the notice.
    store.toggle('ctx_2');
    expect(store.getSnapshot().clearedByFilters).toBe(false);
  });

  it('counts an all-matching selection in the background and keeps later exclusions', async () => {
    const store = new SelectionStore<{ agent: string }>('a');
    const { fetchPage, release } = pagedList(rows(250), 100);
    store.selectAllMatching({ agent: 'x' }, fetchPage);
    expect(store.getSnapshot().counting).toEqual({ scanned: 0, pages: 0 });
    await release();
    expect(store.getSnapshot().counting).toEqual({ scanned: 100, pages: 1 });
    store.toggle('ctx_7'); // excluded while counting
    await release();
    await release();
    const { selection, counting } = store.getSnapshot();
    expect(counting).toBeNull();
    expect(selection).toMatchObject({ mode: 'all_matching', total: 250 });
    expect(selection.mode === 'all_matching' && [...selection.excluded]).toEqual(['ctx_7']);
    expect(fetchPage).toHaveBeenCalledTimes(3);
  });

  it('stops counting when the selection is cleared', async () => {
    const store = new SelectionStore<unknown>('a');
    const { fetchPage, release } = pagedList(rows(250), 100);
    store.selectAllMatching({}, fetchPage);
    await release();
    store.clear();
    expect(store.getSnapshot().counting).toBeNull();
    await release();
    expect(fetchPage).toHaveBeenCalledTimes(2); // the page in flight when it stopped, then nothing
    expect(store.selection.mode).toBe('explicit');
  });

  it('reports a failed count and stays a lower bound', async () => {
    const store = new SelectionStore<unknown>('a');
    store.selectAllMatching({}, () => Promise.reject(new Error('boom')));
    await new Promise((r) => setTimeout(r, 0));
    expect(store.getSnapshot()).toMatchObject({ counting: null, countError: 'boom', selection: { total: null } });
  });

  it('forgets deleted ids: out of an explicit selection, out of an exact total', async () => {
    const explicit = new SelectionStore<unknown>('a');
    explicit.selectExactly(['ctx_1', 'ctx_2']);
    explicit.removeIds(['ctx_1', 'ctx_9']);
    expect(explicit.selection.mode === 'explicit' && [...explicit.selection.ids]).toEqual(['ctx_2']);

    const all = new SelectionStore<unknown>('a');
    const { fetchPage, release } = pagedList(rows(5), 100);
    all.selectAllMatching({}, fetchPage);
    await release();
    all.toggle('ctx_2');
    all.removeIds(['ctx_1', 'ctx_2', 'ctx_99']);
    expect(all.selection).toMatchObject({ mode: 'all_matching', total: 3 });
    expect(all.selection.mode === 'all_matching' && all.selection.excluded.size).toBe(0);
  });
});
