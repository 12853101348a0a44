/**
 * An in-memory contexts API for bulk-delete component tests (msw): the list with the
 * server's filters, order (created_at desc, id desc), position cursor and summary view;
 * GET by id; DELETE with the contract's answers (204, 404 gone, 409 in use). Deletes
 * really remove rows, so the cursor must be a position (like the server's), not an index.
 *
 * Every request is recorded; `hold` makes requests wait until released, to look at a
 * job or a count while it runs.
 */
import { http, HttpResponse, type HttpHandler } from 'msw';
import { isInUse } from '@contract/constants';
import { toSummary } from '@contract/summary';
import type { ExecutionContext } from '@contract/types';
import { apiError, contextListResponse, contextResponse } from '@/testing';

type Kind = 'list' | 'get' | 'delete';

export interface FakeBulkApi {
  contexts: ExecutionContext[];
  listRequests: URLSearchParams[];
  getRequests: string[];
  deleteRequests: string[];
  /** A DELETE answer to force for an id (status and optional Retry-After), instead of the store's. */
  deleteAnswers: Map<string, { status: number; retryAfter?: number }>;
  handlers: HttpHandler[];
  /** Requests of this kind wait until the returned function is called (or `release`). */
  hold: (kind: Kind) => () => void;
  /** Lets one held request of this kind through. */
  releaseOne: (kind: Kind) => void;
  release: (kind: Kind) => void;
  ids: () => string[];
}

const encodeCursor = (c: ExecutionContext) => btoa(JSON.stringify([c.created_at, c.id]));
const decodeCursor = (cursor: string) => JSON.parse(atob(cursor)) as [string, string];

/** Newest first; ties by id, descending (the contract's order). */
const compare = (a: ExecutionContext, b: ExecutionContext) =>
  a.created_at === b.created_at ? (a.id < b.id ? 1 : a.id > b.id ? -1 : 0) : a.created_at < b.created_at ? 1 : -1;

export function fakeBulkApi(initial: ExecutionContext[]): FakeBulkApi {
  const held: Record<Kind, boolean> = { list: false, get: false, delete: false };
  const waiting: Record<Kind, Array<() => void>> = { list: [], get: [], delete: [] };
  const gate = (kind: Kind) =>
    held[kind] ? new Promise<void>((resolve) => waiting[kind].push(resolve)) : Promise.resolve();

  const api: FakeBulkApi = {
    contexts: [...initial].sort(compare),
    listRequests: [],
    getRequests: [],
    deleteRequests: [],
    deleteAnswers: new Map(),
    handlers: [],
    hold: (kind) => {
      held[kind] = true;
      return () => api.release(kind);
    },
    releaseOne: (kind) => waiting[kind].shift()?.(),
    release: (kind) => {
      held[kind] = false;
      for (const resolve of waiting[kind].splice(0)) resolve();
    },
    ids: () => api.contexts.map((c) => c.id),
  };

  api.handlers = [
    http.get('/api/ai/execution-contexts', async ({ request }) => {
      const params = new URL(request.url).searchParams;
      api.listRequests.push(params);
      await gate('list');
      const statuses = params.get('status')?.split(',');
      const before = params.get('updated_before');
      let rows = api.contexts.filter(
        (c) =>
          (!params.has('agent_id') || c.agent_id === params.get('agent_id')) &&
          (!params.has('workflow_id') || c.workflow_id === params.get('workflow_id')) &&
          (!statuses || statuses.includes(c.status)) &&
          (!before || Date.parse(c.updated_at) < Date.parse(before)),
      );
      const after = params.get('after');
      if (after) {
        const [createdAt, id] = decodeCursor(after);
        const mark = { created_at: createdAt, id } as ExecutionContext;
        rows = rows.filter((c) => compare(c, mark) > 0);
      }
      const perPage = Number(params.get('per_page') ?? 20);
      const page = rows.slice(0, perPage);
      const more = rows.length > perPage;
      const last = page[page.length - 1];
      const data = params.get('view') === 'summary' ? page.map(toSummary) : page;
      return contextListResponse({ data, has_more: more, next_cursor: more && last ? encodeCursor(last) : null });
    }),
    http.get('/api/ai/execution-contexts/:id', async ({ params }) => {
      const id = String(params.id);
      api.getRequests.push(id);
      await gate('get');
      const found = api.contexts.find((c) => c.id === id);
      if (!found) return apiError(404, 'not_found', `execution context ${id} not found`);
      return contextResponse(found, { headers: { ETag: '"v1"' } });
    }),
    http.delete('/api/ai/execution-contexts/:id', async ({ params }) => {
      const id = String(params.id);
      api.deleteRequests.push(id);
      await gate('delete');
      const forced = api.deleteAnswers.get(id);
      if (forced) {
        const headers = forced.retryAfter === undefined ? undefined : { 'Retry-After': String(forced.retryAfter) };
        const code = forced.status === 429 ? 'rate_limited' : forced.status === 403 ? 'forbidden' : forced.status >= 500 ? 'internal_error' : 'invalid_query';
        return apiError(forced.status, code, `forced ${forced.status} for ${id}`, headers);
      }
      const found = api.contexts.find((c) => c.id === id);
      if (!found) return apiError(404, 'not_found', `execution context ${id} not found`);
      if (isInUse(found.status)) return apiError(409, 'in_use', `execution context ${id} is ${found.status}`);
      api.contexts = api.contexts.filter((c) => c.id !== id);
      return new HttpResponse(null, { status: 204 });
    }),
  ];
  return api;
}
