import { screen, waitFor, within } from '@testing-library/react';
import { http } from 'msw';
import { beforeEach, describe, expect, it } from 'vitest';
import { apiError, emptyContextsHandlers, renderApp, server, TEST_KEYS, testSession } from '@/testing';

describe('SignInPage', () => {
  beforeEach(() => server.use(...emptyContextsHandlers));

  it('signs in with a valid key and shows the frame with the role', async () => {
    const { user } = renderApp({ route: '/contexts' });
    const input = await screen.findByLabelText('API key');
    expect(input).toHaveAttribute('type', 'password');
    expect(input).toHaveAttribute('autocomplete', 'off');
    expect(screen.getByRole('heading', { level: 1, name: 'Execution Context Console' })).toBeInTheDocument();

    await user.type(input, TEST_KEYS.viewer);
    await user.click(screen.getByRole('button', { name: 'Sign in' }));

    const header = await screen.findByRole('banner');
    expect(within(header).getByText('Execution Context Console')).toBeInTheDocument();
    expect(header).toHaveTextContent('Signed in as viewer');
    expect(screen.queryByLabelText('API key')).not.toBeInTheDocument();
    expect(testSession.role).toBe('viewer');
    // The key went into the request body only.
    expect(window.location.href).not.toContain(TEST_KEYS.viewer);
    expect(JSON.stringify({ ...window.localStorage })).not.toContain(TEST_KEYS.viewer);
    expect(JSON.stringify({ ...window.sessionStorage })).not.toContain(TEST_KEYS.viewer);
  });

  it('says when the key is wrong, and keeps the form usable', async () => {
    const { user } = renderApp({ route: '/contexts' });
    const input = await screen.findByLabelText('API key');
    await user.type(input, 'nope');
    await user.click(screen.getByRole('button', { name: 'Sign in' }));

    expect(await screen.findByRole('alert')).toHaveTextContent('That key is not recognised');
    expect(input).toHaveAttribute('aria-invalid', 'true');
    expect(input).toHaveAccessibleDescription(/not recognised/);
    expect(input).toHaveFocus();
    expect(screen.getByRole('button', { name: 'Sign in' })).toBeEnabled();
  });

  it('asks for a key when the field is empty, without calling the server', async () => {
    const { user } = renderApp({ route: '/contexts' });
    await screen.findByLabelText('API key');
    await user.click(screen.getByRole('button', { name: 'Sign in' }));
    expect(await screen.findByRole('alert')).toHaveTextContent('Enter your API key.');
  });

  it('tells how long to wait after too many attempts', async () => {
    server.use(
      http.post('/api/session', () =>
        apiError(429, 'rate_limited', 'too many sign-in attempts', { 'Retry-After': '42' }),
      ),
    );
    const { user } = renderApp({ route: '/contexts' });
    await user.type(await screen.findByLabelText('API key'), TEST_KEYS.admin);
    await user.click(screen.getByRole('button', { name: 'Sign in' }));

    expect(await screen.findByRole('alert')).toHaveTextContent('Too many sign-in attempts. Wait 42 seconds and try again.');
    expect(screen.getByRole('button', { name: /Try again in 4\d s/ })).toBeDisabled();
  });

  it('shows where the keys are', async () => {
    renderApp({ route: '/contexts' });
    const hint = await screen.findByRole('region', { name: 'Where is my key?' });
    expect(hint).toHaveTextContent('DATA_DIR/api-keys.txt');
    expect(hint).toHaveTextContent('VIEWER_API_KEY');
  });

  it('signs in as admin from a deep link and stays on that URL', async () => {
    const { user } = renderApp({ route: '/contexts?status=failed&context=ctx_1' });
    await user.type(await screen.findByLabelText('API key'), TEST_KEYS.admin);
    await user.click(screen.getByRole('button', { name: 'Sign in' }));
    // The deep link opens a context drawer (modal), which hides the frame from the a11y tree.
    await waitFor(() => expect(screen.getByRole('banner', { hidden: true })).toHaveTextContent('Signed in as admin'));
    expect(window.location.pathname + window.location.search).toBe('/contexts?status=failed&context=ctx_1');
  });
});
