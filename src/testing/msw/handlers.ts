/**
 * Default API handlers for component tests: the session endpoints, backed by
 * `testSession`. Feature tests add their own with `server.use(...)` (reset after each
 * test). Any request without a handler fails the test (onUnhandledRequest: 'error').
 */
import { http, HttpResponse } from 'msw';
import type { Role } from '@contract/constants';
import type { ErrorBody } from '@contract/types';
import { sessionInfo, TEST_KEYS, testSession } from './session-state';

export const apiError = (status: number, code: ErrorBody['error']['code'], message: string, headers?: HeadersInit) =>
  HttpResponse.json<ErrorBody>({ error: { code, message } }, { status, headers });

export const sessionHandlers = [
  http.get('/api/session', () =>
    testSession.role ? HttpResponse.json(sessionInfo(testSession.role)) : apiError(401, 'unauthorized', 'not signed in'),
  ),
  http.post('/api/session', async ({ request }) => {
    const body = (await request.json().catch(() => null)) as { api_key?: unknown } | null;
    const role = (Object.entries(TEST_KEYS) as Array<[Role, string]>).find(([, key]) => key === body?.api_key)?.[0];
    if (!role) return apiError(401, 'unauthorized', 'unknown API key');
    testSession.role = role;
    return HttpResponse.json(sessionInfo(role));
  }),
  http.delete('/api/session', () => {
    testSession.role = null;
    return new HttpResponse(null, { status: 204 });
  }),
];

export const defaultHandlers = [...sessionHandlers];

/**
 * An empty contexts API (list → no rows, get → 404), for tests of the frame or auth that
 * land on /contexts and do not care about its data.
 */
export const emptyContextsHandlers = [
  http.get('/api/ai/execution-contexts', () => HttpResponse.json({ data: [], has_more: false, next_cursor: null })),
  http.get('/api/ai/execution-contexts/:id', ({ params }) =>
    apiError(404, 'not_found', `execution context ${String(params.id)} not found`),
  ),
];
