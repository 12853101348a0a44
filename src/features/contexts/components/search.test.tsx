/**
 * Search in contexts (issue 10) on the browse screen, against a fake API (msw) that
 * answers q/where with the contract's own semantics and scans in small time-bounded steps
 * (a few rows per request, short pages with has_more) like the server: the search box and
 * its recent searches, the condition builder's validation, the URL round trip, the
 * "Searching… N found so far" scan with Stop, and the drawer opening on the match.
 */
import { screen, waitFor, within } from '@testing-library/react';
import { delay, http, HttpResponse } from 'msw';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseJsonText, stringifyJson } from '@contract/json/lossless-json';
import { parseCondition } from '@contract/search/condition';
import { conditionHolds } from '@contract/search/evaluate';
import { foldForSearch } from '@contract/search/fold';
import { searchTextOf } from '@contract/search/search-text';
import { toSummary } from '@contract/summary';
import type { ExecutionContext } from '@contract/types';
import { configureRateBudgets } from '@/lib/rate-limits';
import { TEST_RATE_LIMITS, contextResponse, makeContext, mockElementSize, renderWithProviders, resetFactories, server } from '@/testing';
import { RECENT_SEARCHES_KEY } from '../lib/recent-searches';
import { ContextsPage } from './contexts-page';

let restoreSize: () => void;
beforeEach(() => {
  resetFactories();
  configureRateBudgets(TEST_RATE_LIMITS);
  restoreSize = mockElementSize({ width: 1400, height: 800 });
  localStorage.removeItem(RECENT_SEARCHES_KEY);
});
afterEach(() => restoreSize());

/** A context's stored text, as the server keeps it (the factories build lossless values). */
const textOf = (c: ExecutionContext) => (c.context === null ? null : stringifyJson(c.context));

/** A list endpoint that searches like the server and examines `scanRows` rows per request. */
function searchApi(contexts: ExecutionContext[], scanRows = Infinity) {
  const requests: URLSearchParams[] = [];
  const handler = http.get('/api/ai/execution-contexts', async ({ request }) => {
    // A scan step takes time on the server too (and gives Stop a chance in the test).
    if (scanRows !== Infinity) await delay(40);
    const params = new URL(request.url).searchParams;
    requests.push(params);
    const q = params.get('q');
    const conditions = params.getAll('where').map((w) => {
      const parsed = parseCondition(w);
      if (!parsed.ok) throw new Error(w);
      return parsed.condition;
    });
    const perPage = Number(params.get('per_page') ?? 20);
    let i = params.has('after') ? Number(params.get('after')) : 0;
    const data: ExecutionContext[] = [];
    let examined = 0;
    for (; i < contexts.length && data.length < perPage && examined < scanRows; i += 1, examined += 1) {
      const c = contexts[i] as ExecutionContext;
      const text = textOf(c);
      const value = text === null ? null : parseJsonText(text).value;
      if (q !== null && !searchTextOf(text).includes(foldForSearch(q))) continue;
      if (!conditions.every((cond) => conditionHolds(value, cond))) continue;
      data.push(c);
    }
    const more = i < contexts.length;
    return HttpResponse.json({ data: data.map(toSummary), has_more: more, next_cursor: more ? String(i) : null });
  });
  const getHandler = http.get('/api/ai/execution-contexts/:id', ({ params }) => {
    const found = contexts.find((c) => c.id === params.id);
    return found ? contextResponse(found, { headers: { ETag: '"v1"' } }) : new HttpResponse(null, { status: 404 });
  });
  server.use(handler, getHandler);
  return { requests, last: () => requests[requests.length - 1] as URLSearchParams };
}

function customers(count: number, special: Record<number, string> = {}) {
  return Array.from({ length: count }, (_, n) =>
    makeContext({
      context: { customer: { email: special[n] ?? `user${n}@example.com` }, order: 88000 + n, note: `order ${n}` },
    }),
  );
}

const setup = (contexts: ExecutionContext[], route = '/contexts', scanRows?: number) => {
  const api = searchApi(contexts, scanRows);
  const rendered = renderWithProviders(<ContextsPage />, { route, role: 'viewer' });
  return { api, ...rendered };
};
const searchBox = () => screen.getByRole('searchbox', { name: 'Search contexts' });
const url = () => new URLSearchParams(window.location.search);

describe('the search box', () => {
  it('searches by q, says when the text is too short, and offers recent searches', async () => {
    const { api, user } = setup(customers(30, { 7: 'Alice@Example.com' }));
    await screen.findByText('ctx_01JD000000000001');
    await user.type(searchBox(), 'al');
    expect(await screen.findByText('Type at least 3 characters')).toBeInTheDocument();
    await user.type(searchBox(), 'ice@example{Enter}');
    await waitFor(() => expect(url().get('q')).toBe('alice@example'));
    await waitFor(() => expect(api.last().get('q')).toBe('alice@example'));
    expect(await screen.findByText('ctx_01JD000000000008')).toBeInTheDocument();
    expect(screen.queryByText('ctx_01JD000000000001')).not.toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Remove filter contains: alice@example' })).toBeInTheDocument();

    // Remembered: clear, then pick it again from "Recent searches".
    await user.click(screen.getByRole('button', { name: 'Remove filter contains: alice@example' }));
    await waitFor(() => expect(url().has('q')).toBe(false));
    await user.click(screen.getByRole('button', { name: 'Recent searches' }));
    await user.click(within(screen.getByRole('group', { name: 'Recent searches' })).getByRole('button', { name: 'alice@example' }));
    await waitFor(() => expect(url().get('q')).toBe('alice@example'));
    expect(searchBox()).toHaveValue('alice@example');
  });
});

describe('the condition builder', () => {
  it('validates as you type and adds a condition as a chip, in the URL and the request', async () => {
    const { api, user } = setup(customers(30, { 3: 'alice@example.com' }));
    await screen.findByText('ctx_01JD000000000001');
    await user.click(screen.getByRole('button', { name: 'Add condition' }));
    const form = screen.getByRole('group', { name: 'New condition' });
    const path = within(form).getByRole('textbox', { name: 'Path' });
    const value = within(form).getByRole('textbox', { name: 'Value' });
    const add = within(form).getByRole('button', { name: 'Add' });
    expect(add).toBeDisabled();

    await user.type(path, 'customer email');
    expect(path).toHaveAttribute('aria-invalid', 'true');
    expect(within(form).getByText(/A path has no spaces/)).toBeInTheDocument();
    await user.clear(path);
    await user.type(path, 'customer.email');
    expect(path).not.toHaveAttribute('aria-invalid');

    await user.type(value, 'alice@example.com');
    expect(value).toHaveAttribute('aria-invalid', 'true');
    expect(within(form).getByText(/strings need double quotes/)).toBeInTheDocument();
    expect(add).toBeDisabled();
    await user.clear(value);
    await user.type(value, '"alice@example.com"');
    expect(value).not.toHaveAttribute('aria-invalid');
    expect(add).toBeEnabled();

    await user.selectOptions(within(form).getByRole('combobox', { name: 'Operator' }), '<');
    await user.clear(value);
    await user.type(value, 'true');
    expect(within(form).getByText(/compares numbers or strings/)).toBeInTheDocument();
    await user.selectOptions(within(form).getByRole('combobox', { name: 'Operator' }), '=');
    await user.clear(value);
    await user.type(value, '"alice@example.com"');
    await user.click(add);

    await waitFor(() => expect(url().getAll('where')).toEqual(['customer.email = "alice@example.com"']));
    await waitFor(() => expect(api.last().getAll('where')).toEqual(['customer.email = "alice@example.com"']));
    expect(await screen.findByText('ctx_01JD000000000004')).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Remove filter where: customer.email = "alice@example.com"' })).toBeInTheDocument();
    expect(form).not.toBeVisible();

    // exists takes no value.
    await user.click(screen.getByRole('button', { name: 'Add condition' }));
    await user.type(within(form).getByRole('textbox', { name: 'Path' }), '[["order"]');
    await user.selectOptions(within(form).getByRole('combobox', { name: 'Operator' }), 'exists');
    expect(within(form).queryByRole('textbox', { name: 'Value' })).not.toBeInTheDocument();
    await user.click(within(form).getByRole('button', { name: 'Add' }));
    await waitFor(() => expect(url().getAll('where')).toEqual(['customer.email = "alice@example.com"', 'order exists']));
  });
});

describe('search in the URL', () => {
  it('restores q and conditions from a link, sends them, and removes them one by one', async () => {
    const where = ['order >= 88010', 'note ~ "ORDER 1"'];
    const route = `/contexts?q=example&${where.map((w) => `where=${encodeURIComponent(w)}`).join('&')}&status=idle,failed,running,completed,interrupted,waiting_for_input`;
    const { api, user } = setup(customers(30), route);
    expect(searchBox()).toHaveValue('example');
    await waitFor(() => expect(api.requests.length).toBeGreaterThan(0));
    expect(api.last().get('q')).toBe('example');
    expect(api.last().getAll('where')).toEqual(where);
    // 88010…88019 have "order 1x" notes.
    expect(await screen.findByText('ctx_01JD000000000011')).toBeInTheDocument();
    expect(await screen.findByText('10 contexts')).toBeInTheDocument();

    await user.click(screen.getByRole('button', { name: 'Remove filter where: order >= 88010' }));
    await waitFor(() => expect(url().getAll('where')).toEqual(['note ~ "ORDER 1"']));
    expect(api.last().getAll('where')).toEqual(['note ~ "ORDER 1"']);
    expect(url().get('q')).toBe('example');
  });
});

describe('a time-bounded search', () => {
  it('keeps scanning while pages come back short, says how many were found, and stops on Stop', async () => {
    // 60 contexts, every 10th matches; the fake examines 4 rows a request.
    const special = Object.fromEntries(Array.from({ length: 6 }, (_, k) => [k * 10 + 9, `match${k}@rare.test`]));
    const { api, user } = setup(customers(60, special), '/contexts?q=rare.test', 4);
    const summary = () => screen.getAllByRole('status').map((s) => s.textContent ?? '').join(' | ');
    await waitFor(() => expect(summary()).toMatch(/Searching… [1-5] found so far/), { timeout: 5000 });
    await user.click(screen.getByRole('button', { name: 'Stop' }));
    await waitFor(() => expect(summary()).toMatch(/Search stopped · \d found so far/));
    // A page requested just before Stop may still arrive (it is not aborted); after that
    // no further page is asked for.
    await new Promise((resolve) => setTimeout(resolve, 300));
    const count = api.requests.length;
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(api.requests.length).toBe(count);
    await user.click(screen.getByRole('button', { name: 'Continue searching' }));
    expect(await screen.findByText('All 6 contexts loaded', {}, { timeout: 5000 })).toBeInTheDocument();
    expect(api.requests.length).toBe(15);
  });
});

describe('opening a result', () => {
  it('shows the JSON with the first match of q highlighted', async () => {
    const { user } = setup(customers(5, { 2: 'bob@shop.test' }), '/contexts?q=BOB@shop');
    await user.click(await screen.findByText('ctx_01JD000000000003'));
    const dialog = await screen.findByRole('dialog', { name: 'ctx_01JD000000000003' });
    expect(await within(dialog).findByRole('searchbox', { name: 'Find in JSON' })).toHaveValue('BOB@shop');
    expect(within(dialog).getByText('1 of 1')).toBeInTheDocument();
    expect(dialog.querySelector('.jv-mark')?.textContent).toBe('bob@shop');
  });

  it('highlights the member a condition names', async () => {
    const { user } = setup(customers(5), `/contexts?where=${encodeURIComponent('customer.email ~ "user1@"')}`);
    await user.click(await screen.findByText('ctx_01JD000000000002'));
    const dialog = await screen.findByRole('dialog', { name: 'ctx_01JD000000000002' });
    const marked = () => [...dialog.querySelectorAll('.jv-mark')].map((m) => m.textContent).join('');
    await waitFor(() => expect(marked()).toBe('"email": "user1@example.com"'));
  });
});
