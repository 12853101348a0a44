import { QueryClient, type InfiniteData } from '@tanstack/react-query';
import { toSummary } from '@contract/summary';
import type { ContextSummaryListResponse, ExecutionContext, ContextListResponse } from '@contract/types';
import { describe, expect, it } from 'vitest';
import { losslessContext } from '@/testing/factories';
import { EMPTY_FILTERS } from '../filters';
import { removeContextsFromCaches, updateContextInCaches } from './cache';
import type { ContextWithEtag } from './get-context';
import { contextKeys } from './keys';

const ctx = (id: string, context: unknown = { step: id }): ExecutionContext => ({
  id,
  agent_id: 'agent',
  workflow_id: 'wf',
  session_id: null,
  context: losslessContext(context),
  status: 'idle',
  created_at: '2026-11-22T10:00:00.000Z',
  updated_at: '2026-11-22T10:00:00.000Z',
});

const page = (ids: string[], next: string | null): ContextSummaryListResponse => ({
  data: ids.map((id) => toSummary(ctx(id))),
  has_more: next !== null,
  next_cursor: next,
});

function seeded() {
  const client = new QueryClient();
  const failed = { ...EMPTY_FILTERS, statuses: ['failed' as const] };
  const infinite: InfiniteData<ContextSummaryListResponse, string | null> = {
    pages: [page(['a', 'b'], 'c1'), page(['c', 'd'], null)],
    pageParams: [null, 'c1'],
  };
  client.setQueryData(contextKeys.infinite(EMPTY_FILTERS), infinite);
  client.setQueryData(contextKeys.infinite(failed), { pages: [page(['x'], null)], pageParams: [null] });
  const full: ContextListResponse = { data: [ctx('b'), ctx('z')], has_more: false, next_cursor: null };
  client.setQueryData(contextKeys.list(EMPTY_FILTERS), full);
  client.setQueryData<ContextWithEtag>(contextKeys.detail('b'), { context: ctx('b'), etag: '"v1"' });
  client.setQueryData<ContextWithEtag>(contextKeys.detail('z'), { context: ctx('z'), etag: '"v1"' });
  return { client, failed, infinite };
}

describe('updateContextInCaches', () => {
  it('sets the detail and replaces the row in place in every list, summary or full', () => {
    const { client, failed, infinite } = seeded();
    const changed = { ...ctx('b', { step: 'changed', extra: [1, 2] }), extra_field: 'kept' } as ExecutionContext;
    updateContextInCaches(client, changed, '"v2"');

    expect(client.getQueryData(contextKeys.detail('b'))).toEqual({ context: changed, etag: '"v2"' });
    const after = client.getQueryData<InfiniteData<ContextSummaryListResponse>>(contextKeys.infinite(EMPTY_FILTERS));
    expect(after?.pages.map((p) => p.data.map((r) => r.id))).toEqual([['a', 'b'], ['c', 'd']]);
    expect(after?.pages[0]?.data[1]).toEqual(toSummary(changed));
    expect(after?.pages[0]?.data[1]).toMatchObject({ extra_field: 'kept', context_preview: '{"step":"changed","extra":[1,2]}' });
    // Untouched pages and caches keep their identity (no needless re-render).
    expect(after?.pages[1]).toBe(infinite.pages[1]);
    expect(after?.pageParams).toEqual([null, 'c1']);
    const other = client.getQueryData(contextKeys.infinite(failed));
    expect(other).toEqual({ pages: [page(['x'], null)], pageParams: [null] });

    const full = client.getQueryData<ContextListResponse>(contextKeys.list(EMPTY_FILTERS));
    expect(full?.data[0]).toEqual(changed);
  });

  it('forgets a stale ETag when none is given', () => {
    const { client } = seeded();
    updateContextInCaches(client, ctx('z', null));
    expect(client.getQueryData(contextKeys.detail('z'))).toEqual({ context: ctx('z', null), etag: null });
  });
});

describe('removeContextsFromCaches', () => {
  it('removes rows from every loaded page and drops the details', () => {
    const { client, failed } = seeded();
    removeContextsFromCaches(client, ['b', 'c', 'x', 'missing']);
    const after = client.getQueryData<InfiniteData<ContextSummaryListResponse>>(contextKeys.infinite(EMPTY_FILTERS));
    expect(after?.pages.map((p) => p.data.map((r) => r.id))).toEqual([['a'], ['d']]);
    // Cursors are untouched: the next page still follows the last loaded one.
    expect(after?.pages[0]?.next_cursor).toBe('c1');
    expect(client.getQueryData<InfiniteData<ContextSummaryListResponse>>(contextKeys.infinite(failed))?.pages[0]?.data).toEqual([]);
    expect(client.getQueryData<ContextListResponse>(contextKeys.list(EMPTY_FILTERS))?.data.map((r) => r.id)).toEqual(['z']);
    expect(client.getQueryData(contextKeys.detail('b'))).toBeUndefined();
    expect(client.getQueryData(contextKeys.detail('z'))).toBeDefined();
  });

  it('does nothing for no ids', () => {
    const { client, infinite } = seeded();
    removeContextsFromCaches(client, []);
    expect(client.getQueryData(contextKeys.infinite(EMPTY_FILTERS))).toBe(infinite);
  });
});
