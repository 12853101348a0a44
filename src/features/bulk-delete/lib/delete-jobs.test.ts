import { describe, expect, it, vi } from 'vitest';
import { ApiError } from '@/lib/api-client';
import { RateBudget } from '@/lib/rate-budget';
import { DeleteJobsStore } from './delete-jobs';

const unlimited = () => new RateBudget({ windows: [] });

function fakeWindow() {
  const handlers = new Set<EventListenerOrEventListenerObject>();
  return {
    handlers,
    addEventListener: vi.fn((_type: string, handler: EventListenerOrEventListenerObject) => handlers.add(handler)),
    removeEventListener: vi.fn((_type: string, handler: EventListenerOrEventListenerObject) => handlers.delete(handler)),
  };
}

const outcomes: Record<string, number> = { in_use: 409, gone: 404, failed: 500 };
/** Deletes ids; an id named after an outcome answers with its status. */
const deleteOne = vi.fn(async (id: string) => {
  const status = Object.entries(outcomes).find(([name]) => id.startsWith(name))?.[1];
  if (status) throw new ApiError({ status, code: status === 409 ? 'in_use' : 'internal_error', message: `status ${status}` });
});

function setup() {
  const win = fakeWindow();
  const store = new DeleteJobsStore({
    deleteOne,
    budget: unlimited,
    queueOptions: { maxAttempts: 2, backoffBaseMs: 1, backoffMaxMs: 1 },
    window: win as unknown as Window,
  });
  const removeFromCaches = vi.fn();
  const finished = () =>
    new Promise<void>((resolve) => {
      const check = () => {
        if (store.getSnapshot().record?.snapshot.phase === 'finished') {
          unsubscribe();
          resolve();
        }
      };
      const unsubscribe = store.subscribe(check);
      check();
    });
  return { store, win, removeFromCaches, finished };
}

describe('DeleteJobsStore', () => {
  it('runs a job, opens its progress and guards the page while it runs', async () => {
    const { store, win, removeFromCaches, finished } = setup();
    store.start({ ids: ['a', 'b', 'in_use_c'], origin: 'selection', limits: null, removeFromCaches });
    expect(store.getSnapshot().progressOpen).toBe(true);
    expect(store.running).toBe(true);
    expect(win.handlers.size).toBe(1);
    const event = new Event('beforeunload', { cancelable: true });
    for (const handler of win.handlers) (handler as EventListener)(event);
    expect(event.defaultPrevented).toBe(true);

    await finished();
    expect(store.running).toBe(false);
    expect(win.handlers.size).toBe(0);
    const { snapshot } = store.getSnapshot().record ?? {};
    expect(snapshot?.groups.deleted).toEqual(['a', 'b']);
    expect(snapshot?.groups.in_use).toEqual(['in_use_c']);
  });

  it('announces each removed id to listeners before it leaves the caches', async () => {
    const { store, removeFromCaches, finished } = setup();
    const order: string[] = [];
    store.onRemoved((ids) => order.push(`listener:${ids.join()}`));
    removeFromCaches.mockImplementation((ids: readonly string[]) => order.push(`cache:${ids.join()}`));
    store.start({ ids: ['a', 'gone_b', 'in_use_c'], origin: 'selection', limits: null, removeFromCaches });
    await finished();
    expect(order).toHaveLength(4);
    expect(order.indexOf('listener:a')).toBeLessThan(order.indexOf('cache:a'));
    expect(order.indexOf('listener:gone_b')).toBeLessThan(order.indexOf('cache:gone_b'));
    expect(order.join()).not.toContain('in_use_c');
  });

  it('refuses a second job while one runs', () => {
    const { store, removeFromCaches } = setup();
    store.start({ ids: ['a'], origin: 'selection', limits: null, removeFromCaches });
    expect(() => store.start({ ids: ['b'], origin: 'drawer', limits: null, removeFromCaches })).toThrow(/already running/);
    store.reset();
  });

  it('retries only the failed ids', async () => {
    const { store, removeFromCaches, finished } = setup();
    store.start({ ids: ['a', 'failed_1', 'in_use_c', 'failed_2'], origin: 'selection', limits: null, removeFromCaches });
    await finished();
    const first = store.getSnapshot().record;
    expect(first?.snapshot.groups.failed).toEqual(['failed_1', 'failed_2']);
    deleteOne.mockClear();
    store.retryFailed();
    const retry = store.getSnapshot().record;
    expect(retry).toMatchObject({ isRetry: true, ids: ['failed_1', 'failed_2'] });
    expect(retry?.key).toBeGreaterThan(first?.key ?? 0);
    await finished();
    expect(deleteOne.mock.calls.map(([id]) => id).sort()).toEqual(['failed_1', 'failed_1', 'failed_2', 'failed_2']);
  });

  it('cancels, closes and reopens the dialog, and dismisses a finished job', async () => {
    const { store, removeFromCaches, finished } = setup();
    store.start({ ids: ['a', 'b', 'c', 'd'], origin: 'selection', limits: null, removeFromCaches });
    store.closeProgress();
    expect(store.getSnapshot().progressOpen).toBe(false);
    store.openProgress();
    expect(store.getSnapshot().progressOpen).toBe(true);
    store.cancel();
    await finished();
    const { counts } = store.getSnapshot().record?.snapshot ?? {};
    expect((counts?.cancelled ?? 0) + (counts?.deleted ?? 0)).toBe(4);
    expect(counts?.cancelled).toBeGreaterThan(0);
    store.dismiss();
    expect(store.getSnapshot()).toEqual({ record: null, progressOpen: false });
  });
});
