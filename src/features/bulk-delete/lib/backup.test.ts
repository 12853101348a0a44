import { describe, expect, it, vi } from 'vitest';
import type { ExecutionContext, ListResponse } from '@contract/types';
import { makeContexts, resetFactories } from '@/testing';
import { backupDocument, backupFileName, collectBackup } from './backup';

function setup(count: number) {
  resetFactories();
  const all = makeContexts(count);
  const fetchPage = vi.fn(async (after: string | null): Promise<ListResponse<ExecutionContext>> => {
    const start = after === null ? 0 : Number(after);
    const more = start + 10 < all.length;
    return { data: all.slice(start, start + 10), has_more: more, next_cursor: more ? String(start + 10) : null };
  });
  const fetchOne = vi.fn(async (id: string) => all.find((c) => c.id === id) ?? null);
  return { all, fetchPage, fetchOne };
}

describe('collectBackup', () => {
  it('walks list pages when that takes fewer requests than one per id', async () => {
    const { all, fetchPage, fetchOne } = setup(40);
    const ids = all.slice(0, 15).map((c) => c.id);
    const progress = vi.fn();
    const backup = await collectBackup({ ids, lastIndex: 14, pageSize: 10, fetchPage, fetchOne, onProgress: progress });
    expect(backup.contexts).toEqual(all.slice(0, 15));
    expect(backup.missing).toEqual([]);
    expect(fetchPage).toHaveBeenCalledTimes(2);
    expect(fetchOne).not.toHaveBeenCalled();
    expect(progress).toHaveBeenLastCalledWith({ fetched: 15, total: 15, requests: 2 });
  });

  it('asks by id for a few contexts far down the list', async () => {
    const { all, fetchPage, fetchOne } = setup(40);
    const ids = [all[35]?.id, all[2]?.id].filter((id): id is string => id !== undefined);
    const backup = await collectBackup({ ids, lastIndex: 35, pageSize: 10, fetchPage, fetchOne });
    expect(backup.contexts.map((c) => c.id)).toEqual(ids);
    expect(fetchPage).not.toHaveBeenCalled();
    expect(fetchOne).toHaveBeenCalledTimes(2);
  });

  it('uses contexts at hand, and lists ids that no longer exist', async () => {
    const { all, fetchPage, fetchOne } = setup(5);
    const first = all[0] as ExecutionContext;
    const backup = await collectBackup({
      ids: [first.id, 'ctx_gone'],
      known: new Map([[first.id, first]]),
      lastIndex: null,
      pageSize: 10,
      fetchPage,
      fetchOne,
    });
    expect(backup).toEqual({ contexts: [first], missing: ['ctx_gone'], requests: 1 });
    expect(fetchOne).toHaveBeenCalledWith('ctx_gone', undefined);
  });

  it('falls back to ids the pages did not hold (rows moved)', async () => {
    const { all, fetchPage, fetchOne } = setup(40);
    const ids = all.slice(0, 12).map((c) => c.id);
    // Expected within 1 page (+1 extra), but one id lives on page 4.
    const far = all[35] as ExecutionContext;
    const backup = await collectBackup({ ids: [...ids, far.id], lastIndex: 9, pageSize: 10, fetchPage, fetchOne });
    expect(backup.contexts).toHaveLength(13);
    expect(fetchPage).toHaveBeenCalledTimes(2);
    expect(fetchOne).toHaveBeenCalledWith(far.id, undefined);
  });

  it('stops when aborted', async () => {
    const { all, fetchPage, fetchOne } = setup(40);
    const controller = new AbortController();
    controller.abort(new Error('stop'));
    await expect(
      collectBackup({ ids: [all[0]?.id ?? ''], lastIndex: null, pageSize: 10, fetchPage, fetchOne, signal: controller.signal }),
    ).rejects.toThrow('stop');
    expect(fetchOne).not.toHaveBeenCalled();
  });
});

describe('backup file', () => {
  it('has a sortable, portable name and a self-describing body', () => {
    const now = new Date('2026-11-22T10:05:00.123Z');
    expect(backupFileName(now, 12)).toBe('execution-contexts-2026-11-22T10-05-00Z-12.json');
    expect(backupDocument({ contexts: [], missing: ['x'], requests: 1 }, now)).toEqual({
      exported_at: '2026-11-22T10:05:00.123Z',
      count: 0,
      missing: ['x'],
      contexts: [],
    });
  });
});
