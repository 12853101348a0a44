/**
 * The drawer's History tab: timeline (who, when, action, size), the diff of a version
 * against the current one or its predecessor (exact stored text, pretty-printed), and
 * "Restore this version" through a review and If-Match (412 handled).
 */
import { screen, waitFor, within } from '@testing-library/react';
import { http, HttpResponse } from 'msw';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { VersionEntry } from '@contract/accountability-types';
import { configureRateBudgets } from '@/lib/rate-limits';
import { TEST_RATE_LIMITS, apiError, makeContext, renderWithProviders, resetFactories, server } from '@/testing';
import { HistoryPanel } from './history-panel';

vi.mock('@/features/context-editor/components/json-diff-view', () => import('@/features/context-editor/testing/json-diff-view-stand-in'));

const ID = 'ctx_history_1';
const actor = (name: string, role: VersionEntry['actor']['role']) => ({ key_id: `key_${name}`, name, role });
const VERSIONS: Array<VersionEntry & { text: string; session_id: string | null }> = [
  { version: 3, action: 'update', at: '2026-11-22T10:02:00.000Z', actor: actor('alice', 'editor'), context_size: 30, text: '{"step":3,"id":750727362669608961}', session_id: 's' },
  { version: 2, action: 'update', at: '2026-11-22T10:01:00.000Z', actor: actor('bob', 'editor'), context_size: 30, text: '{"step":2,"id":750727362669608961}', session_id: 's' },
  { version: 1, action: 'create', at: '2026-11-22T10:00:00.000Z', actor: actor('agent fleet', 'admin'), context_size: 30, text: '{"step":1.0,"id":750727362669608961}', session_id: null },
];

function fakeHistoryApi({ restoreStatus = 200 }: { restoreStatus?: number } = {}) {
  const calls: Array<{ url: string; ifMatch: string | null }> = [];
  server.use(
    http.get(`/api/ai/execution-contexts/${ID}/versions`, () =>
      HttpResponse.json({ data: VERSIONS.map(({ text: _t, session_id: _s, ...entry }) => entry), has_more: false, next_cursor: null }),
    ),
    http.get(`/api/ai/execution-contexts/${ID}/versions/:version`, ({ params }) => {
      const found = VERSIONS.find((v) => v.version === Number(params.version));
      if (!found) return apiError(404, 'not_found', 'no such version');
      const { text, ...meta } = found;
      // As the server writes it: metadata, then the stored text spliced in last.
      const head = JSON.stringify({ ...meta, context_id: ID }); // fidelity-ok: version metadata, no context
      return new HttpResponse(`${head.slice(0, -1)},"context":${text}}`, { headers: { 'Content-Type': 'application/json' } });
    }),
    http.post(`/api/ai/execution-contexts/${ID}/versions/:version/restore`, ({ request, params }) => {
      calls.push({ url: `restore ${String(params.version)}`, ifMatch: request.headers.get('If-Match') });
      if (restoreStatus === 412) return apiError(412, 'precondition_failed', 'changed meanwhile');
      return HttpResponse.json({ ...makeContext({ id: ID }), context: { step: 1 } }, { headers: { ETag: '"v4"' } });
    }),
  );
  return calls;
}

beforeEach(() => {
  resetFactories();
  configureRateBudgets(TEST_RATE_LIMITS);
});

const render = (role: 'viewer' | 'editor' = 'editor') =>
  renderWithProviders(<HistoryPanel context={makeContext({ id: ID })} etag={'"v3"'} />, { role });

describe('History tab', () => {
  it('shows the versions as a timeline: who, what, when, size; the current one marked', async () => {
    fakeHistoryApi();
    render();
    const list = await screen.findByRole('list', { name: 'Versions' });
    const items = within(list).getAllByRole('listitem');
    expect(items.map((item) => item.textContent)).toEqual([
      expect.stringMatching(/^v3 Updated by alice editor · .* · 30 B current/),
      expect.stringMatching(/^v2 Updated by bob editor/),
      expect.stringMatching(/^v1 Created by agent fleet admin/),
    ]);
  });

  it('diffs a version against the current one and against its predecessor, exactly as stored', async () => {
    fakeHistoryApi();
    const { user } = render();
    await user.click(await screen.findByRole('button', { name: 'Show changes of version 1' }));
    const diff = await screen.findByRole('group', { name: 'Diff' });
    await waitFor(() => expect(within(diff).getByLabelText('Version 1')).toHaveTextContent('"step": 1.0'));
    expect(within(diff).getByLabelText('Version 1')).toHaveTextContent('750727362669608961');
    expect(within(diff).getByLabelText('Version 3 (current)')).toHaveTextContent('"step": 3');

    await user.click(screen.getByRole('button', { name: 'Show changes of version 2' }));
    await user.click(screen.getByRole('radio', { name: 'Previous version' }));
    await waitFor(() => expect(within(screen.getByRole('group', { name: 'Diff' })).getByLabelText('Version 1')).toBeInTheDocument());
    expect(within(screen.getByRole('group', { name: 'Diff' })).getByLabelText('Version 2')).toHaveTextContent('"step": 2');
  });

  it('restores a version after a review, with If-Match of the version on screen', async () => {
    const calls = fakeHistoryApi();
    const { user } = render();
    await user.click(await screen.findByRole('button', { name: 'Restore this version (1)' }));
    const dialog = await screen.findByRole('dialog', { name: 'Restore version 1?' });
    await waitFor(() => expect(within(dialog).getByLabelText('Version 1')).toHaveTextContent('1.0'));
    expect(calls).toEqual([]);
    await user.click(within(dialog).getByRole('button', { name: 'Restore version 1' }));
    await waitFor(() => expect(calls).toEqual([{ url: 'restore 1', ifMatch: '"v3"' }]));
    await waitFor(() => expect(screen.queryByRole('dialog')).not.toBeInTheDocument());
    expect(await screen.findByText('Version 1 restored')).toBeInTheDocument();
  });

  it('says so when someone saved meanwhile (412)', async () => {
    fakeHistoryApi({ restoreStatus: 412 });
    const { user } = render();
    await user.click(await screen.findByRole('button', { name: 'Restore this version (2)' }));
    const dialog = await screen.findByRole('dialog', { name: 'Restore version 2?' });
    await user.click(within(dialog).getByRole('button', { name: 'Restore version 2' }));
    expect(await screen.findByText('The context changed meanwhile')).toBeInTheDocument();
  });

  it('lets viewers read the history but not restore', async () => {
    fakeHistoryApi();
    render('viewer');
    await screen.findByRole('list', { name: 'Versions' });
    expect(screen.queryByRole('button', { name: /Restore this version/ })).not.toBeInTheDocument();
  });
});
