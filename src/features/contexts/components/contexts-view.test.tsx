/**
 * The browse screen against a fake API (msw): paging with the cursor, dedup, filters →
 * request parameters, URL sync both ways (Back/Forward), the empty / error / 429 states,
 * go-to-context, keyboard use and column visibility.
 */
import { act, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { http, HttpResponse } from 'msw';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ExecutionContext } from '@contract/types';
import { configureRateBudgets } from '@/lib/rate-limits';
import {
  TEST_RATE_LIMITS,
  apiError,
  makeContexts,
  mockElementSize,
  renderWithProviders,
  resetFactories,
  server,
} from '@/testing';
import { fakeContextsApi } from '../testing/fake-contexts-api';
import { ContextsPage } from './contexts-page';

let restoreSize: () => void;
beforeEach(() => {
  resetFactories();
  // Unlimited budget: only the 429 test exercises pausing.
  configureRateBudgets(TEST_RATE_LIMITS);
  restoreSize = mockElementSize({ width: 1400, height: 800 });
});
afterEach(() => restoreSize());

function setup(contexts: ExecutionContext[], route = '/contexts') {
  const api = fakeContextsApi(contexts);
  server.use(...api.handlers);
  const rendered = renderWithProviders(<ContextsPage />, { route, role: 'viewer' });
  return { api, ...rendered };
}

const table = () => screen.getByRole('table', { name: 'Execution contexts' });
const bodyRows = () => within(table()).getAllByRole('row').filter((r) => r.hasAttribute('data-context-id'));
const scroller = () => table().parentElement as HTMLElement;

/** Scrolls so that the row at `index` is at the top of the 800 px viewport. */
async function scrollToRow(index: number) {
  const element = scroller();
  await act(async () => {
    element.scrollTop = index * 40;
    fireEvent.scroll(element);
  });
}

describe('loading and paging', () => {
  it('shows skeleton rows, then the first page of summaries', async () => {
    const { api } = setup(makeContexts(30));
    expect(table()).toHaveAttribute('aria-busy', 'true');
    expect(await screen.findByText('ctx_01JD000000000001')).toBeInTheDocument();
    const params = api.lastList();
    expect(params.get('per_page')).toBe('100');
    expect(params.get('view')).toBe('summary');
    expect(params.has('after')).toBe(false);
    expect(table()).not.toHaveAttribute('aria-busy');
    // All rows fit in one page: the end-of-list line says so and the table knows its size.
    expect(screen.getByText('All 30 contexts loaded')).toBeInTheDocument();
    expect(table()).toHaveAttribute('aria-rowcount', '31');
    const first = bodyRows()[0] as HTMLElement;
    expect(first).toHaveAttribute('aria-rowindex', '2');
    expect(within(first).getByRole('button', { name: 'Copy id ctx_01JD000000000001' })).toBeInTheDocument();
    expect(within(table()).getAllByRole('columnheader').map((h) => h.textContent)).toEqual([
      'ID',
      'Status',
      'Agent',
      'Workflow',
      'Session',
      'Created',
      'Updated',
      'Context',
    ]);
  });

  it('requests the next page with the cursor before the end is reached', async () => {
    const { api } = setup(makeContexts(250));
    await screen.findByText('ctx_01JD000000000001');
    expect(api.listRequests).toHaveLength(1);
    expect(table()).toHaveAttribute('aria-rowcount', '-1');
    // 20 rows in view from row 80 on: the end of page one is near, page two is asked for.
    await scrollToRow(80);
    await waitFor(() => expect(api.listRequests).toHaveLength(2));
    expect(api.listRequests[1]?.get('after')).toBe(btoa('i:100'));
    expect(api.listRequests[1]?.get('per_page')).toBe('100');
    await screen.findByText(/200 contexts loaded/);
    // Still far from the end of page two: nothing more is fetched.
    expect(api.listRequests).toHaveLength(2);
    await scrollToRow(180);
    await waitFor(() => expect(api.listRequests).toHaveLength(3));
    expect(api.listRequests[2]?.get('after')).toBe(btoa('i:200'));
    expect(await screen.findByText('All 250 contexts loaded')).toBeInTheDocument();
    // The DOM holds a window of rows, not 250.
    expect(bodyRows().length).toBeLessThan(60);
  });

  it('shows a row only once when pages overlap', async () => {
    const contexts = makeContexts(150);
    const page2 = [contexts[99] as ExecutionContext, ...contexts.slice(100, 150)];
    let calls = 0;
    server.use(
      http.get('/api/ai/execution-contexts', ({ request }) => {
        calls += 1;
        const after = new URL(request.url).searchParams.get('after');
        const page = after === null ? contexts.slice(0, 100) : page2;
        return HttpResponse.json({
          data: page.map((c) => ({ ...c, context: undefined, context_preview: '{}', context_size: 2 })),
          has_more: after === null,
          next_cursor: after === null ? 'c2' : null,
        });
      }),
    );
    renderWithProviders(<ContextsPage />, { route: '/contexts', role: 'viewer' });
    await screen.findByText('ctx_01JD000000000001');
    await scrollToRow(90);
    expect(await screen.findByText('All 150 contexts loaded')).toBeInTheDocument();
    expect(calls).toBe(2);
    expect(table()).toHaveAttribute('aria-rowcount', '151');
    const ids = bodyRows().map((r) => r.dataset.contextId);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.filter((id) => id === contexts[99]?.id)).toHaveLength(1);
  });
});

describe('filters and the URL', () => {
  it('sends the URL filters and shows them in the fields and as chips', async () => {
    const { api } = setup(makeContexts(10), '/contexts?agent_id=agent_2&status=failed,idle&updated_before=2026-11-01');
    await waitFor(() => expect(api.listRequests).toHaveLength(1));
    const params = api.lastList();
    expect(params.get('agent_id')).toBe('agent_2');
    expect(params.get('status')).toBe('idle,failed');
    expect(params.get('updated_before')).toBe(new Date(2026, 10, 1).toISOString());
    expect(screen.getByRole('textbox', { name: 'Agent id' })).toHaveValue('agent_2');
    expect(screen.getByLabelText('Not updated since')).toHaveValue('2026-11-01');
    expect(screen.getByRole('button', { name: 'Status: Idle, Failed' })).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Remove filter agent: agent_2' })).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Remove filter status: Idle, Failed' })).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Remove filter not updated since: 2026-11-01' })).toBeInTheDocument();
  });

  it('turns typing into one request and one history entry, and Back restores the view', async () => {
    const { api, user } = setup(makeContexts(20));
    await screen.findByText('ctx_01JD000000000001');
    const historyLength = window.history.length;
    await user.type(screen.getByRole('textbox', { name: 'Agent id' }), 'agent_3');
    await waitFor(() => expect(window.location.search).toBe('?agent_id=agent_3'));
    await waitFor(() => expect(api.lastList().get('agent_id')).toBe('agent_3'));
    // Debounced: no request per keystroke.
    expect(api.listRequests.filter((p) => p.has('agent_id'))).toHaveLength(1);
    expect(window.history.length).toBe(historyLength + 1);
    expect(bodyRows().every((r) => within(r).queryByText('agent_3'))).toBe(true);

    await user.click(screen.getByRole('button', { name: /^Status:/ }));
    await user.click(screen.getByRole('checkbox', { name: 'Failed' }));
    await waitFor(() => expect(window.location.search).toBe('?agent_id=agent_3&status=failed'));
    await waitFor(() => expect(api.lastList().get('status')).toBe('failed'));
    expect(window.history.length).toBe(historyLength + 2);

    // Back: the previous view, from the URL alone (the list comes from the cache).
    await act(async () => {
      window.history.back();
      await new Promise((r) => setTimeout(r, 50));
    });
    await waitFor(() => expect(window.location.search).toBe('?agent_id=agent_3'));
    expect(screen.getByRole('button', { name: 'Status: any' })).toBeInTheDocument();
    await act(async () => {
      window.history.back();
      await new Promise((r) => setTimeout(r, 50));
    });
    await waitFor(() => expect(window.location.search).toBe(''));
    expect(screen.getByRole('textbox', { name: 'Agent id' })).toHaveValue('');
    await act(async () => {
      window.history.forward();
      await new Promise((r) => setTimeout(r, 50));
    });
    await waitFor(() => expect(screen.getByRole('textbox', { name: 'Agent id' })).toHaveValue('agent_3'));
  });

  it('maps the workflow and date fields to request parameters', async () => {
    const { api, user } = setup(makeContexts(5));
    await screen.findByText('ctx_01JD000000000001');
    await user.type(screen.getByRole('textbox', { name: 'Workflow id' }), 'wf_billing');
    fireEvent.change(screen.getByLabelText('Not updated since'), { target: { value: '2026-10-15' } });
    await waitFor(() =>
      expect(window.location.search).toBe('?workflow_id=wf_billing&updated_before=2026-10-15'),
    );
    await waitFor(() => expect(api.lastList().get('updated_before')).toBe(new Date(2026, 9, 15).toISOString()));
    expect(api.lastList().get('workflow_id')).toBe('wf_billing');
  });

  it('removes one filter with its chip and all with Clear all', async () => {
    const { api, user } = setup(makeContexts(5), '/contexts?agent_id=agent_2&workflow_id=wf_support');
    await waitFor(() => expect(api.listRequests).toHaveLength(1));
    await user.click(screen.getByRole('button', { name: 'Remove filter agent: agent_2' }));
    await waitFor(() => expect(window.location.search).toBe('?workflow_id=wf_support'));
    expect(screen.getByRole('textbox', { name: 'Agent id' })).toHaveValue('');
    await user.click(screen.getByRole('button', { name: 'Clear all' }));
    await waitFor(() => expect(window.location.search).toBe(''));
    await waitFor(() => expect(api.lastList().has('workflow_id')).toBe(false));
  });
});

describe('states', () => {
  it('says when no context matches and clears the filters', async () => {
    const { api, user } = setup(makeContexts(3, { agent_id: 'agent_1' }), '/contexts?agent_id=nobody');
    expect(await screen.findByRole('heading', { name: 'No contexts match these filters' })).toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: 'Clear filters' }));
    await waitFor(() => expect(window.location.search).toBe(''));
    expect(await screen.findByText('All 3 contexts loaded')).toBeInTheDocument();
    expect(api.lastList().has('agent_id')).toBe(false);
  });

  it('shows an error with Retry, and Retry loads the list', async () => {
    let fail = true;
    const api = fakeContextsApi(makeContexts(4));
    server.use(
      http.get('/api/ai/execution-contexts', (info) => {
        if (fail) return apiError(403, 'forbidden', 'role may not list');
        return api.handlers[0]?.run(info).then((r) => r?.response);
      }),
    );
    const { user } = renderWithProviders(<ContextsPage />, { route: '/contexts', role: 'viewer' });
    const alert = await screen.findByRole('alert');
    expect(within(alert).getByText('Could not load contexts')).toBeInTheDocument();
    fail = false;
    await user.click(within(alert).getByRole('button', { name: 'Retry' }));
    expect(await screen.findByText('All 4 contexts loaded')).toBeInTheDocument();
  });

  it('paces page requests by the read budget when scrolling fast, and says so', async () => {
    // One read per second: the first page spends it, so the next page has to wait.
    configureRateBudgets({ read: { perSecond: 1, perMinute: 100 }, write: null, delete: null });
    const api = fakeContextsApi(makeContexts(450));
    const times: number[] = [];
    server.use(
      http.get('/api/ai/execution-contexts', (info) => {
        times.push(Date.now());
        return api.handlers[0]?.run(info).then((r) => r?.response);
      }),
    );
    renderWithProviders(<ContextsPage />, { route: '/contexts', role: 'viewer' });
    await screen.findByText('ctx_01JD000000000001');
    await scrollToRow(90);
    // Held back by the budget, not failed: the calm notice counts down.
    expect(await screen.findByText(/Loading resumes by itself in/)).toBeInTheDocument();
    await screen.findByText(/^200 contexts loaded/, {}, { timeout: 3000 });
    await scrollToRow(190);
    await screen.findByText(/^300 contexts loaded/, {}, { timeout: 3000 });
    expect(times).toHaveLength(3);
    for (let i = 1; i < times.length; i++) {
      expect((times[i] as number) - (times[i - 1] as number)).toBeGreaterThanOrEqual(950);
    }
  });

  it('waits out a 429 with a countdown and resumes by itself', async () => {
    const api = fakeContextsApi(makeContexts(4));
    let limited = 1;
    server.use(
      http.get('/api/ai/execution-contexts', (info) => {
        if (limited-- > 0) {
          return apiError(429, 'rate_limited', 'slow down', { 'Retry-After': '2' });
        }
        return api.handlers[0]?.run(info).then((r) => r?.response);
      }),
    );
    renderWithProviders(<ContextsPage />, { route: '/contexts', role: 'viewer' });
    const notice = await screen.findByText(/Loading resumes by itself in/);
    expect(notice.closest('[role="status"]')).toHaveTextContent(/in [12] s/);
    await waitFor(() => expect(notice.closest('[role="status"]')).toHaveTextContent('in 1 s'), { timeout: 2500 });
    expect(await screen.findByText('All 4 contexts loaded', {}, { timeout: 4000 })).toBeInTheDocument();
    expect(screen.queryByText(/Loading resumes by itself/)).not.toBeInTheDocument();
    expect(api.listRequests).toHaveLength(1);
  });
});
