/**
 * Selection in the contexts table: checkbox names, shift-click ranges, the header checkbox,
 * "Select all matching" with exclusions and an honest count, clearing on a filter change,
 * and who sees any of it (admins only).
 */
import { act, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { contextId, makeContexts } from '@/testing';
import { installBulkDeleteTestHooks, renderBulk, rowBox, rowIds, selectionGroup, table } from '../testing/setup';

installBulkDeleteTestHooks();

const id = contextId;

describe('row checkboxes', () => {
  it('gives every row a checkbox named after its context, and a header checkbox', async () => {
    renderBulk(makeContexts(12));
    expect(await screen.findByRole('checkbox', { name: `Select ${id(1)}` })).not.toBeChecked();
    const boxes = within(table()).getAllByRole('checkbox', { name: /^Select ctx_/ });
    expect(boxes).toHaveLength(12);
    expect(within(table()).getByRole('checkbox', { name: 'Select all loaded rows' })).toBeInTheDocument();
    // Nothing selected: no selection toolbar.
    expect(screen.queryByRole('group', { name: 'Selection' })).not.toBeInTheDocument();
  });

  it('ticking a row selects it without opening the drawer', async () => {
    const { user } = renderBulk(makeContexts(5));
    await user.click(await screen.findByRole('checkbox', { name: `Select ${id(2)}` }));
    expect(rowBox(id(2))).toBeChecked();
    expect(within(selectionGroup()).getByRole('status')).toHaveTextContent('1 selected');
    expect(screen.queryByRole('dialog')).not.toBeInTheDocument();
    expect(window.location.search).not.toContain('context=');
  });

  it('selects a range with shift-click, in either direction, and chains ranges', async () => {
    const { user } = renderBulk(makeContexts(12));
    await user.click(await screen.findByRole('checkbox', { name: `Select ${id(2)}` }));
    await user.keyboard('{Shift>}');
    await user.click(rowBox(id(6)));
    await user.keyboard('{/Shift}');
    const checked = () => rowIds().filter((rid) => rid !== null && (rowBox(rid) as HTMLInputElement).checked);
    expect(checked()).toEqual([id(2), id(3), id(4), id(5), id(6)]);
    expect(within(selectionGroup()).getByRole('status')).toHaveTextContent('5 selected');

    // From the new anchor (6) back up to 4: the clicked row was ticked, so the range is unticked.
    await user.keyboard('{Shift>}');
    await user.click(rowBox(id(4)));
    await user.keyboard('{/Shift}');
    expect(checked()).toEqual([id(2), id(3)]);
  });

  it('the header checkbox selects the loaded rows, shows "mixed", and clears', async () => {
    const { user } = renderBulk(makeContexts(8));
    await user.click(await screen.findByRole('checkbox', { name: `Select ${id(3)}` }));
    const header = within(table()).getByRole('checkbox', { name: 'Select all loaded rows' });
    expect(header).toBePartiallyChecked();
    await user.click(header);
    expect(within(table()).getByRole('checkbox', { name: 'Deselect all (clears the selection)' })).toBeChecked();
    expect(within(selectionGroup()).getByRole('status')).toHaveTextContent('8 selected');
    await user.click(within(table()).getByRole('checkbox', { name: 'Deselect all (clears the selection)' }));
    expect(rowBox(id(3))).not.toBeChecked();
    expect(screen.queryByRole('group', { name: 'Selection' })).not.toBeInTheDocument();
  });

  it('"Clear selection" clears it', async () => {
    const { user } = renderBulk(makeContexts(4));
    await user.click(await screen.findByRole('checkbox', { name: `Select ${id(1)}` }));
    await user.click(within(selectionGroup()).getByRole('button', { name: 'Clear selection' }));
    expect(rowBox(id(1))).not.toBeChecked();
  });
});

describe('select all matching', () => {
  it('counts honestly (at least N, counting) until every matching row is known, and keeps exclusions', async () => {
    const { api, user } = renderBulk(makeContexts(250));
    await user.click(await screen.findByRole('checkbox', { name: `Select ${id(1)}` }));
    // Only the first page (100 rows) is loaded; hold the count's pages to look at it.
    api.hold('list');
    await user.click(within(selectionGroup()).getByRole('button', { name: 'Select all matching' }));
    const status = within(selectionGroup()).getByRole('status');
    expect(status).toHaveTextContent('At least 100 matching selected — counting…');
    // Every loaded row is selected, including ones never ticked.
    expect(rowBox(id(5))).toBeChecked();

    // Unticking a row excludes it.
    await user.click(rowBox(id(5)));
    expect(status).toHaveTextContent('At least 99 matching selected (1 excluded) — counting…');

    api.release('list');
    await waitFor(() => expect(status).toHaveTextContent('249 of 250 matching selected'));
    // The count walked the whole list with the cursor, in summary pages of 100.
    const countRequests = api.listRequests.slice(1);
    expect(countRequests).toHaveLength(3);
    expect(countRequests.map((p) => p.has('after'))).toEqual([false, true, true]);
    expect(countRequests.every((p) => p.get('per_page') === '100' && p.get('view') === 'summary')).toBe(true);

    // Ticking it again: all of them.
    await user.click(rowBox(id(5)));
    expect(status).toHaveTextContent('All 250 matching selected');
  });

  it('says "Select all N matching" when every matching row is loaded', async () => {
    const { user } = renderBulk(makeContexts(7));
    await user.click(await screen.findByRole('checkbox', { name: `Select ${id(1)}` }));
    await user.click(within(selectionGroup()).getByRole('button', { name: 'Select all 7 matching' }));
    await waitFor(() => expect(within(selectionGroup()).getByRole('status')).toHaveTextContent('All 7 matching selected'));
  });

  it('uses the current filters for the count', async () => {
    const contexts = makeContexts(30);
    const { api, user } = renderBulk(contexts, { route: '/contexts?agent_id=agent_2' });
    const matching = contexts.filter((c) => c.agent_id === 'agent_2');
    const first = matching[0]?.id ?? '';
    await user.click(await screen.findByRole('checkbox', { name: `Select ${first}` }));
    await user.click(within(selectionGroup()).getByRole('button', { name: `Select all ${matching.length} matching` }));
    await waitFor(() =>
      expect(within(selectionGroup()).getByRole('status')).toHaveTextContent(`All ${matching.length} matching selected`),
    );
    expect(api.listRequests.every((p) => p.get('agent_id') === 'agent_2')).toBe(true);
  });
});

describe('selection lifetime', () => {
  it('survives scrolling away and back (it is not row state)', async () => {
    const { user } = renderBulk(makeContexts(150));
    await user.click(await screen.findByRole('checkbox', { name: `Select ${id(5)}` }));
    // Focus in a row makes it the table's active row, which stays rendered: move it away.
    await user.click(rowBox(id(1)));
    await user.click(rowBox(id(1)));
    const scroller = table().parentElement as HTMLElement;
    const scrollTo = (top: number) =>
      act(async () => {
        scroller.scrollTop = top;
        fireEvent.scroll(scroller);
      });
    await scrollTo(80 * 40);
    await waitFor(() => expect(screen.queryByRole('checkbox', { name: `Select ${id(5)}` })).not.toBeInTheDocument());
    await scrollTo(0);
    expect(await screen.findByRole('checkbox', { name: `Select ${id(5)}` })).toBeChecked();
    expect(within(selectionGroup()).getByRole('status')).toHaveTextContent('1 selected');
  });

  it('is cleared by a filter change, with a visible notice', async () => {
    const contexts = makeContexts(20);
    const { user } = renderBulk(contexts, { route: '/contexts?agent_id=agent_2' });
    const first = contexts.find((c) => c.agent_id === 'agent_2')?.id ?? '';
    await user.click(await screen.findByRole('checkbox', { name: `Select ${first}` }));
    await user.click(screen.getByRole('button', { name: 'Remove filter agent: agent_2' }));
    expect(await screen.findByText('Selection cleared: the filters changed.')).toBeInTheDocument();
    expect(await screen.findByRole('checkbox', { name: `Select ${first}` })).not.toBeChecked();
    expect(screen.queryByRole('group', { name: 'Selection' })).not.toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: 'Dismiss the notice' }));
    expect(screen.queryByText('Selection cleared: the filters changed.')).not.toBeInTheDocument();
  });

  it('is kept when the drawer opens and closes (the filters did not change)', async () => {
    const { user } = renderBulk(makeContexts(5));
    await user.click(await screen.findByRole('checkbox', { name: `Select ${id(2)}` }));
    await user.click(screen.getByText(id(4)));
    expect(await screen.findByRole('dialog', { name: id(4) })).toBeInTheDocument();
    await user.keyboard('{Escape}');
    await waitFor(() => expect(screen.queryByRole('dialog')).not.toBeInTheDocument());
    expect(rowBox(id(2))).toBeChecked();
    expect(screen.queryByText('Selection cleared: the filters changed.')).not.toBeInTheDocument();
  });
});

describe('roles', () => {
  it.each(['viewer', 'editor'] as const)('%s: sees no selection and no delete action, in the table or the drawer', async (role) => {
    const { user } = renderBulk(makeContexts(5), { role });
    expect(await screen.findByText(id(1))).toBeInTheDocument();
    expect(within(table()).queryAllByRole('checkbox')).toHaveLength(0);
    expect(screen.queryByRole('button', { name: /Delete/ })).not.toBeInTheDocument();
    await user.click(screen.getByText(id(2)));
    const drawer = await screen.findByRole('dialog', { name: id(2) });
    await within(drawer).findByText('Execution context');
    expect(within(drawer).queryByRole('button', { name: 'Delete' })).not.toBeInTheDocument();
  });

  it('an admin sees the drawer\'s Delete', async () => {
    const { user } = renderBulk(makeContexts(3));
    await user.click(await screen.findByText(id(2)));
    const drawer = await screen.findByRole('dialog', { name: id(2) });
    expect(await within(drawer).findByRole('button', { name: 'Delete' })).toBeInTheDocument();
  });
});
