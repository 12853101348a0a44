/**
 * The detail drawer and the ways to reach it: a row (click, keyboard), `?context=<id>`,
 * and "Go to context"; plus the keyboard shortcuts and column visibility of the screen.
 */
import { act, screen, waitFor, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseJsonText, stringifyJson } from '@contract/json/lossless-json';
import type { ExecutionContext, JsonObject } from '@contract/types';
import { Button } from '@/components/ui';
import { configureRateBudgets } from '@/lib/rate-limits';
import { TEST_RATE_LIMITS, makeContext, makeContexts, mockElementSize, renderWithProviders, resetFactories, server } from '@/testing';
import { COLUMN_VISIBILITY_KEY } from '../lib/column-visibility';
import { fakeContextsApi } from '../testing/fake-contexts-api';
import { ContextsPage } from './contexts-page';
import { ContextsView } from './contexts-view';

let restoreSize: () => void;
beforeEach(() => {
  resetFactories();
  configureRateBudgets(TEST_RATE_LIMITS);
  restoreSize = mockElementSize({ width: 1400, height: 800 });
});
afterEach(() => restoreSize());

function setup(contexts: ExecutionContext[], route = '/contexts', ui = <ContextsPage />) {
  const api = fakeContextsApi(contexts);
  server.use(...api.handlers);
  return { api, ...renderWithProviders(ui, { route, role: 'viewer' }) };
}

const table = () => screen.getByRole('table', { name: 'Execution contexts' });
const row = (id: string) => table().querySelector<HTMLElement>(`tr[data-context-id="${id}"]`) as HTMLElement;
const jsonText = (dialog: HTMLElement) =>
  [...dialog.querySelectorAll('.jv__line')].map((line) => line.querySelector('.jv__code')?.textContent ?? '');

const special = (): ExecutionContext =>
  ({
    ...makeContext({
      id: 'ctx_special',
      context: { current_step: 'processing', progress: 75, nested: { list: [1, 'two', null, true], empty: {} }, 'quote"key': 'a\nb' },
    }),
    // Fields the contract does not list must be shown, not dropped.
    priority: 'high',
    labels: ['vip', 'eu'],
  }) as ExecutionContext;

describe('the drawer', () => {
  it('opens from a row: id as title, every field, the JSON exactly as returned; Esc returns focus to the row', async () => {
    const ctx = special();
    const { user } = setup([ctx, ...makeContexts(5)]);
    await screen.findByText('ctx_special');
    await user.click(within(row('ctx_special')).getByText('agent_2'));
    await waitFor(() => expect(window.location.search).toBe('?context=ctx_special'));
    const dialog = await screen.findByRole('dialog', { name: 'ctx_special' });

    // Metadata, including the unknown fields, each with a copy button.
    const expectedFields: Array<[string, string]> = [
      ['Agent', 'agent_2'],
      ['Workflow', 'wf_billing'],
      ['Session', 'session_1001'],
      ['priority', 'high'],
      ['labels', '["vip","eu"]'],
    ];
    for (const [label, value] of expectedFields) {
      const term = within(dialog).getByText(label, { selector: 'dt' });
      expect(term.nextElementSibling).toHaveTextContent(value);
    }
    expect(within(dialog).getByRole('button', { name: 'Copy priority' })).toBeInTheDocument();
    expect(within(dialog).getByRole('button', { name: 'Copy id' })).toBeInTheDocument();

    // The JSON, line for line, once the full context has loaded.
    await waitFor(() => expect(jsonText(dialog).length).toBeGreaterThan(1));
    const expected = stringifyJson(ctx.context, 2).split('\n').map((l) => l.trimStart());
    expect(jsonText(dialog).map((l) => l.trimStart())).toEqual(expected);

    await user.keyboard('{Escape}');
    await waitFor(() => expect(screen.queryByRole('dialog')).not.toBeInTheDocument());
    expect(window.location.search).toBe('');
    expect(row('ctx_special')).toHaveFocus();
  });

  it('opens from ?context=<id> and says plainly when that id does not exist', async () => {
    const ctx = special();
    setup([ctx], '/contexts?context=ctx_special');
    expect(await screen.findByRole('dialog', { name: 'ctx_special' })).toBeInTheDocument();
    await screen.findByText('"processing"', { exact: false });
    act(() => window.history.replaceState(null, '', '/contexts?context=ctx_gone'));
    expect(await screen.findByText('No context with id “ctx_gone” exists. It may have been deleted.')).toBeInTheDocument();
  });

  it('shows big numbers and odd spellings exactly, in stored order; finds them by their digits; copies the exact text', async () => {
    const stored = '{"id_big":750727362669608961,"price":1.10,"z":1,"10":"ten","2":"two","exp":1E2,"huge":1e400}';
    const ctx = makeContext({ id: 'ctx_exact', context: parseJsonText(stored).value as JsonObject });
    const { user } = setup([ctx], '/contexts?context=ctx_exact');
    const dialog = await screen.findByRole('dialog', { name: 'ctx_exact' }, { timeout: 5000 });
    await waitFor(() => expect(jsonText(dialog).length).toBeGreaterThan(1));
    const pretty = stringifyJson(parseJsonText(stored).value, 2);
    expect(pretty).toContain('"id_big": 750727362669608961');
    expect(jsonText(dialog).map((l) => l.trimStart())).toEqual(pretty.split('\n').map((l) => l.trimStart()));

    const find = within(dialog).getByRole('searchbox', { name: 'Find in JSON' });
    await user.type(find, '750727362669608961');
    await waitFor(() => expect(within(dialog).getByText('1 of 1')).toBeInTheDocument());
    expect(dialog.querySelector('.jv-mark--current')).toHaveTextContent('750727362669608961');

    await user.click(within(dialog).getByRole('button', { name: 'Copy JSON' }));
    expect(await navigator.clipboard.readText()).toBe(pretty);
  });

  it('folds and searches the JSON', async () => {
    const { user } = setup([special()], '/contexts?context=ctx_special');
    const dialog = await screen.findByRole('dialog', { name: 'ctx_special' });
    const collapse = await within(dialog).findByRole('button', { name: 'Collapse "nested"' });
    const before = jsonText(dialog).length;
    await user.click(collapse);
    expect(within(dialog).getByRole('button', { name: 'Expand "nested"' })).toHaveAttribute('aria-expanded', 'false');
    expect(jsonText(dialog).length).toBe(before - 8);
    expect(jsonText(dialog).some((l) => l.includes('"nested": { … }, 2 keys'))).toBe(true);

    // Searching reveals folded matches and counts them.
    const find = within(dialog).getByRole('searchbox', { name: 'Find in JSON' });
    await user.type(find, 'two');
    await waitFor(() => expect(within(dialog).getByText('1 of 1')).toBeInTheDocument());
    expect(within(dialog).getByRole('button', { name: 'Collapse "nested"' })).toBeInTheDocument();
    expect(dialog.querySelector('.jv-mark--current')).toHaveTextContent('two');

    await user.clear(find);
    await user.type(find, 'e');
    const count = () => dialog.querySelector('.jv__count')?.textContent ?? '';
    // "e" is in many keys and values (the previous search said "1 of 1").
    await waitFor(() => expect(count()).toMatch(/^1 of \d{2,}$/));
    const total = Number(count().split(' of ')[1]);
    await user.click(within(dialog).getByRole('button', { name: 'Previous match' }));
    expect(within(dialog).getByText(`${total} of ${total}`)).toBeInTheDocument();
    await user.click(within(dialog).getByRole('button', { name: 'Next match' }));
    expect(within(dialog).getByText(`1 of ${total}`)).toBeInTheDocument();
  });

  it('gives the editor and delete features their slots', async () => {
    const ctx = special();
    setup(
      [ctx],
      '/contexts?context=ctx_special',
      <ContextsView
        drawerActions={({ context, etag }) => <Button>{`Edit ${context.id} at ${etag}`}</Button>}
        renderDrawerBody={({ viewer, context }) => (
          <div data-testid="body-slot">
            {context.id}
            {viewer}
          </div>
        )}
        toolbarActions={({ rows }) => <Button>{`Delete ${rows.length}…`}</Button>}
      />,
    );
    const dialog = await screen.findByRole('dialog', { name: 'ctx_special' });
    expect(await within(dialog).findByRole('button', { name: 'Edit ctx_special at "v3"' })).toBeInTheDocument();
    expect(within(dialog).getByTestId('body-slot')).toHaveTextContent('ctx_special');
    expect(screen.getByRole('button', { name: 'Delete 1…', hidden: true })).toBeInTheDocument();
  });
});

describe('go to context', () => {
  it('opens an existing id and says so plainly when it does not exist', async () => {
    const { user, api } = setup([special(), ...makeContexts(3)]);
    await screen.findByText('ctx_special');
    const field = screen.getByRole('textbox', { name: 'Go to context' });
    await user.type(field, 'ctx_nope');
    await user.click(screen.getByRole('button', { name: 'Open' }));
    expect(await screen.findByText('No context with id “ctx_nope” exists.')).toBeInTheDocument();
    expect(field).toHaveAttribute('aria-invalid', 'true');
    expect(window.location.search).toBe('');

    await user.clear(field);
    await user.type(field, '  ctx_special {Enter}');
    expect(await screen.findByRole('dialog', { name: 'ctx_special' })).toBeInTheDocument();
    expect(window.location.search).toBe('?context=ctx_special');
    // The drawer reuses what Go to context fetched.
    expect(api.getRequests.filter((id) => id === 'ctx_special')).toHaveLength(1);
  });
});

describe('keyboard', () => {
  it('moves the active row with arrows and j/k, opens with Enter, focuses the filters with /', async () => {
    const { user } = setup(makeContexts(10));
    await screen.findByText('ctx_01JD000000000001');
    await user.click(within(row('ctx_01JD000000000001')).getByText('agent_2'));
    await screen.findByRole('dialog');
    await user.keyboard('{Escape}');
    await waitFor(() => expect(row('ctx_01JD000000000001')).toHaveFocus());

    await user.keyboard('{ArrowDown}');
    expect(row('ctx_01JD000000000002')).toHaveFocus();
    await user.keyboard('j');
    expect(row('ctx_01JD000000000003')).toHaveFocus();
    await user.keyboard('k');
    expect(row('ctx_01JD000000000002')).toHaveFocus();
    expect(row('ctx_01JD000000000002')).toHaveAttribute('tabindex', '0');
    expect(row('ctx_01JD000000000001')).toHaveAttribute('tabindex', '-1');
    await user.keyboard('{End}');
    expect(row('ctx_01JD000000000010')).toHaveFocus();
    await user.keyboard('{Enter}');
    expect(await screen.findByRole('dialog', { name: 'ctx_01JD000000000010' })).toBeInTheDocument();
    await user.keyboard('{Escape}');
    await waitFor(() => expect(row('ctx_01JD000000000010')).toHaveFocus());

    await user.keyboard('/');
    expect(screen.getByRole('searchbox', { name: 'Search contexts' })).toHaveFocus();
    // Typing "/" in a field types it.
    await user.keyboard('/');
    expect(screen.getByRole('searchbox', { name: 'Search contexts' })).toHaveValue('/');
  });
});

describe('column visibility', () => {
  it('hides a column and remembers it', async () => {
    const { user, unmount } = setup(makeContexts(3));
    await screen.findByText('ctx_01JD000000000001');
    await user.click(screen.getByRole('button', { name: /^Columns:/ }));
    await user.click(screen.getByRole('checkbox', { name: 'Session' }));
    expect(within(table()).queryByRole('columnheader', { name: 'Session' })).not.toBeInTheDocument();
    expect(JSON.parse(localStorage.getItem(COLUMN_VISIBILITY_KEY) ?? '{}')).toEqual({ session_id: false });
    // Escape closes the menu and returns focus to its button.
    await user.keyboard('{Escape}');
    expect(screen.getByRole('button', { name: /^Columns:/ })).toHaveFocus();
    unmount();

    setup(makeContexts(3));
    await screen.findByText('ctx_01JD000000000004');
    expect(within(table()).queryByRole('columnheader', { name: 'Session' })).not.toBeInTheDocument();
    expect(within(table()).getByRole('columnheader', { name: 'Agent' })).toBeInTheDocument();
  });
});
