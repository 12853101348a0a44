/**
 * The bulk-delete report's Undo and the Recently deleted page: restores go through the
 * restore endpoint one at a time (write budget), with progress and a per-id report.
 */
import { screen, waitFor, within } from '@testing-library/react';
import { http, HttpResponse } from 'msw';
import { beforeEach, describe, expect, it } from 'vitest';
import type { DeletedContext } from '@contract/accountability-types';
import { configureRateBudgets } from '@/lib/rate-limits';
import { TEST_RATE_LIMITS, apiError, makeContext, renderApp, renderWithProviders, resetFactories, server } from '@/testing';
import { UndoDelete } from './undo-delete';

function fakeDeletedApi(ids: string[], { exists = [] as string[], gone = [] as string[] } = {}) {
  const deleted = new Map(ids.map((id) => [id, id]));
  const restored: string[] = [];
  const erased: string[] = [];
  let inFlight = 0;
  let maxInFlight = 0;
  const row = (id: string): DeletedContext => ({
    id,
    agent_id: 'agent_1',
    workflow_id: null,
    session_id: null,
    status: 'idle',
    created_at: '2026-11-20T10:00:00.000Z',
    updated_at: '2026-11-20T10:00:00.000Z',
    deleted_at: '2026-11-22T10:00:00.000Z',
    deleted_by: { key_id: 'key_admin', name: 'test admin', role: 'admin' },
    delete_job: id.endsWith('1') || id.endsWith('2') ? 'job_a' : null,
    restorable_until: '2026-11-29T10:00:00.000Z',
    context_size: 2,
    context_preview: '{}',
  });
  server.use(
    http.get('/api/ai/deleted-execution-contexts', ({ request }) => {
      const job = new URL(request.url).searchParams.get('delete_job');
      const data = [...deleted.keys()].map(row).filter((r) => job === null || r.delete_job === job);
      return HttpResponse.json({ data, has_more: false, next_cursor: null });
    }),
    http.post('/api/ai/deleted-execution-contexts/:id/restore', async ({ params }) => {
      const id = String(params.id);
      inFlight += 1;
      maxInFlight = Math.max(maxInFlight, inFlight);
      await new Promise((resolve) => setTimeout(resolve, 5));
      inFlight -= 1;
      if (exists.includes(id)) return apiError(409, 'conflict', 'exists again');
      if (gone.includes(id) || !deleted.has(id)) return apiError(404, 'not_found', 'pruned');
      deleted.delete(id);
      restored.push(id);
      return HttpResponse.json(makeContext({ id }), { status: 201, headers: { ETag: '"v3"' } });
    }),
    http.delete('/api/ai/deleted-execution-contexts/:id', ({ params }) => {
      erased.push(String(params.id));
      deleted.delete(String(params.id));
      return new HttpResponse(null, { status: 204 });
    }),
  );
  return { restored, erased, maxInFlight: () => maxInFlight };
}

beforeEach(() => {
  resetFactories();
  configureRateBudgets(TEST_RATE_LIMITS);
});

describe('Undo in the bulk-delete report', () => {
  it('restores every deleted id one at a time and reports each outcome', async () => {
    const ids = Array.from({ length: 12 }, (_, i) => `ctx_${String(i + 1).padStart(2, '0')}`);
    const api = fakeDeletedApi(ids, { exists: ['ctx_03'], gone: ['ctx_04'] });
    const { user } = renderWithProviders(<UndoDelete ids={ids} />, { role: 'admin' });
    await user.click(screen.getByRole('button', { name: 'Undo: restore the 12 deleted contexts' }));
    const undo = await screen.findByRole('region', { name: 'Undo' });
    await waitFor(() => expect(within(undo).getByRole('status')).toHaveTextContent('Restored 10 of 12'), { timeout: 5000 });
    expect(api.restored).toHaveLength(10);
    expect(api.maxInFlight()).toBe(1);
    expect(within(screen.getByRole('region', { name: 'Already exist again (not restored)' })).getByText('ctx_03')).toBeInTheDocument();
    expect(within(screen.getByRole('region', { name: 'No longer restorable (erased or pruned)' })).getByText('ctx_04')).toBeInTheDocument();
    expect(screen.getByRole('progressbar', { name: 'Restore progress' })).toHaveAttribute('value', '12');
  });

  it('is not offered to editors', () => {
    renderWithProviders(<UndoDelete ids={['ctx_1']} />, { role: 'editor' });
    expect(screen.queryByRole('button', { name: /Undo/ })).not.toBeInTheDocument();
  });
});

describe('Recently deleted page', () => {
  it('lists, restores one, restores a whole job and erases the selected after a confirmation', async () => {
    const api = fakeDeletedApi(['ctx_1', 'ctx_2', 'ctx_3', 'ctx_4']);
    const { user } = renderApp({ route: '/deleted', role: 'admin' });
    const table = await screen.findByRole('table', { name: 'Recently deleted contexts' }, { timeout: 10_000 });
    expect(within(table).getAllByRole('rowheader').map((cell) => cell.textContent)).toEqual(['ctx_1', 'ctx_2', 'ctx_3', 'ctx_4']);

    await user.click(within(table).getByRole('button', { name: 'Restore ctx_3' }));
    await waitFor(() => expect(api.restored).toEqual(['ctx_3']));
    await user.click(within(await screen.findByRole('dialog', { name: 'Restore finished' })).getByRole('button', { name: 'Close' }));

    // The job filter lives in the URL; "Restore all of this job" restores both of its ids.
    await user.click(within(screen.getByRole('table', { name: 'Recently deleted contexts' })).getAllByRole('button', { name: 'Show its job' })[0]!);
    await waitFor(() => expect(window.location.search).toBe('?delete_job=job_a'));
    await user.click(await screen.findByRole('button', { name: 'Restore all of this job' }));
    await waitFor(() => expect(api.restored).toEqual(['ctx_3', 'ctx_1', 'ctx_2']));
    await user.click(within(await screen.findByRole('dialog', { name: 'Restore finished' })).getByRole('button', { name: 'Close' }));

    window.history.replaceState(null, '', '/deleted');
    await user.click(screen.getByRole('button', { name: 'Apply filters' }));
    await user.click(await screen.findByRole('checkbox', { name: 'Select ctx_4' }));
    await user.click(screen.getByRole('button', { name: 'Delete permanently (1)' }));
    const confirm = await screen.findByRole('alertdialog', { name: 'Erase 1 context for good?' });
    expect(api.erased).toEqual([]);
    await user.click(within(confirm).getByRole('button', { name: 'Erase for good' }));
    await waitFor(() => expect(api.erased).toEqual(['ctx_4']));
  });
});
