/**
 * From "Delete…" to the report: the confirmation (counts, first ids, in use, typed number,
 * JSON backup, all-matching resolved first), the progress bar, the header indicator and
 * background running, cancel, the report with copyable ids and "Retry failed", the cache
 * (rows vanish without a refetch) and the drawer's single delete.
 */
import { act, screen, waitFor, within } from '@testing-library/react';
import type { UserEvent } from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { parseJsonText, stringifyJson, type JsonValue } from '@contract/json/lossless-json';
import type { ExecutionContext } from '@contract/types';
import { contextFromJson } from '@/lib/context-json';
import { contextKeys } from '@/features/contexts/api/keys';
import { deletionConsequence } from '../lib/wording';
import { contextId, makeContexts } from '@/testing';
import {
  confirmDialog,
  installBulkDeleteTestHooks,
  renderBulk,
  rowBox,
  rowIds,
  selectionGroup,
  table,
} from '../testing/setup';

installBulkDeleteTestHooks();

const id = contextId;
const idle = (n: number, overrides: Partial<ExecutionContext> = {}) => makeContexts(n, { status: 'idle', ...overrides });

async function selectAllLoaded(user: UserEvent) {
  await user.click(await within(table()).findByRole('checkbox', { name: 'Select all loaded rows' }));
}

async function openConfirmation(user: UserEvent) {
  await user.click(within(selectionGroup()).getByRole('button', { name: 'Delete…' }));
  return confirmDialog();
}

const progressDialog = () => screen.getByRole('dialog', { name: /Deleting|deleted|Delete cancelled|Stopping/ });
const bar = () => within(progressDialog()).getByRole('progressbar', { name: 'Delete progress' });

/** Twelve contexts, the 3rd running (in use). */
function twelveWithOneRunning() {
  const contexts = idle(12);
  (contexts[2] as ExecutionContext).status = 'running';
  return contexts;
}

describe('the confirmation', () => {
  it('says how many, shows the first ids, counts the ones in use, and what deleting means with the retention in force', async () => {
    const { user } = renderBulk(twelveWithOneRunning());
    await selectAllLoaded(user);
    const dialog = await openConfirmation(user);
    expect(within(dialog).getByRole('heading', { name: 'Delete 12 contexts?' })).toBeInTheDocument();
    // The fake session reports DELETED_RETENTION_DAYS=7 (0 would say it is permanent: wording.test.ts).
    expect(dialog).toHaveAccessibleDescription(deletionConsequence(7));
    expect(dialog).toHaveTextContent('11 of 12 contexts will be deleted.');
    expect(dialog).toHaveTextContent('1 is in use (running or waiting for input): the server will refuse to delete it, and it stays.');
    const list = within(dialog).getByRole('list', { name: 'First 10 of 12' });
    expect(within(list).getAllByRole('listitem').map((li) => li.querySelector('code')?.textContent)).toEqual(
      Array.from({ length: 10 }, (_, i) => id(i + 1)),
    );
    expect(within(list).getAllByRole('listitem')[2]).toHaveTextContent('Running');
    expect(dialog).toHaveTextContent('and 2 more');
    // Under 50: no typed confirmation; Cancel has the focus (a stray Enter never deletes).
    expect(within(dialog).queryByRole('textbox')).not.toBeInTheDocument();
    expect(within(dialog).getByRole('button', { name: 'Cancel' })).toHaveFocus();
    expect(within(dialog).getByRole('button', { name: 'Delete 12 contexts' })).toBeEnabled();
    // Cancel deletes nothing and keeps the selection.
    await user.click(within(dialog).getByRole('button', { name: 'Cancel' }));
    expect(within(selectionGroup()).getByRole('status')).toHaveTextContent('12 selected');
  });

  it('for 50 or more, the delete button waits for the number to be typed', async () => {
    const { api, user } = renderBulk(idle(60));
    await selectAllLoaded(user);
    const dialog = await openConfirmation(user);
    const confirm = within(dialog).getByRole('button', { name: 'Delete 60 contexts' });
    const typed = within(dialog).getByRole('textbox', { name: 'Type 60 to confirm' });
    expect(confirm).toBeDisabled();
    await user.type(typed, '6');
    expect(confirm).toBeDisabled();
    await user.type(typed, '1');
    expect(confirm).toBeDisabled();
    await user.clear(typed);
    await user.type(typed, '60');
    expect(confirm).toBeEnabled();
    expect(api.deleteRequests).toHaveLength(0);
  });

  it('resolves "all matching" to concrete ids before the delete button is enabled', async () => {
    const { api, user } = renderBulk(idle(130));
    await user.click(await screen.findByRole('checkbox', { name: `Select ${id(1)}` }));
    await user.click(within(selectionGroup()).getByRole('button', { name: 'Select all matching' }));
    await waitFor(() => expect(within(selectionGroup()).getByRole('status')).toHaveTextContent('All 130 matching selected'));
    await user.click(rowBox(id(2))); // excluded
    api.hold('list');
    const dialog = await openConfirmation(user);
    expect(within(dialog).getByRole('heading', { name: 'Delete all matching contexts?' })).toBeInTheDocument();
    expect(within(dialog).getByRole('progressbar', { name: 'Finding the matching contexts' })).not.toHaveAttribute('aria-valuenow');
    expect(within(dialog).getByRole('button', { name: 'Delete' })).toBeDisabled();
    api.release('list');
    expect(await within(dialog).findByRole('heading', { name: 'Delete 129 contexts?' })).toBeInTheDocument();
    expect(within(dialog).getByRole('list', { name: 'First 10 of 129' })).not.toHaveTextContent(id(2));
    await user.type(within(dialog).getByRole('textbox', { name: 'Type 129 to confirm' }), '129');
    await user.click(within(dialog).getByRole('button', { name: 'Delete 129 contexts' }));
    await waitFor(() => expect(bar()).toHaveAttribute('aria-valuenow', '129'));
    // Exactly the resolved ids: everything but the excluded one.
    expect(new Set(api.deleteRequests).size).toBe(129);
    expect(api.deleteRequests).not.toContain(id(2));
    expect(api.ids()).toEqual([id(2)]);
    // 129 deletes, each re-rendering the table in jsdom: slow here, not in a browser.
  }, 60_000);

  it('downloads the selected contexts as JSON, in full, through list pages', async () => {
    const saved: Blob[] = [];
    const createObjectURL = vi.fn((blob: Blob) => {
      saved.push(blob);
      return 'blob:backup';
    });
    vi.stubGlobal('URL', Object.assign(URL, { createObjectURL, revokeObjectURL: vi.fn() }));
    const click = vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(() => {});
    try {
      const contexts = idle(30);
      const { api, user } = renderBulk(contexts);
      await selectAllLoaded(user);
      const dialog = await openConfirmation(user);
      const before = api.listRequests.length;
      await user.click(within(dialog).getByRole('button', { name: 'Download as JSON' }));
      await waitFor(() => expect(within(dialog).getByText(/^Saved 30 contexts to execution-contexts-.*-30\.json\.$/)).toBeInTheDocument());
      expect(click).toHaveBeenCalledTimes(1);
      // One page with view=full instead of 30 GETs.
      expect(api.listRequests.slice(before).map((p) => p.get('view'))).toEqual(['full']);
      expect(api.getRequests).toEqual([]);
      // The file is the contexts' exact text (lossless writer), read back losslessly.
      const text = await (saved[0] as Blob).text();
      const document = parseJsonText(text).value as Map<string, JsonValue>;
      expect(stringifyJson(document.get('count') ?? null)).toBe('30');
      expect((document.get('contexts') as JsonValue[]).map(contextFromJson)).toEqual(contexts);
      for (const context of contexts) expect(text).toContain(stringifyJson(context.context ?? null, 2).replace(/\n/g, '\n      '));
      expect(api.deleteRequests).toEqual([]);
    } finally {
      click.mockRestore();
      vi.unstubAllGlobals();
    }
  });
});

describe('the running delete', () => {
  it('shows a real progress bar with counts, and the report with copyable ids', async () => {
    const { api, user } = renderBulk(twelveWithOneRunning());
    await selectAllLoaded(user);
    const dialog = await openConfirmation(user);
    api.hold('delete');
    await user.click(within(dialog).getByRole('button', { name: 'Delete 12 contexts' }));

    expect(await screen.findByRole('dialog', { name: 'Deleting 12 contexts' })).toBeInTheDocument();
    expect(bar()).toHaveAttribute('aria-valuemax', '12');
    expect(bar()).toHaveAttribute('aria-valuenow', '0');
    expect(bar()).toHaveAttribute('aria-valuetext', '0 of 12 done');
    act(() => api.releaseOne('delete'));
    await waitFor(() => expect(bar()).toHaveAttribute('aria-valuenow', '1'));
    expect(progressDialog()).toHaveTextContent('Remaining11');
    act(() => api.release('delete'));

    const report = await screen.findByRole('dialog', { name: '11 of 12 contexts deleted' });
    expect(bar()).toHaveAttribute('aria-valuenow', '12');
    expect(report).toHaveTextContent('Deleted11');
    expect(report).toHaveTextContent('Refused (in use)1');
    const deleted = within(report).getByRole('region', { name: 'Deleted 11' });
    const inUse = within(report).getByRole('region', { name: 'In use (kept) 1' });
    expect(within(inUse).getByRole('listitem')).toHaveTextContent(id(3));
    expect(within(report).queryByRole('region', { name: /Failed/ })).not.toBeInTheDocument();

    await user.click(within(deleted).getByRole('button', { name: 'Copy the 11 deleted ids' }));
    const expected = Array.from({ length: 12 }, (_, i) => id(i + 1)).filter((x) => x !== id(3));
    expect((await navigator.clipboard.readText()).split('\n').sort()).toEqual(expected.sort());
    await user.click(within(inUse).getByRole('button', { name: 'Copy the 1 in use id' }));
    expect(await navigator.clipboard.readText()).toBe(id(3));

    // The server state: exactly the in-use one is left.
    expect(api.ids()).toEqual([id(3)]);
    // "Done" closes the report; what stays selected is what was not deleted.
    await user.click(within(report).getByRole('button', { name: 'Done' }));
    expect(within(selectionGroup()).getByRole('status')).toHaveTextContent('1 selected');
    expect(rowBox(id(3))).toBeChecked();
  });

  it('removes deleted rows from the loaded pages without refetching the list', async () => {
    const { api, user, queryClient } = renderBulk(idle(150));
    expect(await screen.findByText(id(1))).toBeInTheDocument();
    // The detail of one of them is cached too.
    await user.click(screen.getByText(id(2)));
    await screen.findByRole('dialog', { name: id(2) });
    await user.keyboard('{Escape}');
    await waitFor(() => expect(screen.queryByRole('dialog')).not.toBeInTheDocument());
    expect(queryClient.getQueryData(contextKeys.detail(id(2)))).toBeDefined();

    for (const n of [2, 3, 5]) await user.click(rowBox(id(n)));
    const listRequests = api.listRequests.length;
    const dialog = await openConfirmation(user);
    await user.click(within(dialog).getByRole('button', { name: 'Delete 3 contexts' }));
    const report = await screen.findByRole('dialog', { name: '3 contexts deleted' });
    await user.click(within(report).getByRole('button', { name: 'Done' }));

    expect(api.listRequests.length).toBe(listRequests);
    expect(queryClient.getQueryData(contextKeys.detail(id(2)))).toBeUndefined();
    const shown = rowIds();
    expect(shown.slice(0, 4)).toEqual([id(1), id(4), id(6), id(7)]);
    expect(new Set(shown).size).toBe(shown.length);
    expect(screen.getByText('97 contexts loaded · more below')).toBeInTheDocument();
  });

  it('keeps going with the dialog closed: the header shows progress, reopens it, and leaving asks first', async () => {
    const { api, user } = renderBulk(idle(6));
    await selectAllLoaded(user);
    const dialog = await openConfirmation(user);
    api.hold('delete');
    await user.click(within(dialog).getByRole('button', { name: 'Delete 6 contexts' }));
    await user.click(await screen.findByRole('button', { name: 'Run in background' }));
    await waitFor(() => expect(screen.queryByRole('dialog')).not.toBeInTheDocument());

    const header = screen.getByRole('banner');
    expect(within(header).getByRole('progressbar', { name: 'Background delete progress' })).toHaveAttribute('aria-valuemax', '6');
    const indicator = within(header).getByRole('button', { name: 'Deleting 0 of 6 — show progress' });
    const leaving = new Event('beforeunload', { cancelable: true });
    window.dispatchEvent(leaving);
    expect(leaving.defaultPrevented).toBe(true);

    await user.click(indicator);
    expect(await screen.findByRole('dialog', { name: 'Deleting 6 contexts' })).toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: 'Run in background' }));

    act(() => api.release('delete'));
    expect(await within(header).findByRole('button', { name: 'Delete finished: 6 deleted — view the report' })).toBeInTheDocument();
    const after = new Event('beforeunload', { cancelable: true });
    window.dispatchEvent(after);
    expect(after.defaultPrevented).toBe(false);
    await user.click(within(header).getByRole('button', { name: /view the report/ }));
    expect(await screen.findByRole('dialog', { name: '6 contexts deleted' })).toBeInTheDocument();
  });

  it('Cancel stops further requests at once; the rest is reported as not attempted', async () => {
    const { api, user } = renderBulk(idle(10));
    await selectAllLoaded(user);
    const dialog = await openConfirmation(user);
    api.hold('delete');
    await user.click(within(dialog).getByRole('button', { name: 'Delete 10 contexts' }));
    await screen.findByRole('dialog', { name: 'Deleting 10 contexts' });
    await waitFor(() => expect(api.deleteRequests.length).toBeGreaterThan(0));
    await user.click(screen.getByRole('button', { name: 'Cancel delete' }));
    const sent = api.deleteRequests.length;
    act(() => api.release('delete'));
    const report = await screen.findByRole('dialog', { name: 'Delete cancelled' });
    // Only the requests already in flight went out (the job runs two at a time).
    expect(api.deleteRequests.length).toBe(sent);
    expect(sent).toBeLessThanOrEqual(2);
    expect(within(report).getByRole('region', { name: `Not attempted ${10 - sent}` })).toBeInTheDocument();
    expect(api.ids()).toHaveLength(10 - sent);
  });

  it('"Retry failed" deletes the failed ids again, and only them', async () => {
    const { api, user } = renderBulk(idle(4));
    // An answer retrying cannot change: it fails at once.
    api.deleteAnswers.set(id(2), { status: 400 });
    await selectAllLoaded(user);
    const dialog = await openConfirmation(user);
    await user.click(within(dialog).getByRole('button', { name: 'Delete 4 contexts' }));
    const report = await screen.findByRole('dialog', { name: '3 of 4 contexts deleted' });
    const failed = within(report).getByRole('region', { name: 'Failed 1' });
    expect(failed).toHaveTextContent(`forced 400 for ${id(2)}`);

    api.deleteAnswers.clear();
    api.deleteRequests.length = 0;
    await user.click(within(report).getByRole('button', { name: 'Retry failed (1)' }));
    expect(await screen.findByRole('dialog', { name: '1 context deleted' })).toBeInTheDocument();
    expect(api.deleteRequests).toEqual([id(2)]);
    expect(api.ids()).toEqual([]);
  });
});

describe('single delete from the drawer', () => {
  it('uses the same confirmation, then closes the drawer without fetching the deleted context again', async () => {
    const { api, user } = renderBulk(idle(5));
    await user.click(await screen.findByText(id(3)));
    const drawer = await screen.findByRole('dialog', { name: id(3) });
    await user.click(await within(drawer).findByRole('button', { name: 'Delete' }));
    const dialog = await confirmDialog();
    expect(within(dialog).getByRole('heading', { name: 'Delete 1 context?' })).toBeInTheDocument();
    expect(dialog).toHaveTextContent('1 context will be deleted.');
    expect(within(dialog).getByRole('list', { name: 'Context' })).toHaveTextContent(id(3));
    const gets = api.getRequests.length;
    await user.click(within(dialog).getByRole('button', { name: 'Delete 1 context' }));

    const report = await screen.findByRole('dialog', { name: '1 context deleted' });
    await waitFor(() => expect(screen.queryByRole('dialog', { name: id(3), hidden: true })).not.toBeInTheDocument());
    await user.click(within(report).getByRole('button', { name: 'Done' }));
    expect(window.location.search).not.toContain('context=');
    expect(api.getRequests.length).toBe(gets);
    expect(rowIds()).toEqual([id(1), id(2), id(4), id(5)]);
  });

  it('keeps the drawer open when the context is in use, and reports it', async () => {
    const contexts = idle(3);
    (contexts[1] as ExecutionContext).status = 'waiting_for_input';
    const { api, user } = renderBulk(contexts);
    await user.click(await screen.findByText(id(2)));
    const drawer = await screen.findByRole('dialog', { name: id(2) });
    await user.click(await within(drawer).findByRole('button', { name: 'Delete' }));
    const dialog = await confirmDialog();
    expect(dialog).toHaveTextContent('This context is in use (running or waiting for input): the server will refuse to delete it. Nothing is deleted while it is in use.');
    await user.click(within(dialog).getByRole('button', { name: 'Delete 1 context' }));
    const report = await screen.findByRole('dialog', { name: '0 of 1 context deleted' });
    expect(within(report).getByRole('region', { name: 'In use (kept) 1' })).toHaveTextContent(id(2));
    await user.click(within(report).getByRole('button', { name: 'Done' }));
    expect(screen.getByRole('dialog', { name: id(2) })).toBeInTheDocument();
    expect(api.ids()).toHaveLength(3);
  });
});

afterEach(() => {
  vi.restoreAllMocks();
});
