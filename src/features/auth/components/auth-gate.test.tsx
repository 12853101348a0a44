import { screen, waitFor } from '@testing-library/react';
import { http, HttpResponse } from 'msw';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { useQuery } from '@tanstack/react-query';
import { apiData } from '@/lib/api-client';
import { apiError, emptyContextsHandlers, renderApp, renderWithProviders, server, testSession } from '@/testing';
import { sessionKeys } from '../api/get-session';
import { AuthGate } from './auth-gate';

describe('AuthGate', () => {
  beforeEach(() => server.use(...emptyContextsHandlers));

  it('shows a spinner while the session loads, then the sign-in page at the same URL', async () => {
    let release: () => void = () => undefined;
    server.use(
      http.get('/api/session', async () => {
        await new Promise<void>((resolve) => (release = resolve));
        return apiError(401, 'unauthorized', 'not signed in');
      }),
    );
    renderApp({ route: '/contexts?agent_id=agent_7' });
    expect(await screen.findByRole('status')).toHaveTextContent('Checking your session');
    release();
    expect(await screen.findByLabelText('API key')).toBeInTheDocument();
    expect(window.location.pathname + window.location.search).toBe('/contexts?agent_id=agent_7');
  });

  it('shows the app straight away when the cookie is still valid (reload)', async () => {
    testSession.role = 'editor';
    renderApp({ route: '/contexts' });
    expect(await screen.findByRole('banner')).toHaveTextContent('Signed in as editor');
  });

  it('offers a retry when the session cannot be checked', async () => {
    let fail = true;
    server.use(
      http.get('/api/session', () =>
        fail ? HttpResponse.error() : HttpResponse.json({ role: 'viewer', rate_limits: { read: null, write: null, delete: null } }),
      ),
    );
    const { user } = renderApp({ route: '/contexts' });
    expect(await screen.findByRole('heading', { name: 'Cannot check your session' })).toBeInTheDocument();
    fail = false;
    await user.click(screen.getByRole('button', { name: 'Retry' }));
    expect(await screen.findByRole('banner')).toHaveTextContent('Signed in as viewer');
  });

  it('drops the session when any query gets a 401, and clears the other caches', async () => {
    server.use(http.get('/api/ai/execution-contexts/ctx_gone', () => apiError(401, 'unauthorized', 'session expired')));
    function Probe() {
      useQuery({ queryKey: ['probe'], queryFn: () => apiData('/ai/execution-contexts/ctx_gone') });
      return <p>protected content</p>;
    }
    const onSessionExpired = vi.fn();
    const { queryClient } = renderWithProviders(
      <AuthGate>
        <Probe />
      </AuthGate>,
      { role: 'admin', route: '/contexts', onSessionExpired },
    );
    queryClient.setQueryData(['contexts', 'list', {}], { pages: [] });
    expect(screen.getByText('protected content')).toBeInTheDocument();
    expect(await screen.findByLabelText('API key')).toBeInTheDocument();
    expect(screen.queryByText('protected content')).not.toBeInTheDocument();
    expect(onSessionExpired).toHaveBeenCalledTimes(1);
    await waitFor(() =>
      expect(queryClient.getQueryCache().getAll().map((q) => q.queryKey)).toEqual([sessionKeys.current()]),
    );
  });
});
