/**
 * Sign-out leaves nothing of the contexts in the browser (issue 12; SECURITY.md S19):
 * unsaved drafts are named in a warning first, then removed with the query and mutation
 * caches. An expired session keeps the drafts, as before.
 */
import { screen, waitFor, within } from '@testing-library/react';
import { http } from 'msw';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { sessionKeys } from '@/features/auth';
import { resumeDraftWrites, saveDraft, unsavedDraftIds, type EditorDraft } from '@/features/context-editor/lib/draft-storage';
import { apiError, emptyContextsHandlers, renderApp, server, testSession } from '@/testing';
import { THEME_STORAGE_KEY } from './theme-preference';

const draft = (contextId: string): EditorDraft => ({
  contextId,
  baseEtag: '"v1"',
  base: { context: new Map([['customer', 'Jane Roe']]), session_id: null },
  mode: 'document',
  documentText: '{ "customer": "Jane Roe, +44 20 7946 0000" }',
  patchText: '',
  sessionId: '',
  savedAt: Date.now(),
});

const draftKeys = () => Object.keys(sessionStorage).filter((key) => key.startsWith('ecc:editor-draft:'));

beforeEach(() => {
  server.use(...emptyContextsHandlers);
  // A sign-out in an earlier test stopped draft writes (module state; a page load resets it).
  resumeDraftWrites();
});
afterEach(() => sessionStorage.clear());

describe('sign-out', () => {
  it('S19: without drafts, signs out at once and keeps only the (null) session in the cache', async () => {
    const { user, queryClient } = renderApp({ route: '/contexts', role: 'viewer' });
    queryClient.setQueryData(['contexts', 'detail', 'ctx_1'], { context: { secret: 1 } });
    await user.click(screen.getByRole('button', { name: 'Sign out' }));
    expect(await screen.findByLabelText('API key')).toBeInTheDocument();
    expect(screen.queryByRole('alertdialog')).not.toBeInTheDocument();
    expect(queryClient.getQueryCache().getAll().map((query) => query.queryKey)).toEqual([sessionKeys.current()]);
    expect(queryClient.getMutationCache().getAll()).toEqual([]);
  });

  it('S19: with unsaved drafts, warns first, naming them; "Go back to drafts" keeps everything and shows the draft’s context', async () => {
    saveDraft(draft('ctx_b'));
    saveDraft(draft('ctx_a'));
    const { user } = renderApp({ route: '/contexts?status=failed', role: 'editor' });
    await user.click(screen.getByRole('button', { name: 'Sign out' }));

    const dialog = await screen.findByRole('alertdialog', { name: 'Sign out and discard 2 unsaved drafts?' });
    expect(dialog).toHaveAccessibleDescription(/Signing out removes them from this browser/);
    const ids = within(dialog).getByRole('list', { name: 'Contexts with unsaved drafts' });
    expect(within(ids).getAllByRole('listitem').map((item) => item.textContent)).toEqual(['ctx_a', 'ctx_b']);
    // Nothing happened yet: still signed in on the server, drafts in place.
    expect(testSession.role).toBe('editor');
    // Focus starts on the safe choice.
    expect(within(dialog).getByRole('button', { name: 'Go back to drafts' })).toHaveFocus();

    await user.click(within(dialog).getByRole('button', { name: 'Go back to drafts' }));
    await waitFor(() => expect(screen.queryByRole('alertdialog')).not.toBeInTheDocument());
    expect(screen.getByRole('banner')).toHaveTextContent('Signed in as editor');
    expect(testSession.role).toBe('editor');
    expect(unsavedDraftIds()).toEqual(['ctx_a', 'ctx_b']);
    expect(window.location.pathname + window.location.search).toBe('/contexts?context=ctx_a');
  });

  it('S19: "Discard drafts and sign out" removes every draft, the caches, and leaves no context data in browser storage', async () => {
    saveDraft(draft('ctx_1'));
    const { user, queryClient } = renderApp({ route: '/contexts', role: 'editor' });
    queryClient.setQueryData(['contexts', 'detail', 'ctx_1'], { context: { customer: 'Jane Roe' } });
    window.localStorage.setItem(THEME_STORAGE_KEY, 'dark');

    await user.click(screen.getByRole('button', { name: 'Sign out' }));
    const dialog = await screen.findByRole('alertdialog', { name: 'Sign out and discard your unsaved draft?' });
    await user.click(within(dialog).getByRole('button', { name: 'Discard drafts and sign out' }));

    expect(await screen.findByLabelText('API key')).toBeInTheDocument();
    expect(testSession.role).toBeNull();
    expect(draftKeys()).toEqual([]);
    expect(unsavedDraftIds()).toEqual([]);
    const stored = JSON.stringify({ ...window.localStorage, ...window.sessionStorage });
    expect(stored).not.toContain('Jane Roe');
    expect(stored).not.toContain('ctx_1');
    // The theme choice is not context data: it stays.
    expect(window.localStorage.getItem(THEME_STORAGE_KEY)).toBe('dark');
    expect(queryClient.getQueryCache().getAll().map((query) => query.queryKey)).toEqual([sessionKeys.current()]);
    expect(queryClient.getMutationCache().getAll()).toEqual([]);
  });

  it('when the server cannot sign out, the warning stays and the drafts are kept', async () => {
    server.use(http.delete('/api/session', () => apiError(500, 'internal_error', 'boom')));
    saveDraft(draft('ctx_1'));
    const { user } = renderApp({ route: '/contexts', role: 'editor' });
    await user.click(screen.getByRole('button', { name: 'Sign out' }));
    const dialog = await screen.findByRole('alertdialog');
    await user.click(within(dialog).getByRole('button', { name: 'Discard drafts and sign out' }));
    expect(await screen.findByText('Could not sign out')).toBeInTheDocument();
    expect(screen.getByRole('alertdialog')).toBeInTheDocument();
    expect(unsavedDraftIds()).toEqual(['ctx_1']);
    // Still signed in (the frame is behind the modal dialog, hidden from the a11y tree).
    expect(screen.getByRole('banner', { hidden: true })).toHaveTextContent('Signed in as editor');
  });

  it('an expired session (a 401) shows sign-in but keeps the drafts, to be saved after signing in again', async () => {
    saveDraft(draft('ctx_1'));
    server.use(http.get('/api/ai/execution-contexts', () => apiError(401, 'unauthorized', 'session expired')));
    renderApp({ route: '/contexts', role: 'editor' });
    expect(await screen.findByLabelText('API key')).toBeInTheDocument();
    expect(unsavedDraftIds()).toEqual(['ctx_1']);
    expect(draftKeys()).toHaveLength(2); // the texts and the base
  });
});
