/**
 * The API keys page: lists keys with origin (never a secret), creates a key and shows it
 * once with a copy button, revokes after a confirmation; admins only.
 */
import { screen, waitFor, within } from '@testing-library/react';
import { http, HttpResponse } from 'msw';
import { describe, expect, it } from 'vitest';
import type { ApiKeyInfo } from '@contract/accountability-types';
import { apiError, renderApp, server } from '@/testing';

function fakeKeysApi(initial: ApiKeyInfo[]) {
  const keys = [...initial];
  const calls: string[] = [];
  server.use(
    http.get('/api/keys', () => HttpResponse.json({ data: keys })),
    http.post('/api/keys', async ({ request }) => {
      const body = (await request.json()) as { name: string; role: ApiKeyInfo['role'] };
      calls.push(`POST ${body.name} ${body.role}`);
      const created: ApiKeyInfo = {
        id: `key_${keys.length + 1}`,
        name: body.name,
        role: body.role,
        origin: 'api',
        created_at: new Date().toISOString(),
        last_used_at: null,
        created_by: 'key_admin',
      };
      keys.push(created);
      return HttpResponse.json({ ...created, key: 'ecc_editor_SECRET-SHOWN-ONCE' }, { status: 201 });
    }),
    http.delete('/api/keys/:id', ({ params }) => {
      calls.push(`DELETE ${String(params.id)}`);
      if (params.id === 'key_admin') return apiError(409, 'conflict', 'this is the last admin key');
      const index = keys.findIndex((key) => key.id === params.id);
      if (index < 0) return apiError(404, 'not_found', 'no such key');
      keys.splice(index, 1);
      return new HttpResponse(null, { status: 204 });
    }),
  );
  return { keys, calls };
}

const base = (overrides: Partial<ApiKeyInfo>): ApiKeyInfo => ({
  id: 'key_x',
  name: 'x',
  role: 'viewer',
  origin: 'api',
  created_at: '2026-11-01T10:00:00.000Z',
  last_used_at: null,
  created_by: null,
  ...overrides,
});

const KEYS = [
  base({ id: 'key_admin', name: 'admin (environment)', role: 'admin', origin: 'env' }),
  base({ id: 'key_file', name: 'viewer (key file)', role: 'viewer', origin: 'file', last_used_at: '2026-11-02T10:00:00.000Z' }),
  base({ id: 'key_alice', name: 'alice', role: 'editor', created_by: 'key_admin' }),
];

describe('API keys page', () => {
  it('lists the keys with role and origin, and marks the signed-in one', async () => {
    fakeKeysApi(KEYS);
    renderApp({ route: '/keys', role: 'admin' });
    // The page is a lazy chunk: its first load in a test run takes a moment.
    const table = await screen.findByRole('table', { name: 'Active API keys' }, { timeout: 10_000 });
    const rows = within(table).getAllByRole('row').slice(1);
    expect(rows.map((row) => within(row).getByRole('rowheader').textContent)).toEqual([
      'admin (environment) you',
      'viewer (key file)',
      'alice',
    ]);
    expect(within(rows[0]!).getByText('Environment')).toBeInTheDocument();
    expect(within(rows[1]!).getByText('Key file')).toBeInTheDocument();
    expect(within(rows[2]!).getByText('Created here')).toBeInTheDocument();
    // The header says who is signed in by name.
    expect(screen.getByRole('banner')).toHaveTextContent('Signed in as admin — test admin');
    expect(screen.getByRole('link', { name: 'API keys' })).toHaveAttribute('aria-current', 'page');
  });

  it('creates a key and shows it once, with a copy button', async () => {
    const api = fakeKeysApi(KEYS);
    const { user } = renderApp({ route: '/keys', role: 'admin' });
    await screen.findByRole('table', { name: 'Active API keys' });
    await user.click(screen.getByRole('button', { name: 'Create key' }));
    const dialog = await screen.findByRole('dialog', { name: 'Create an API key' });
    await user.type(within(dialog).getByRole('textbox', { name: 'Name' }), 'agent fleet eu-1');
    await user.selectOptions(within(dialog).getByRole('combobox', { name: 'Role' }), 'viewer');
    await user.click(within(dialog).getByRole('button', { name: 'Create key' }));
    const shown = await screen.findByRole('dialog', { name: 'Key “agent fleet eu-1” created' });
    expect(within(shown).getByRole('textbox', { name: 'New API key' })).toHaveValue('ecc_editor_SECRET-SHOWN-ONCE');
    expect(within(shown).getByRole('button', { name: 'Copy the new key' })).toBeInTheDocument();
    expect(api.calls).toEqual(['POST agent fleet eu-1 viewer']);
    await user.click(within(shown).getByRole('button', { name: 'Done' }));
    // The list has the new key; the secret is nowhere on the page any more.
    const table = screen.getByRole('table', { name: 'Active API keys' });
    expect(within(table).getByRole('rowheader', { name: /agent fleet eu-1/ })).toBeInTheDocument();
    expect(screen.queryByDisplayValue('ecc_editor_SECRET-SHOWN-ONCE')).not.toBeInTheDocument();
  });

  it('revokes a key after a confirmation', async () => {
    const api = fakeKeysApi(KEYS);
    const { user } = renderApp({ route: '/keys', role: 'admin' });
    await screen.findByRole('table', { name: 'Active API keys' });
    await user.click(screen.getByRole('button', { name: 'Revoke alice' }));
    const confirm = await screen.findByRole('alertdialog', { name: 'Revoke “alice”?' });
    expect(api.calls).toEqual([]);
    await user.click(within(confirm).getByRole('button', { name: 'Revoke key' }));
    await waitFor(() => expect(screen.queryByRole('rowheader', { name: /alice/ })).not.toBeInTheDocument());
    expect(api.calls).toEqual(['DELETE key_alice']);
  });

  it('says why revoking the last admin key failed', async () => {
    fakeKeysApi(KEYS);
    const { user } = renderApp({ route: '/keys', role: 'admin' });
    await screen.findByRole('table', { name: 'Active API keys' });
    await user.click(screen.getByRole('button', { name: 'Revoke admin (environment)' }));
    const confirm = await screen.findByRole('alertdialog');
    await user.click(within(confirm).getByRole('button', { name: 'Revoke key' }));
    expect(await screen.findByText('this is the last admin key')).toBeInTheDocument();
    // The confirmation stays open after a failure; cancelling it keeps the key listed.
    await user.click(within(confirm).getByRole('button', { name: 'Cancel' }));
    expect(screen.getByRole('rowheader', { name: /admin \(environment\)/ })).toBeInTheDocument();
  });

  it('is for admins only', async () => {
    renderApp({ route: '/keys', role: 'editor' });
    expect(await screen.findByRole('heading', { name: 'API keys' })).toBeInTheDocument();
    expect(screen.getByText(/Only admins can open this page/)).toBeInTheDocument();
    expect(screen.queryByRole('link', { name: 'API keys' })).not.toBeInTheDocument();
  });
});
