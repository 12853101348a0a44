import { act, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it, beforeEach } from 'vitest';
import { sessionKeys } from '@/features/auth';
import { emptyContextsHandlers, renderApp, server, setSystemDark, testSession } from '@/testing';
import { THEME_STORAGE_KEY } from './theme-preference';

describe('App frame', () => {
  beforeEach(() => server.use(...emptyContextsHandlers));

  it('shows the product, navigation, role and a main landmark', async () => {
    renderApp({ route: '/contexts', role: 'admin' });
    const header = screen.getByRole('banner');
    expect(within(header).getByRole('link', { name: 'Execution Context Console' })).toHaveAttribute('href', '/contexts');
    const nav = within(header).getByRole('navigation', { name: 'Main' });
    expect(within(nav).getByRole('link', { name: 'Contexts' })).toHaveAttribute('aria-current', 'page');
    expect(header).toHaveTextContent('Signed in as admin');
    expect(within(header).getByRole('button', { name: 'Sign out' })).toBeInTheDocument();
    expect(screen.getAllByRole('main')[0]).toHaveAttribute('id', 'main');
  });

  it('redirects / to /contexts', async () => {
    renderApp({ route: '/', role: 'viewer' });
    await waitFor(() => expect(window.location.pathname).toBe('/contexts'));
  });

  it('keeps the query string when redirecting: /?context=<id> opens that context', async () => {
    renderApp({ route: '/?context=ctx_link&status=failed', role: 'viewer' });
    await waitFor(() => expect(window.location.pathname).toBe('/contexts'));
    expect(window.location.search).toBe('?context=ctx_link&status=failed');
    expect(await screen.findByRole('dialog', { name: 'ctx_link' })).toBeInTheDocument();
  });

  it('shows a 404 page for unknown paths, inside the frame', async () => {
    const { user } = renderApp({ route: '/nope', role: 'viewer' });
    expect(screen.getByRole('heading', { level: 1, name: 'Page not found' })).toBeInTheDocument();
    await user.click(screen.getByRole('link', { name: 'Go to contexts' }));
    expect(window.location.pathname).toBe('/contexts');
  });

  it('signs out back to the sign-in page and clears every cached query', async () => {
    const { user, queryClient } = renderApp({ route: '/contexts?status=failed', role: 'editor' });
    queryClient.setQueryData(['contexts', 'detail', 'ctx_1'], { id: 'ctx_1' });
    queryClient.setQueryData(['contexts', 'list', { status: ['failed'] }], { pages: [], pageParams: [] });

    await user.click(screen.getByRole('button', { name: 'Sign out' }));

    expect(await screen.findByLabelText('API key')).toBeInTheDocument();
    expect(screen.queryByRole('banner')).not.toBeInTheDocument();
    expect(testSession.role).toBeNull();
    expect(window.location.pathname + window.location.search).toBe('/contexts?status=failed');
    const keys = queryClient.getQueryCache().getAll().map((query) => query.queryKey);
    expect(keys).toEqual([sessionKeys.current()]);
    expect(queryClient.getQueryData(sessionKeys.current())).toBeNull();
  });

  it('cycles the theme system → light → dark, sets data-theme and remembers it', async () => {
    setSystemDark(false);
    const { user, unmount } = renderApp({ route: '/contexts', role: 'viewer' });
    const root = document.documentElement;
    expect(root.dataset.theme).toBe('light');

    await user.click(screen.getByRole('button', { name: 'Theme: system' }));
    expect(screen.getByRole('button', { name: 'Theme: light' })).toBeInTheDocument();
    expect(root.dataset.theme).toBe('light');
    expect(window.localStorage.getItem(THEME_STORAGE_KEY)).toBe('light');

    await user.click(screen.getByRole('button', { name: 'Theme: light' }));
    expect(root.dataset.theme).toBe('dark');
    expect(root.style.colorScheme).toBe('dark');
    expect(window.localStorage.getItem(THEME_STORAGE_KEY)).toBe('dark');

    // A new page load starts from the stored choice.
    unmount();
    renderApp({ route: '/contexts', role: 'viewer' });
    expect(screen.getByRole('button', { name: 'Theme: dark' })).toBeInTheDocument();
    expect(root.dataset.theme).toBe('dark');

    await user.click(screen.getByRole('button', { name: 'Theme: dark' }));
    expect(window.localStorage.getItem(THEME_STORAGE_KEY)).toBeNull();
  });

  it('follows the OS theme live while on "system"', async () => {
    setSystemDark(false);
    renderApp({ route: '/contexts', role: 'viewer' });
    expect(document.documentElement.dataset.theme).toBe('light');
    act(() => setSystemDark(true));
    expect(document.documentElement.dataset.theme).toBe('dark');
    act(() => setSystemDark(false));
  });
});
