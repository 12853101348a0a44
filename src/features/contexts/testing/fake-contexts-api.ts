/**
 * An in-memory contexts API for this feature's component tests (msw): the list endpoint
 * with the server's filters, cursor and summary view, and GET by id with an ETag. Every
 * request is recorded so tests can assert what the UI asked for.
 */
import { http, type HttpHandler } from 'msw';
import { toSummary } from '@contract/summary';
import type { ExecutionContext } from '@contract/types';
import { apiError, contextListResponse, contextResponse } from '@/testing';

export interface FakeContextsApi {
  contexts: ExecutionContext[];
  /** Every list request's search params, in order. */
  listRequests: URLSearchParams[];
  /** Ids requested with GET by id, in order. */
  getRequests: string[];
  handlers: HttpHandler[];
  /** Last list request's params (throws if none). */
  lastList: () => URLSearchParams;
}

/** Cursors are the index of the next row, base64'd to look opaque. */
const encodeCursor = (index: number) => btoa(`i:${index}`);
const decodeCursor = (cursor: string) => Number(atob(cursor).slice(2));

export function fakeContextsApi(contexts: ExecutionContext[]): FakeContextsApi {
  const api: FakeContextsApi = {
    contexts,
    listRequests: [],
    getRequests: [],
    handlers: [],
    lastList: () => {
      const last = api.listRequests[api.listRequests.length - 1];
      if (!last) throw new Error('no list request yet');
      return last;
    },
  };
  api.handlers = [
    http.get('/api/ai/execution-contexts', ({ request }) => {
      const params = new URL(request.url).searchParams;
      api.listRequests.push(params);
      const statuses = params.get('status')?.split(',');
      const before = params.get('updated_before');
      const matching = api.contexts.filter(
        (c) =>
          (!params.has('agent_id') || c.agent_id === params.get('agent_id')) &&
          (!params.has('workflow_id') || c.workflow_id === params.get('workflow_id')) &&
          (!statuses || statuses.includes(c.status)) &&
          (!before || Date.parse(c.updated_at) < Date.parse(before)),
      );
      const perPage = Number(params.get('per_page') ?? 20);
      const start = params.has('after') ? decodeCursor(params.get('after') as string) : 0;
      const page = matching.slice(start, start + perPage);
      const more = start + perPage < matching.length;
      const data = params.get('view') === 'summary' ? page.map(toSummary) : page;
      return contextListResponse({ data, has_more: more, next_cursor: more ? encodeCursor(start + perPage) : null });
    }),
    http.get('/api/ai/execution-contexts/:id', ({ params }) => {
      const id = String(params.id);
      api.getRequests.push(id);
      const found = api.contexts.find((c) => c.id === id);
      if (!found) return apiError(404, 'not_found', `execution context ${id} not found`);
      return contextResponse(found, { headers: { ETag: '"v3"' } });
    }),
  ];
  return api;
}
